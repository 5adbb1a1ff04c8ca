"""The dashboard's bar charts of counts (the young people's funnel, the active pairs by
rhythm), drawn on the server as inline SVG like the sessions chart: no JavaScript, no style
attribute (strict CSP), one horizontal bar per row with its label and its number written
beside it, so that nothing is told by colour alone.

To a screen reader each chart is one image (role="img", named by its <title>, described by
its <desc>); the table under it carries the same figures, each linking to the filtered admin
list behind it. The bars themselves are not links: the children of role="img" are
presentational, so a link inside would be hidden from assistive technologies (and flagged by
axe as nested interactive content)."""

from dataclasses import dataclass

WIDTH = 600
ROW_HEIGHT, BAR_HEIGHT, TOP = 30, 20, 6
LABEL_RIGHT = 250  # labels end here, right-aligned
BAR_LEFT = 258
BAR_MAX = 290  # the longest bar; its number is written after it, within WIDTH


@dataclass(frozen=True)
class HorizontalBar:
    label: str
    value: int
    y: float
    width: float
    text_y: float
    value_x: float
    fill: str


def bar_chart(rows: list[tuple[str, int, str]], *, summary: str) -> dict:
    """`rows` are (label, value, fill colour); `summary` is the <desc> read out with it."""
    peak = max([value for _, value, _ in rows] + [1])
    bars = []
    for index, (label, value, fill) in enumerate(rows):
        y = TOP + index * ROW_HEIGHT
        width = BAR_MAX * value / peak
        bars.append(
            HorizontalBar(
                label=label,
                value=value,
                y=y,
                width=width,
                text_y=y + BAR_HEIGHT / 2 + 4,
                value_x=BAR_LEFT + width + 6,
                fill=fill,
            )
        )
    return {
        "width": WIDTH,
        "height": TOP * 2 + len(rows) * ROW_HEIGHT,
        "label_right": LABEL_RIGHT,
        "bar_left": BAR_LEFT,
        "bar_height": BAR_HEIGHT,
        "bars": bars,
        "description": summary,
    }


FUNNEL_FILL = "#1f5f8b"
# On track, due soon, overdue (ComplianceState's order): the label beside each bar says which.
COMPLIANCE_FILLS = ["#2e7d32", "#8a5a00", "#b00020"]


def funnel_chart(funnel: dict) -> dict:
    steps = funnel["steps"]
    summary = " ; ".join(f"{step['label']} : {step['count']}" for step in steps)
    return bar_chart(
        [(step["label"], step["count"], FUNNEL_FILL) for step in steps],
        summary=f"Jeunes inscrits sur la période, étape par étape. {summary}.",
    )


def compliance_chart(states: list[dict]) -> dict:
    summary = " ; ".join(f"{state['label']} : {state['count']}" for state in states)
    return bar_chart(
        [
            (state["label"], state["count"], fill)
            for state, fill in zip(states, COMPLIANCE_FILLS, strict=True)
        ],
        summary=f"Binômes actifs selon le rythme des rencontres. {summary}.",
    )
