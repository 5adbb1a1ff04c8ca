"""Exports for funders and national reporting, written by tablib (CSV and XLSX) rather than
by hand. Coordinators only: a référent's export would have to be scoped to their mentors,
which is not offered yet. No free text (summaries, comments) and no contact data leave the
platform: only identifiers, départements, dates, statuses and counts."""

import tablib
from django.db.models import Case, IntegerField, Q, Value, When

from matching.models import Mentorship
from matching.rules import MINIMUM_SESSION_MINUTES
from sessions.models import Session

from .dashboard import Filters, figures

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

PAIR_HEADERS = [
    "binome_id",
    "mentor_id",
    "jeune_id",
    "departement_mentor",
    "departement_jeune",
    "statut",
    "debut",
    "fin",
    "motif_de_fin",
    "seances_qualifiantes",
]
SESSION_HEADERS = ["seance_id", "binome_id", "date", "duree_minutes", "format", "qualifiante"]
FIGURE_HEADERS = ["rubrique", "indicateur", "valeur"]


def pairs(filters: Filters) -> tablib.Dataset:
    """Pairs started in the period (all pairs without a period; unstarted proposals only then)."""
    rows = (
        filters.pairs(Mentorship.objects.all())
        .order_by("pk")
        .values_list(
            "pk",
            "mentor_id",
            "mentee_id",
            "mentor__department",
            "mentee__department",
            "status",
            "started_on",
            "ended_on",
            "close_reason",
            "qualifying_sessions",
        )
    )
    return tablib.Dataset(*rows.iterator(), headers=PAIR_HEADERS, title="binomes")


def sessions(filters: Filters) -> tablib.Dataset:
    queryset = Session.objects.all()
    if filters.since:
        queryset = queryset.filter(held_on__gte=filters.since)
    if filters.until:
        queryset = queryset.filter(held_on__lte=filters.until)
    if filters.department:
        queryset = queryset.filter(mentorship__mentee__department=filters.department)
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
    return tablib.Dataset(*rows.iterator(), headers=SESSION_HEADERS, title="seances")


def figure_rows(data: dict) -> list[tuple]:
    target = data["target"]
    rows = [
        ("Objectif", "Objectif de jeunes accompagnés", target["target"]),
        ("Objectif", "Date de l'objectif", target["target_date"].isoformat()),
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
        label = month["month"].strftime("%Y-%m")
        rows.append(("Séances", f"{label} — d'au moins 1h30", month["qualifying"]))
        rows.append(("Séances", f"{label} — plus courtes", month["short"]))
    rows.append(("Binômes terminés", "Durée moyenne (jours)", data["closed_duration"]["mean_days"]))
    rows += [
        ("Publics prioritaires", public["label"], public["count"])
        for public in data["priority_publics"]["publics"]
    ]
    rows += [
        ("Auto-évaluation", f"{row['question']} — évolution moyenne", row["mean_change"])
        for row in data["progress"]
    ]
    return rows


def programme_figures(filters: Filters) -> tablib.Dataset:
    return tablib.Dataset(
        *figure_rows(figures(filters)), headers=FIGURE_HEADERS, title="indicateurs"
    )


DATASETS = {"binomes": pairs, "seances": sessions, "indicateurs": programme_figures}
