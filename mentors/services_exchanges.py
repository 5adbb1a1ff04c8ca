"""Recording a référent's exchanges with the mentors they accompany."""

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from users.models import User

from .enums import ExchangeKind
from .errors import MentorError
from .models import Exchange, Mentor

NOTE_MAX_LENGTH = 2000


@transaction.atomic
def exchange_record(
    *,
    referent: User,
    mentors: Iterable[Mentor],
    happened_on: datetime.date,
    kind: str,
    note: str = "",
) -> Exchange:
    """One exchange, with one or several mentors (a group workshop is recorded once). Only
    the mentors assigned to `referent` may be named: a référent logs their own caseload."""
    mentor_ids = {mentor.pk for mentor in mentors}
    note = note.strip()
    errors: dict[str | None, str] = {}
    if not mentor_ids:
        errors["mentors"] = "Choisissez au moins un mentor."
    elif Mentor.objects.filter(pk__in=mentor_ids, referent=referent).count() != len(mentor_ids):
        errors["mentors"] = "Vous ne pouvez noter un échange qu'avec les mentors que vous suivez."
    if happened_on > timezone.localdate():
        errors["happened_on"] = "La date de l'échange ne peut pas être future."
    if kind not in ExchangeKind.values:
        errors["kind"] = "Choisissez un type d'échange."
    if len(note) > NOTE_MAX_LENGTH:
        errors["note"] = f"La note ne peut pas dépasser {NOTE_MAX_LENGTH} caractères."
    if errors:
        raise MentorError(errors)
    exchange = Exchange(referent=referent, happened_on=happened_on, kind=kind, note=note)
    exchange._history_user = referent
    exchange.save()
    exchange.mentors.set(mentor_ids)
    return exchange
