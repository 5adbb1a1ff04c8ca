import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from users.enums import ConsentKind, RegistrationStatus
from users.geography import department_from_postal_code
from users.models import User
from users.scopes import staff_scope
from users.services import (
    RegistrationError,
    consent_record,
    registration_antenne_for,
    registration_approve,
    registration_submitted,
    registration_user_create,
)

from .enums import ScreeningDocument
from .models import Mentor, ScreeningRecord, screening_valid_since


@transaction.atomic
def mentor_register(*, email: str, first_name: str, last_name: str, fields: dict) -> Mentor | None:
    """Record a mentor's public registration, pending review. None if the address is taken
    (its owner is told by e-mail)."""
    user = registration_user_create(email=email, first_name=first_name, last_name=last_name)
    if user is None:
        return None
    department = department_from_postal_code(fields["postal_code"])
    mentor = Mentor(
        user=user,
        department=department,
        antenne=registration_antenne_for(department),
        charter_version=settings.MENTOR_CHARTER_VERSION,
        charter_accepted_at=timezone.now(),
        **fields,
    )
    mentor._change_reason = "Inscription"
    mentor.save()
    consent_record(
        user=user,
        kind=ConsentKind.MENTOR_CHARTER,
        version=settings.MENTOR_CHARTER_VERSION,
        given_by_name=user.get_full_name(),
        given_by_email=user.email,
    )
    registration_submitted(registration=mentor)
    return mentor


def referent_caseload(referent) -> int:
    """The approved mentors a référent accompanies (what the caseload cap counts)."""
    return Mentor.objects.filter(referent=referent, status=RegistrationStatus.APPROVED).count()


def referent_assignment_refusal(*, mentor: Mentor, referent: User) -> str | None:
    """Why `referent` cannot accompany `mentor` (in French), or None: an active référent, an
    approved mentor, a référent of the mentor's antenne when the mentor has one (a référent
    belongs to one antenne, whose pairs they follow), and a free place in the référent's
    caseload (REFERENT_CASELOAD_CAP)."""
    name = mentor.user.get_full_name()
    # One query for the groups and the antenne (none for a superuser).
    scope = staff_scope(referent)
    if not (scope.referent or scope.coordinator):
        return f"{referent.get_full_name()} n'est pas un référent actif."
    if mentor.status != RegistrationStatus.APPROVED:
        return f"{name} : seul un mentor dont l'inscription est validée reçoit un référent."
    if mentor.antenne_id is not None and scope.antenne_id != mentor.antenne_id:
        return (
            f"{name} fait partie de l'antenne {mentor.antenne} : choisissez un référent de "
            f"cette antenne ({referent.get_full_name()} n'en est pas)."
        )
    if mentor.referent_id == referent.pk:
        return None
    cap = settings.REFERENT_CASELOAD_CAP
    if referent_caseload(referent) >= cap:
        return (
            f"{name} : {referent.get_full_name()} accompagne déjà {cap} mentors, le maximum "
            "par référent."
        )
    return None


@transaction.atomic
def mentor_assign_referent(*, mentor: Mentor, referent: User, assigned_by: User) -> Mentor:
    """Make `referent` the référent of an approved mentor, within their caseload cap
    (settings.REFERENT_CASELOAD_CAP). The count is taken under a lock on the référent's row:
    two coordinators assigning at once cannot both take the last place. Raises
    RegistrationError (in French) when refused; the mentor's history records the change."""
    # The référent's row first, then the mentor's: every assignment locks in that order.
    referent = User.objects.select_for_update().get(pk=referent.pk)
    mentor = Mentor.objects.select_for_update().select_related("user").get(pk=mentor.pk)
    if not staff_scope(assigned_by).covers(mentor.antenne_id):
        raise RegistrationError(
            f"{mentor.user.get_full_name()} : seule la coordination de son antenne, ou la "
            "coordination nationale, lui attribue un référent."
        )
    refusal = referent_assignment_refusal(mentor=mentor, referent=referent)
    if refusal:
        raise RegistrationError(refusal)
    if mentor.referent_id == referent.pk:
        return mentor
    mentor.referent = referent
    mentor._history_user = assigned_by
    mentor._change_reason = f"Référent : {referent.get_full_name()}"
    mentor.save(update_fields=["referent"])
    return mentor


def screening_date_error(checked_on: datetime.date, *, today: datetime.date) -> str | None:
    """Why a check seen on `checked_on` cannot be recorded today (in French), or None: not in
    the future, and still valid (SCREENING_VALIDITY_DAYS)."""
    if checked_on > today:
        return "La date du contrôle ne peut pas être dans le futur."
    if checked_on < screening_valid_since(today):
        return (
            f"Un contrôle de plus de {settings.SCREENING_VALIDITY_DAYS} jours n'est plus "
            "valable : demandez une pièce récente."
        )
    return None


@transaction.atomic
def mentor_approve_with_screening(
    *,
    mentor: Mentor,
    document: str,
    checked_on: datetime.date,
    approved_by: User,
    notify: bool = True,
) -> ScreeningRecord:
    """Record the honorability check the coordinator has just seen and approve the mentor,
    together or not at all. Raises RegistrationError (in French) when refused."""
    if document not in ScreeningDocument.values:
        raise RegistrationError("Choisissez la pièce vue dans la liste.")
    error = screening_date_error(checked_on, today=timezone.localdate())
    if error:
        raise RegistrationError(error)
    record = ScreeningRecord.objects.create(
        mentor=mentor, document=document, checked_on=checked_on, checked_by=approved_by
    )
    # Inside this transaction: a refused approval (already approved meanwhile…) undoes the
    # record too.
    registration_approve(registration=mentor, approved_by=approved_by, notify=notify)
    return record
