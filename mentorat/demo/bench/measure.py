"""One line of the benchmark's table: timings, query count and the targets it is held to."""

import math
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Measure:
    label: str
    timings: list[float] = field(default_factory=list)  # seconds
    queries: int | None = None
    # Upper bounds in milliseconds; None when the line has no such target.
    p95_target_ms: float | None = None
    median_target_ms: float | None = None
    # A verdict that is not about time (an optimal total, a status code), with its wording.
    checks: list[tuple[str, bool]] = field(default_factory=list)
    # Informative lines (load throughput) carry their value here instead of timings.
    value: str = ""
    rate: float | None = None  # requests per second, for the load lines
    # The bare view's requests per second this load line is compared with (measured around
    # it); the table's ratio uses it rather than the section's bare view.
    reference_rate: float | None = None

    @property
    def median_ms(self) -> float | None:
        return statistics.median(self.timings) * 1000 if self.timings else None

    @property
    def p95_ms(self) -> float | None:
        if not self.timings:
            return None
        # Nearest rank: with 30 runs, the second slowest.
        ordered = sorted(self.timings)
        return ordered[max(math.ceil(0.95 * len(ordered)) - 1, 0)] * 1000

    def target(self) -> str:
        parts = []
        if self.median_target_ms is not None:
            parts.append(f"median < {_amount(self.median_target_ms)}")
        if self.p95_target_ms is not None:
            parts.append(f"p95 < {_amount(self.p95_target_ms)}")
        parts += [wording for wording, _ in self.checks]
        return ", ".join(parts)

    def passed(self) -> bool | None:
        """None when the line has no target at all."""
        verdicts = [ok for _, ok in self.checks]
        if self.median_target_ms is not None:
            verdicts.append(self.median_ms is not None and self.median_ms < self.median_target_ms)
        if self.p95_target_ms is not None:
            verdicts.append(self.p95_ms is not None and self.p95_ms < self.p95_target_ms)
        return all(verdicts) if verdicts else None


def _amount(ms: float) -> str:
    return f"{ms / 1000:g} s" if ms >= 1000 else f"{ms:g} ms"


def timed(call: Callable[[], object], *, runs: int, warmup: int) -> list[float]:
    """Seconds per call, after `warmup` calls that pay for imports, templates and caches."""
    for _ in range(warmup):
        call()
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        timings.append(time.perf_counter() - started)
    return timings
