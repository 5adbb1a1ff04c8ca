"""The funders' report's bar charts, drawn by the dashboard's SVG helper
(dashboard_charts.bar_chart): one horizontal bar per row, its number written beside it. Each
chart is one image to a screen reader, named and described; the table under it on the page
carries the same figures."""

from users.programme import RULES

from .dashboard_charts import bar_chart

FILL = "#1f5f8b"
# Closed before the minimum duration: a second colour, the label saying which bar is which.
EARLY_FILL = "#8a5a00"


# Longer labels would run past the chart's left edge: cut there, written in full in the
# description and in the table under the chart.
LABEL_CHARACTERS = 36


def short(label: str) -> str:
    label = str(label)
    return label if len(label) <= LABEL_CHARACTERS else label[: LABEL_CHARACTERS - 1] + "…"


def _summary(rows: list[tuple[str, int]]) -> str:
    return " ; ".join(f"{label} : {count}" for label, count in rows) or "aucune donnée"


def counts_chart(rows: list[tuple[str, int]], *, what: str) -> dict:
    """`rows` are (label, count); `what` says what is counted, for the description."""
    return bar_chart(
        [(short(label), count, FILL) for label, count in rows],
        summary=f"{what}. {_summary(rows)}.",
    )


def charts(data: dict) -> dict:
    mentored = data["mentored"]
    closures = data["closures"]
    started = "Binômes commencés sur la période"
    closure_rows = []
    for reason in closures["reasons"]:
        closure_rows.append((short(reason["label"]), reason["count"], FILL))
        closure_rows.append((f"dont avant {RULES.minimum_duration}", reason["early"], EARLY_FILL))
    return {
        "publics": counts_chart(
            [(row["label"], row["pairs"]) for row in data["publics"]],
            what=f"{started}, par public prioritaire du jeune (un jeune peut en avoir plusieurs)",
        ),
        "ages": counts_chart(
            [(row["label"], row["count"]) for row in mentored["ages"]],
            what=f"{started}, par âge du jeune au début du binôme",
        ),
        "sexes": counts_chart(
            [(row["label"], row["count"]) for row in mentored["sexes"]],
            what=f"{started}, par civilité du jeune",
        ),
        "regions": counts_chart(
            [(row["label"], row["pairs"]) for row in data["places"]["regions"]],
            what=f"{started}, par région du jeune",
        ),
        "closures": bar_chart(
            closure_rows,
            summary=(
                "Binômes terminés sur la période, par motif, et parmi eux ceux terminés avant "
                f"{RULES.minimum_duration}. "
                + _summary([(label, count) for label, count, _ in closure_rows])
                + "."
            ),
        ),
    }
