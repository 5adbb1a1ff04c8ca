"""Reads of the mentors' domain for the staff: who may accompany mentors, and how many each
already does."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, OuterRef, Q, Subquery
from django.utils import timezone

from users.enums import RegistrationStatus
from users.models import User
from users.roles import COORDINATORS_GROUP, REFERENTS_GROUP

from .enums import TrainingKind
from .models import Exchange, Mentor, TrainingRegistration


def approved_mentors_count(referent_path: str):
    """The caseload of the référent at `referent_path` (an OuterRef): the approved mentors
    they accompany, what the cap REFERENT_CASELOAD_CAP counts. A subquery, so that a list
    reads it in its own query."""
    return Subquery(
        Mentor.objects.filter(referent=OuterRef(referent_path), status=RegistrationStatus.APPROVED)
        .order_by()
        .values("referent")
        .annotate(n=Count("pk"))
        .values("n")
    )


def referent_accounts(*, including: int | None = None):
    """The accounts in the référent role, annotated with their `caseload`: active staff of
    the référents' group, neither coordinators nor superusers (who run the programme rather
    than accompany mentors). `including` adds one account whatever its role (a mentor's
    current référent), so that a form showing it stays valid."""
    referents = (
        User.objects.filter(
            groups__name=REFERENTS_GROUP, is_active=True, is_staff=True, is_superuser=False
        )
        .exclude(groups__name=COORDINATORS_GROUP)
        .values("pk")
    )
    wanted = Q(pk__in=referents)
    if including is not None:
        wanted |= Q(pk=including)
    return (
        User.objects.filter(wanted)
        .annotate(caseload=approved_mentors_count("pk"))
        .order_by("last_name", "first_name", "pk")
    )


@dataclass(frozen=True)
class HistoryEntry:
    """One line of a mentor's follow-up history: an exchange with a référent or a training."""

    day: datetime.date
    kind: str
    what: str
    by: str = ""
    note: str = ""


def _name(user) -> str:
    return (user.get_full_name() or user.email) if user is not None else ""


def mentor_history(mentor: Mentor) -> list[HistoryEntry]:
    """The référents' exchanges with `mentor` and their trainings (seats taken, attendance),
    the latest first: one history per mentor, in two queries whatever its length."""
    entries = [
        HistoryEntry(
            day=exchange.happened_on,
            kind=f"Échange : {exchange.get_kind_display()}",
            what="Échange avec le référent",
            by=_name(exchange.referent),
            note=exchange.note,
        )
        for exchange in Exchange.objects.filter(mentors=mentor).select_related("referent")
    ]
    now = timezone.now()
    for seat in TrainingRegistration.objects.filter(mentor=mentor).select_related(
        "session", "attendance_recorded_by"
    ):
        session = seat.session
        if session.starts_at > now:
            outcome = "inscrit, à venir"
        else:
            outcome = {True: "présent", False: "absent", None: "présence à noter"}[seat.attended]
        entries.append(
            HistoryEntry(
                day=timezone.localdate(session.starts_at),
                kind=f"Formation : {TrainingKind(session.kind).label}",
                what=f"{session.title} — {outcome}",
                by=_name(seat.attendance_recorded_by),
            )
        )
    return sorted(entries, key=lambda entry: entry.day, reverse=True)
