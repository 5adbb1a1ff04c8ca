"""Exports for funders and national reporting, written by tablib (CSV and XLSX) rather than
by hand. Coordinators export the rows of their dashboard (dashboard.Filters): a national
coordinator the whole programme or the antenne they chose, an antenne coordinator their
antenne's always (a pair and its sessions by the young person's antenne); a référent exports
the pairs and sessions of the mentors they accompany, and nothing programme-wide.

What leaves the platform: no free text (summaries, comments) and no contact data (e-mail,
phone, address) of anybody, in either role — only identifiers, départements, dates, statuses
and counts. A référent's pair file also leaves out the young person's identifier and
département: a référent follows mentors, not young people, and those two columns are what lets
a file be joined with other data to trace a young person (the département of a minor narrows
down who they are). The mentor's identifier stays: it is how a référent finds their mentor.

The files open as they are in French spreadsheet software (`render`): CSV separated by `;`,
in UTF-8 with a byte-order mark (without it Excel reads Latin-1), dates as JJ/MM/AAAA and
decimals with a comma; XLSX with real dates shown JJ/MM/AAAA. Headers and values are French
labels, not the database's codes; a code stays only in its own column where a funder's
reporting needs it (the priority publics)."""

import csv
import datetime
import io

import openpyxl
import tablib
from django.db.models import Case, IntegerField, Q, Value, When
from django.utils.formats import date_format

from matching.enums import CloseReason, MentorshipStatus
from matching.models import Mentorship
from matching.rules import MINIMUM_SESSION_MINUTES
from sessions.enums import SessionFormat
from sessions.models import Session
from users.programme import RULES

from .dashboard import Filters, figures

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

# Column name → ORM path, in file order.
PAIR_COLUMNS = {
    "binome_id": "pk",
    "mentor_id": "mentor_id",
    "jeune_id": "mentee_id",
    "departement_mentor": "mentor__department",
    "departement_jeune": "mentee__department",
    "statut": "status",
    "debut": "started_on",
    "fin": "ended_on",
    "motif_de_fin": "close_reason",
    "seances_qualifiantes": "qualifying_sessions",
}
PAIR_HEADERS = list(PAIR_COLUMNS)
REFERENT_HIDDEN_PAIR_COLUMNS = {"jeune_id", "departement_jeune"}
REFERENT_PAIR_HEADERS = [h for h in PAIR_HEADERS if h not in REFERENT_HIDDEN_PAIR_COLUMNS]
SESSION_HEADERS = ["seance_id", "binome_id", "date", "duree_minutes", "format", "qualifiante"]
FIGURE_HEADERS = ["rubrique", "indicateur", "valeur", "code"]

# --- The formatting layer: what each column is called in the file, how its codes read.
# A column without a label here keeps its name as header.
HEADER_LABELS = {
    "binome_id": "N° du binôme",
    "mentor_id": "N° du mentor",
    "jeune_id": "N° du jeune",
    "departement_mentor": "Département du mentor",
    "departement_jeune": "Département du jeune",
    "statut": "Statut",
    "debut": "Début",
    "fin": "Fin",
    "motif_de_fin": "Motif de fin",
    "seances_qualifiantes": f"Séances d'au moins {RULES.session_minimum}",
    "seance_id": "N° de la séance",
    "date": "Date",
    "duree_minutes": "Durée (minutes)",
    "format": "Format",
    "qualifiante": f"D'au moins {RULES.session_minimum} (1 = oui, 0 = non)",
    "rubrique": "Rubrique",
    "indicateur": "Indicateur",
    "valeur": "Valeur",
    # The funders' reporting counts the priority publics by code.
    "code": "Code du public prioritaire",
}
# Columns holding a code of these choices: written as the choice's label.
CHOICE_COLUMNS = {
    "statut": MentorshipStatus,
    "motif_de_fin": CloseReason,
    "format": SessionFormat,
}
CSV_DATE = "%d/%m/%Y"
XLSX_DATE = "DD/MM/YYYY"


def dataset(rows, *, headers: list[str], title: str) -> tablib.Dataset:
    """Rows of codes (in `headers`' order) as a dataset of French headers and labels."""
    labels = {
        index: {code: str(label) for code, label in CHOICE_COLUMNS[name].choices}
        for index, name in enumerate(headers)
        if name in CHOICE_COLUMNS
    }

    def readable(row):
        return tuple(
            labels[index].get(value, value) if index in labels and value else value
            for index, value in enumerate(row)
        )

    return tablib.Dataset(
        *(readable(row) for row in rows),
        headers=[HEADER_LABELS.get(name, name) for name in headers],
        title=title,
    )


def _csv_cell(value):
    if value is None:
        return ""
    if isinstance(value, datetime.datetime | datetime.date):
        return value.strftime(CSV_DATE)
    if isinstance(value, float):
        # French spreadsheets read « 12.5 » as text, or as a date.
        return f"{value:.2f}".rstrip("0").rstrip(".").replace(".", ",")
    return value


def _csv(data: tablib.Dataset) -> bytes:
    stream = io.StringIO()
    writer = csv.writer(stream, delimiter=";")
    writer.writerow(data.headers)
    writer.writerows(tuple(_csv_cell(value) for value in row) for row in data)
    return ("\ufeff" + stream.getvalue()).encode("utf-8")


def _xlsx(data: tablib.Dataset) -> bytes:
    # tablib writes the cells; the dates then get the French display (they stay dates, so
    # spreadsheets sort and filter them as dates).
    workbook = openpyxl.load_workbook(io.BytesIO(data.export("xlsx")))
    for row in workbook.active.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, datetime.datetime | datetime.date):
                cell.number_format = XLSX_DATE
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def render(data: tablib.Dataset, fmt: str) -> bytes:
    """The file's bytes, as French spreadsheet software opens them."""
    return _csv(data) if fmt == "csv" else _xlsx(data)


def pairs(filters: Filters, *, referent=None) -> tablib.Dataset:
    """Pairs started in the period (all pairs without a period; unstarted proposals only then).
    With `referent`, only the pairs of the mentors they accompany, in fewer columns."""
    queryset = filters.pairs(Mentorship.objects.all())
    headers = PAIR_HEADERS
    if referent is not None:
        queryset = queryset.filter(mentor__referent=referent)
        headers = REFERENT_PAIR_HEADERS
    rows = queryset.order_by("pk").values_list(*(PAIR_COLUMNS[h] for h in headers))
    return dataset(rows.iterator(), headers=headers, title="binomes")


def sessions(filters: Filters, *, referent=None) -> tablib.Dataset:
    """Sessions held in the period; with `referent`, those of the mentors they accompany."""
    queryset = Session.objects.all()
    if filters.since:
        queryset = queryset.filter(held_on__gte=filters.since)
    if filters.until:
        queryset = queryset.filter(held_on__lte=filters.until)
    queryset = filters.young_people(queryset, prefix="mentorship__mentee__")
    if referent is not None:
        queryset = queryset.filter(mentorship__mentor__referent=referent)
    rows = (
        queryset.annotate(
            # 1/0 rather than True/False: spreadsheets sum it directly.
            qualifying=Case(
                When(Q(duration_minutes__gte=MINIMUM_SESSION_MINUTES), then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
        )
        .order_by("held_on", "pk")
        .values_list("pk", "mentorship_id", "held_on", "duration_minutes", "format", "qualifying")
    )
    return dataset(rows.iterator(), headers=SESSION_HEADERS, title="seances")


def figure_rows(data: dict) -> list[tuple]:
    """(rubrique, indicateur, valeur, code): the code only for the priority publics."""
    target = data["target"]
    if target["kind"] == "antenne":
        year = target["year"]
        rows = [
            ("Objectif de l'antenne", "Antenne", target["antenne"]),
            ("Objectif de l'antenne", f"Objectif de binômes en {year}", target["target"]),
            ("Objectif de l'antenne", f"Binômes commencés en {year}", target["started"]),
            ("Objectif de l'antenne", "Rythme mensuel nécessaire", target["monthly_pace"]),
        ]
    else:
        rows = [
            ("Objectif", "Objectif de jeunes accompagnés", target["target"]),
            ("Objectif", "Date de l'objectif", target["target_date"]),
            ("Objectif", "Jeunes accompagnés", target["mentored"]),
            ("Objectif", "Rythme mensuel nécessaire", target["monthly_pace"]),
        ]
    for registration in data["registrations"]:
        rows.append(("Inscriptions", registration["label"], registration["total"]))
        for status in registration["statuses"]:
            rows.append(
                ("Inscriptions", f"{registration['label']} — {status['label']}", status["count"])
            )
    rows += [
        ("Parcours des jeunes", step["label"], step["count"]) for step in data["funnel"]["steps"]
    ]
    rows += [
        ("Motifs de fin", reason["label"], reason["count"])
        for reason in data["funnel"]["closed_by_reason"]
    ]
    rows.append(("Attente d'un mentor", "Jeunes en attente", data["waiting"]["count"]))
    rows += [
        ("Attente d'un mentor", bucket["label"], bucket["count"])
        for bucket in data["waiting"]["buckets"]
    ]
    rows += [("Binômes actifs", state["label"], state["count"]) for state in data["compliance"]]
    for month in data["sessions"]:
        label = date_format(month["month"], "F Y")
        rows.append(
            ("Séances", f"{label} — d'au moins {RULES.session_minimum}", month["qualifying"])
        )
        rows.append(("Séances", f"{label} — plus courtes", month["short"]))
    rows.append(("Binômes terminés", "Durée moyenne (jours)", data["closed_duration"]["mean_days"]))
    rows += [
        ("Publics prioritaires", public["label"], public["count"], public["code"])
        for public in data["priority_publics"]["publics"]
    ]
    rows += [
        ("Auto-évaluation", f"{row['question']} — évolution moyenne", row["mean_change"])
        for row in data["progress"]
    ]
    return [(*row, None) if len(row) == 3 else row for row in rows]


def programme_figures(filters: Filters) -> tablib.Dataset:
    return dataset(figure_rows(figures(filters)), headers=FIGURE_HEADERS, title="indicateurs")


DATASETS = {"binomes": pairs, "seances": sessions, "indicateurs": programme_figures}
# What a référent may export, scoped to their mentors (the figures are programme-wide).
REFERENT_DATASETS = {"binomes": pairs, "seances": sessions}
DATASET_LABELS = {
    "binomes": "Binômes",
    "seances": "Séances",
    "indicateurs": "Indicateurs du programme",
}
