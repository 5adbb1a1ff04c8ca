from django.conf import settings
from django.db import transaction
from django.utils import timezone

from users.enums import ConsentKind
from users.geography import department_from_postal_code
from users.services import consent_record, registration_submitted, registration_user_create

from .models import Mentor


@transaction.atomic
def mentor_register(*, email: str, first_name: str, last_name: str, fields: dict) -> Mentor | None:
    """Record a mentor's public registration, pending review. None if the address is taken
    (its owner is told by e-mail)."""
    user = registration_user_create(email=email, first_name=first_name, last_name=last_name)
    if user is None:
        return None
    mentor = Mentor(
        user=user,
        department=department_from_postal_code(fields["postal_code"]),
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
