from django.conf import settings
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from users.enums import ConsentKind, RegistrationStatus
from users.geography import department_from_postal_code
from users.services import (
    consent_record,
    registration_antenne_for,
    registration_submitted,
    registration_user_create,
)

from .ages import DIGITAL_CONSENT_AGE, MAJORITY_AGE, age_on, age_refusal
from .enums import Declarant
from .errors import MenteeError
from .models import Mentee, PriorityMark, PriorityPublic
from .tasks import send_guardian_consent_request


@transaction.atomic
def mentee_register(*, email: str, first_name: str, last_name: str, fields: dict) -> Mentee | None:
    """Record a young person's public registration. Under 15 it waits for the guardian's
    consent before review; any minor's guardian is asked for consent by e-mail. None if the
    address is taken (its owner is told by e-mail). Raises MenteeError on `birth_date` outside
    the programme's ages, whoever calls it: the form's check is only the first.

    `fields["priority_publics"]` (optional) are the publics the young person ticked: each
    becomes a mark they declared, for staff to confirm. A public withdrawn from the form
    meanwhile is refused (MenteeError on `priority_publics`)."""
    fields = dict(fields)
    publics = list(fields.pop("priority_publics", None) or [])
    today = timezone.localdate()
    refusal = age_refusal(fields["birth_date"], today)
    if refusal:
        raise MenteeError({"birth_date": refusal})
    withdrawn = [public for public in publics if not public.is_active]
    if withdrawn:
        raise MenteeError(
            {"priority_publics": f"« {withdrawn[0].question} » n'est plus proposé : décoche-le."}
        )
    user = registration_user_create(email=email, first_name=first_name, last_name=last_name)
    if user is None:
        return None
    age = age_on(fields["birth_date"], today)
    department = department_from_postal_code(fields["postal_code"])
    mentee = Mentee(
        user=user,
        department=department,
        antenne=registration_antenne_for(department),
        status=(
            RegistrationStatus.AWAITING_GUARDIAN_CONSENT
            if age < DIGITAL_CONSENT_AGE
            else RegistrationStatus.PENDING_REVIEW
        ),
        **fields,
    )
    mentee._change_reason = "Inscription"
    mentee.save()
    # The marks and their history rows in two inserts, whatever the number of publics ticked.
    bulk_create_with_history(
        [
            PriorityMark(mentee=mentee, public=public, declared_at=mentee.created_at)
            for public in {public.pk: public for public in publics}.values()
        ],
        PriorityMark,
        default_change_reason="Déclaré à l'inscription",
    )
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


# --- Priority publics: staff confirm what the young person declared, add what is missing,
# remove what is wrong. Each change is in the mark's history with who made it.


def _mark_save(mark: PriorityMark, *, by, reason: str, **kwargs) -> PriorityMark:
    mark._history_user = by
    mark._change_reason = reason
    mark.save(**kwargs)
    return mark


@transaction.atomic
def priority_mark_confirm(*, mark: PriorityMark, confirmed_by) -> PriorityMark:
    """Staff confirm a public the young person declared (nothing changes if it already is).
    Raises PriorityMark.DoesNotExist if somebody removed it meanwhile."""
    mark = PriorityMark.objects.select_for_update().select_related("public").get(pk=mark.pk)
    if mark.confirmed_at is not None:
        return mark
    mark.confirmed_at = timezone.now()
    mark.confirmed_by = confirmed_by
    return _mark_save(
        mark, by=confirmed_by, reason="Confirmé", update_fields=["confirmed_at", "confirmed_by"]
    )


@transaction.atomic
def priority_marks_confirm_all(*, mentee: Mentee, confirmed_by) -> int:
    """Confirm every public the young person declared and staff have not confirmed yet."""
    marks = list(PriorityMark.objects.select_for_update().filter(mentee=mentee).unconfirmed())
    for mark in marks:
        priority_mark_confirm(mark=mark, confirmed_by=confirmed_by)
    return len(marks)


@transaction.atomic
def priority_mark_add(*, mentee: Mentee, public: PriorityPublic, added_by) -> PriorityMark:
    """Staff add a public the young person belongs to: declared by staff and confirmed by the
    same person. A public the young person declared already is confirmed instead. A public
    no longer proposed is refused (MenteeError on `public`)."""
    existing = PriorityMark.objects.filter(mentee=mentee, public=public).first()
    if existing is not None:
        return priority_mark_confirm(mark=existing, confirmed_by=added_by)
    if not public.is_active:
        raise MenteeError({"public": f"« {public.label} » n'est plus un public proposé."})
    now = timezone.now()
    mark = PriorityMark(
        mentee=mentee,
        public=public,
        declared_by=Declarant.STAFF,
        declared_by_user=added_by,
        declared_at=now,
        confirmed_at=now,
        confirmed_by=added_by,
    )
    return _mark_save(mark, by=added_by, reason="Ajouté par l'équipe")


@transaction.atomic
def priority_mark_remove(*, mark: PriorityMark, removed_by) -> None:
    """Staff remove a public the young person does not belong to; the mark's history keeps
    who removed it and when. Nothing happens if it is gone already."""
    mark = PriorityMark.objects.select_for_update().filter(pk=mark.pk).first()
    if mark is None:
        return
    mark._history_user = removed_by
    mark._change_reason = "Retiré par l'équipe"
    mark.delete()
