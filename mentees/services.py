from django.conf import settings
from django.db import transaction
from django.utils import timezone

from users.enums import ConsentKind, RegistrationStatus
from users.geography import department_from_postal_code
from users.services import consent_record, registration_submitted, registration_user_create

from .ages import DIGITAL_CONSENT_AGE, MAJORITY_AGE, age_on, age_refusal
from .errors import MenteeError
from .models import Mentee
from .tasks import send_guardian_consent_request


@transaction.atomic
def mentee_register(*, email: str, first_name: str, last_name: str, fields: dict) -> Mentee | None:
    """Record a young person's public registration. Under 15 it waits for the guardian's
    consent before review; any minor's guardian is asked for consent by e-mail. None if the
    address is taken (its owner is told by e-mail). Raises MenteeError on `birth_date` outside
    the programme's ages, whoever calls it: the form's check is only the first."""
    today = timezone.localdate()
    refusal = age_refusal(fields["birth_date"], today)
    if refusal:
        raise MenteeError({"birth_date": refusal})
    user = registration_user_create(email=email, first_name=first_name, last_name=last_name)
    if user is None:
        return None
    age = age_on(fields["birth_date"], today)
    mentee = Mentee(
        user=user,
        department=department_from_postal_code(fields["postal_code"]),
        status=(
            RegistrationStatus.AWAITING_GUARDIAN_CONSENT
            if age < DIGITAL_CONSENT_AGE
            else RegistrationStatus.PENDING_REVIEW
        ),
        **fields,
    )
    mentee._change_reason = "Inscription"
    mentee.save()
    registration_submitted(registration=mentee)
    if age < MAJORITY_AGE:
        send_guardian_consent_request.delay_on_commit(mentee.pk)
    return mentee


@transaction.atomic
def guardian_consent_give(*, mentee: Mentee, guardian_name: str) -> None:
    mentee = Mentee.objects.select_for_update().select_related("user").get(pk=mentee.pk)
    if mentee.guardian_consent_at is not None:
        return
    mentee.guardian_consent_at = timezone.now()
    if mentee.status == RegistrationStatus.AWAITING_GUARDIAN_CONSENT:
        mentee.status = RegistrationStatus.PENDING_REVIEW
    mentee._change_reason = "Accord du représentant légal"
    mentee.save()
    consent_record(
        user=mentee.user,
        kind=ConsentKind.GUARDIAN,
        version=settings.PRIVACY_NOTICE_VERSION,
        given_by_name=guardian_name.strip(),
        given_by_email=mentee.guardian_email,
    )
