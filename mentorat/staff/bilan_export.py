"""The funders' report as an XLSX workbook (tablib, then openpyxl for the dates' display):
a summary sheet, then one sheet per breakdown and, for a national coordinator, the sheet « Par
antenne »; French headers, the period (and the antenne chosen) in the file name."""

import datetime
import io

import openpyxl
import tablib
from django.utils.text import slugify

from users.programme import RULES

from .bilan import Period
from .dashboard_antennes import ALL_LABEL

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
XLSX_DATE = "DD/MM/YYYY"


def filename(period: Period, *, antenne: str = "") -> str:
    """`antenne`: the name of the antenne chosen (or of the national programme), none for
    every antenne."""
    place = f"{slugify(antenne)}-" if antenne else ""
    return f"bilan-mentorat-{place}{period.slug}.xlsx"


def _percent(share: float | None) -> float | None:
    return None if share is None else round(share * 100, 1)


def summary_rows(data: dict) -> list[tuple[str, object]]:
    period, mentored = data["period"], data["mentored"]
    rhythm, sessions, closures, mentors = (
        data["rhythm"],
        data["sessions"],
        data["closures"],
        data["mentors"],
    )
    minimum = RULES.minimum_duration
    return [
        ("Début de la période", period.start),
        ("Fin de la période", period.end),
        ("Antenne", data.get("antenne_label") or ALL_LABEL),
        ("Binômes commencés", mentored["pairs"]),
        ("Jeunes accompagnés (binômes commencés)", mentored["young_people"]),
        ("Binômes commencés, jeune d'au moins un public prioritaire", mentored["with_public"]),
        ("Binômes commencés, jeune de plusieurs publics prioritaires", mentored["several_publics"]),
        ("Binômes commencés, jeune sans public prioritaire", mentored["without_public"]),
        (f"Binômes ayant atteint {minimum} pendant la période", data["minimum_reached"]),
        (
            f"Binômes commencés ayant atteint {minimum} à la fin de la période",
            mentored["reached_minimum"],
        ),
        ("Binômes actifs pendant la période", rhythm["pairs"]),
        ("Binômes dont le rythme se mesure sur la période", rhythm["measured"]),
        ("Binômes au rythme des rencontres", rhythm["kept"]),
        ("Part des binômes au rythme (%)", _percent(rhythm["share"])),
        ("Séances tenues", sessions["sessions"]),
        (f"Séances d'au moins {RULES.session_minimum}", sessions["qualifying"]),
        ("Heures de mentorat", sessions["hours"]),
        ("Binômes ayant tenu au moins une séance", sessions["pairs"]),
        ("Binômes terminés", closures["total"]),
        (f"Binômes terminés avant {minimum}", closures["early"]),
        ("Mentors actifs", mentors["active"]),
        ("Mentors déjà mentors avant la période", mentors["before"]),
        ("Nouveaux mentors", mentors["new"]),
        ("Mentors ayant commencé un binôme sur la période", mentors["started"]),
        ("Mentors ayant pris un nouveau binôme après un premier", mentors["again"]),
    ]


def databook(data: dict) -> tablib.Databook:
    mentored, places = data["mentored"], data["places"]
    started = "Binômes commencés"
    sheets = [
        tablib.Dataset(*summary_rows(data), headers=["Indicateur", "Valeur"], title="Synthèse"),
        tablib.Dataset(
            *[
                (row["code"], row["label"], row["pairs"], row["young_people"], row["confirmed"])
                for row in data["publics"]
            ],
            headers=[
                "Code",
                "Public prioritaire",
                started,
                "Jeunes",
                "Binômes dont le public est confirmé par l'équipe",
            ],
            title="Publics prioritaires",
        ),
        tablib.Dataset(
            *[(row["label"], row["count"]) for row in mentored["ages"]],
            headers=["Âge au début du binôme", started],
            title="Âges",
        ),
        tablib.Dataset(
            *[(row["label"], row["count"]) for row in mentored["sexes"]],
            headers=["Civilité", started],
            title="Sexe",
        ),
        tablib.Dataset(
            *[
                (row["code"], row["region"], row["pairs"], row["young_people"])
                for row in places["departments"]
            ],
            headers=["Département", "Région", started, "Jeunes"],
            title="Départements",
        ),
        tablib.Dataset(
            *[(row["label"], row["pairs"], row["young_people"]) for row in places["regions"]],
            headers=["Région", started, "Jeunes"],
            title="Régions",
        ),
        tablib.Dataset(
            *[(row["label"], row["count"], row["early"]) for row in data["closures"]["reasons"]],
            headers=["Motif de fin", "Binômes terminés", f"Dont avant {RULES.minimum_duration}"],
            title="Fins de binôme",
        ),
        tablib.Dataset(
            *[
                (
                    row["question"],
                    row["pairs"],
                    row["mean_start"],
                    row["mean_end"],
                    row["mean_change"],
                    _percent(row["progressed_share"]),
                )
                for row in data["progress"]
            ],
            headers=[
                "Question",
                "Binômes",
                "Moyenne au début",
                "Moyenne à la fin",
                "Évolution moyenne",
                "Jeunes en progrès (%)",
            ],
            title="Auto-évaluation",
        ),
    ]
    if data.get("by_antenne"):
        sheets.append(by_antenne_sheet(data["by_antenne"]))
    return tablib.Databook(sheets)


def by_antenne_sheet(table: dict) -> tablib.Dataset:
    """Each antenne, the national programme and the whole programme (their sum)."""
    return tablib.Dataset(
        *[
            (
                row["name"],
                row["started"],
                row["target"],
                _percent(row["share"]),
                row["active"],
                row["waiting"],
            )
            for row in [*table["rows"], table["total"]]
        ],
        headers=[
            "Antenne",
            "Binômes commencés",
            "Objectif annuel de binômes",
            "Part de l'objectif (%)",
            "Binômes actifs pendant la période",
            "Jeunes en attente d'un mentor (aujourd'hui)",
        ],
        title="Par antenne",
    )


def render(data: dict) -> bytes:
    workbook = openpyxl.load_workbook(io.BytesIO(databook(data).export("xlsx")))
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, datetime.datetime | datetime.date):
                    cell.number_format = XLSX_DATE
        # Wide enough for the French labels of the first column.
        sheet.column_dimensions["A"].width = 60 if sheet.title == "Synthèse" else 40
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()
