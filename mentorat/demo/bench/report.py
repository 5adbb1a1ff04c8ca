"""The benchmark's one table: a line per measure, with its verdict."""

from mentorat.demo.bench.measure import Measure

HEADERS = ("measure", "median ms", "p95 ms", "queries", "× bare", "target", "result")


def query_lines(national: list[Measure], small: dict[str, int]) -> list[Measure]:
    """One line per measure with a query count: the same count on the small data set."""
    lines = []
    for measure in national:
        if measure.queries is None:
            continue
        other = small.get(measure.label)
        line = Measure(f"queries constant: {measure.label}", value=f"{measure.queries} / {other}")
        line.checks.append(("= small data set", other == measure.queries))
        lines.append(line)
    return lines


def admin_issue_lines(pages: list[Measure], *, target_ms: float) -> list[Measure]:
    """The staff admin issue: every changelist and the dashboard under `target_ms` (p95), as
    the national coordinator and as an antenne coordinator."""
    lines = []
    for measure in pages:
        if not measure.label.startswith(("admin:", "coordinator dashboard")):
            continue
        line = Measure(
            f"staff admin: {measure.label.removeprefix('admin: ')}", timings=measure.timings
        )
        line.p95_target_ms = target_ms
        lines.append(line)
    return lines


def bilan_lines(
    pages: list[Measure], *, labels: tuple[str, ...], target_ms: float
) -> list[Measure]:
    """The funders' report (issue 15): its page and its XLSX under `target_ms` (p95) on the
    national data set, as the national coordinator and as an antenne coordinator."""
    lines = []
    for measure in pages:
        if not measure.label.startswith(labels):
            continue
        line = Measure(f"bilan: {measure.label}", timings=measure.timings)
        line.p95_target_ms = target_ms
        lines.append(line)
    return lines


def _ms(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


def _row(measure: Measure, bare: Measure | None) -> tuple[str, ...]:
    ratio = ""
    if bare is not None and measure is not bare:
        reference = measure.reference_rate or bare.rate
        if measure.rate is not None and reference:
            share = measure.rate / reference
            ratio = f"{share:.2f}" if share >= 0.1 else f"{share:.4f}"
        elif measure.median_ms is not None and bare.median_ms:
            ratio = f"{measure.median_ms / bare.median_ms:.1f}"
    queries = "" if measure.queries is None else str(measure.queries)
    verdict = measure.passed()
    result = "" if verdict is None else "PASS" if verdict else "FAIL"
    return (
        f"{measure.label} ({measure.value})" if measure.value else measure.label,
        _ms(measure.median_ms),
        _ms(measure.p95_ms),
        queries,
        ratio,
        measure.target(),
        result,
    )


def table(
    sections: list[tuple[str, list[Measure]]], *, bare: Measure, bare_load: Measure | None
) -> str:
    """The sections' lines under one header; the ratio is to the bare view's median time
    (to its requests per second for the load lines)."""
    rows: list[tuple[str, ...] | str] = []
    for title, measures in sections:
        rows.append(title)
        for measure in measures:
            reference = bare_load if measure.rate is not None else bare
            rows.append(_row(measure, reference))
    cells = [HEADERS] + [row for row in rows if not isinstance(row, str)]
    widths = [max(len(row[column]) for row in cells) for column in range(len(HEADERS))]

    def line(row: tuple[str, ...]) -> str:
        parts = [
            cell.ljust(width) if column in (0, 5) else cell.rjust(width)
            for column, (cell, width) in enumerate(zip(row, widths, strict=True))
        ]
        return "  ".join(parts).rstrip()

    rule = "-" * len(line(HEADERS))
    out = [line(HEADERS), rule]
    for row in rows:
        out.append(f"-- {row}" if isinstance(row, str) else line(row))
    out.append(rule)
    return "\n".join(out)


def failures(sections: list[tuple[str, list[Measure]]]) -> list[str]:
    return [
        measure.label
        for _, measures in sections
        for measure in measures
        if measure.passed() is False
    ]
