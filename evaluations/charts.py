"""The progress chart of one pair, drawn on the server as an inline SVG.

A dumbbell per scale question on a 1–5 axis: a hollow circle for the start, a filled square
for the end, a line between them and the values written beside them, so that nothing is told
by colour alone. No JavaScript and no style attribute: the page works under a strict CSP and
without any script. The same figures are shown as a table for screen readers (the SVG is one
image to them: role="img" with a title and a description)."""

import textwrap
from dataclasses import dataclass

from .models import SCALE_MAX, SCALE_MIN
from .selectors import ScaleProgress

# The drawing's own units (viewBox): the SVG scales to the width of its container, and 400
# units keep the text readable on a phone (about 12 px on a 390 px wide screen).
WIDTH = 400
AXIS_LEFT, AXIS_RIGHT = 24, 290
VALUES_RIGHT = WIDTH - 4
LINE_HEIGHT = 16
LABEL_CHARS = 56
HEADER_HEIGHT = 56
ROW_GAP = 14
MARKER = 6


def change_text(change: int | None) -> str:
    """+2, −1 (a real minus sign) or = ; empty when one side is missing."""
    if change is None:
        return ""
    if change > 0:
        return f"+{change}"
    if change < 0:
        return f"\u2212{-change}"
    return "="


def change_words(change: int | None) -> str:
    """The change in words, for screen readers (a lone « = » or « − » is read badly)."""
    if change is None:
        return "non mesurable"
    if change > 0:
        return f"en hausse de {change}"
    if change < 0:
        return f"en baisse de {-change}"
    return "sans changement"


def _value_words(value: int | None) -> str:
    return str(value) if value is not None else "pas de réponse"


def x_of(value: int) -> float:
    step = (AXIS_RIGHT - AXIS_LEFT) / (SCALE_MAX - SCALE_MIN)
    return AXIS_LEFT + (value - SCALE_MIN) * step


@dataclass(frozen=True)
class ChartRow:
    number: int
    text: str
    label_lines: list[tuple[float, str]]
    axis_y: float
    start: int | None
    end: int | None
    change: int | None

    @property
    def start_x(self) -> float | None:
        return x_of(self.start) if self.start is not None else None

    @property
    def end_x(self) -> float | None:
        return x_of(self.end) if self.end is not None else None

    @property
    def both(self) -> bool:
        return self.start is not None and self.end is not None

    @property
    def values_text(self) -> str:
        start = self.start if self.start is not None else "–"
        end = self.end if self.end is not None else "–"
        change = change_text(self.change)
        return f"{start} → {end}" + (f" ({change})" if change else "")

    @property
    def square_x(self) -> float | None:
        return self.end_x - MARKER if self.end_x is not None else None

    @property
    def square_y(self) -> float:
        return self.axis_y - MARKER


@dataclass(frozen=True)
class Tick:
    value: int
    x: float


@dataclass(frozen=True)
class Chart:
    rows: list[ChartRow]
    ticks: list[Tick]
    height: float
    width: int = WIDTH
    axis_left: int = AXIS_LEFT
    axis_right: int = AXIS_RIGHT
    values_right: int = VALUES_RIGHT
    marker: int = MARKER

    @property
    def description(self) -> str:
        parts = [
            f"{row.number}. {row.text} : {_value_words(row.start)} au début, "
            f"{_value_words(row.end)} à la fin, {change_words(row.change)}."
            for row in self.rows
        ]
        return (
            f"Réponses de {SCALE_MIN} à {SCALE_MAX} au début et à la fin du mentorat. "
            + " ".join(parts)
        )


def progress_chart(scales: list[ScaleProgress]) -> Chart:
    """The chart's geometry: every position computed here, the template only writes it out."""
    rows = []
    y = HEADER_HEIGHT
    for number, scale in enumerate(scales, start=1):
        lines = textwrap.wrap(f"{number}. {scale.question.text}", LABEL_CHARS)
        label_lines = []
        for line in lines:
            y += LINE_HEIGHT
            label_lines.append((y, line))
        axis_y = y + LINE_HEIGHT
        rows.append(
            ChartRow(
                number=number,
                text=scale.question.text,
                label_lines=label_lines,
                axis_y=axis_y,
                start=scale.start,
                end=scale.end,
                change=scale.change,
            )
        )
        y = axis_y + MARKER + ROW_GAP
    ticks = [Tick(value, x_of(value)) for value in range(SCALE_MIN, SCALE_MAX + 1)]
    return Chart(rows=rows, ticks=ticks, height=y + 4)
