"""The référent's closure interview (« entretien de fin ») of a closed pair: one per pair,
each correction a version of its history."""

import datetime

from django.db import transaction
from django.utils import timezone

from matching.enums import MentorshipStatus
from matching.models import Mentorship
from users.errors import ServiceError
from users.models import User
from users.scopes import may_act_on

from .enums import InterviewWith
from .models import ClosureInterview

INTERVIEW_NOTES_MAX = ClosureInterview._meta.get_field("notes").max_length


class InterviewError(ServiceError):
    """`errors` maps a field of the closure interview (or None) to a French message."""


def _may_record_interview(mentorship: Mentorship, user: User) -> bool:
    """The pair's référent (the mentor's), or a coordinator whose scope holds the pair (the
    national coordination, or that of the young person's or the mentor's antenne); never one
    of its members."""
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return False
    mentor, mentee = mentorship.mentor, mentorship.mentee
    if user.pk in (mentor.user_id, mentee.user_id):
        return False
    return may_act_on(
        user,
        referent_id=mentor.referent_id,
        antenne_ids=lambda: (mentor.antenne_id, mentee.antenne_id),
    )


@transaction.atomic
def closure_interview_record(
    *,
    mentorship: Mentorship,
    recorded_by: User,
    held_on: datetime.date | None,
    held_with: str,
    notes: str = "",
) -> ClosureInterview:
    """Record, or correct, the closure interview of a closed pair: its date (not in the
    future, not before the pair started), with whom, and the notes. One per pair; each
    correction is a version of its history, with its author."""
    mentorship = (
        Mentorship.objects.select_for_update(of=("self",))
        .select_related("mentor", "mentee")
        .get(pk=mentorship.pk)
    )
    if not _may_record_interview(mentorship, recorded_by):
        raise InterviewError(
            {None: "Seuls le référent du binôme et la coordination notent l'entretien de fin."}
        )
    if mentorship.status != MentorshipStatus.CLOSED:
        raise InterviewError({None: "L'entretien de fin se note une fois le binôme terminé."})
    notes = (notes or "").strip()
    errors: dict[str | None, str] = {}
    today = timezone.localdate()
    if held_on is None:
        errors["held_on"] = "Indiquez la date de l'entretien."
    elif held_on > today:
        errors["held_on"] = "La date de l'entretien ne peut pas être dans le futur."
    elif mentorship.started_on and held_on < mentorship.started_on:
        errors["held_on"] = (
            "La date de l'entretien ne peut pas précéder le début du mentorat "
            f"({mentorship.started_on:%d/%m/%Y})."
        )
    if held_with not in InterviewWith.values:
        errors["held_with"] = "Choisissez avec qui l'entretien a eu lieu."
    if len(notes) > INTERVIEW_NOTES_MAX:
        errors["notes"] = (
            f"Les notes ne peuvent pas dépasser {INTERVIEW_NOTES_MAX} caractères "
            f"({len(notes)} saisis)."
        )
    if errors:
        raise InterviewError(errors)
    interview = ClosureInterview.objects.filter(mentorship=mentorship).first()
    if interview is None:
        interview = ClosureInterview(mentorship=mentorship)
    interview.held_on = held_on
    interview.held_with = held_with
    interview.notes = notes
    interview.recorded_by = recorded_by
    interview._history_user = recorded_by
    interview.save()
    return interview
