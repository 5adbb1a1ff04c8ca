from collections.abc import Iterable

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from mentees.ages import MAJORITY_AGE, age_on, age_refusal
from mentees.enums import Declarant
from mentees.models import Mentee, PriorityMark, PriorityPublic
from mentees.services import mentee_register
from users.models import User
from users.roles import PRESCRIBERS_GROUP

from .enums import ConsultedPage
from .errors import PrescriberError
from .models import Organisation, Prescriber, Referral, ReferralConsultation
from .tasks import send_prescriber_invitation, send_referral_invitation

GUARDIAN_FIELDS = ("guardian_name", "guardian_email", "guardian_phone")


@transaction.atomic
def prescriber_account_create(
    *,
    organisation: Organisation,
    email: str,
    first_name: str,
    last_name: str,
    job_title: str = "",
    created_by: User,
) -> Prescriber:
    """A coordinator creates a prescriber's account: not staff, in the prescribers' group
    (which asks for the second factor), without a password: the person chooses it from the
    e-mailed link, then enrols their authenticator app at their first login."""
    email = User.objects.normalize_email(email).strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise PrescriberError({"email": "Cette adresse a déjà un compte sur la plateforme."})
    user = User(email=email, first_name=first_name.strip(), last_name=last_name.strip())
    user.set_unusable_password()
    user.save()
    group, _ = Group.objects.get_or_create(name=PRESCRIBERS_GROUP)
    user.groups.add(group)
    prescriber = Prescriber.objects.create(
        user=user, organisation=organisation, job_title=job_title.strip(), created_by=created_by
    )
    send_prescriber_invitation.delay_on_commit(prescriber.pk)
    return prescriber


@transaction.atomic
def referral_create(
    *,
    prescriber: Prescriber,
    first_name: str,
    last_name: str,
    email: str,
    birth_date,
    reason: str,
    phone: str = "",
    publics: Iterable[PriorityPublic] = (),
    guardian_name: str = "",
    guardian_email: str = "",
    guardian_phone: str = "",
) -> Referral:
    """A prescriber refers a young person: the young person (and the guardian of a minor)
    receives a signed link to complete their registration. Nothing else happens: a referral
    is not a registration, nobody is matched from it."""
    prescriber = Prescriber.objects.select_related("organisation", "user").get(pk=prescriber.pk)
    if not prescriber.organisation.is_active or not prescriber.user.is_active:
        raise PrescriberError("Votre structure ne peut plus orienter de jeunes vers le programme.")
    today = timezone.localdate()
    errors = {}
    refusal = age_refusal(birth_date, today)
    if refusal:
        errors["birth_date"] = refusal
    guardian = {
        "guardian_name": guardian_name.strip(),
        "guardian_email": guardian_email.strip().lower(),
        "guardian_phone": guardian_phone,
    }
    if not refusal and age_on(birth_date, today) < MAJORITY_AGE:
        for name in GUARDIAN_FIELDS:
            if not guardian[name]:
                errors[name] = (
                    f"Obligatoire pour un jeune de moins de {MAJORITY_AGE} ans : son "
                    "représentant légal reçoit aussi le lien."
                )
    publics = list(publics)
    withdrawn = [public for public in publics if not public.is_active]
    if withdrawn:
        errors["publics"] = f"« {withdrawn[0].label} » n'est plus un public proposé."
    if errors:
        raise PrescriberError(errors)
    referral = Referral.objects.create(
        prescriber=prescriber,
        organisation=prescriber.organisation,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        email=email.strip().lower(),
        phone=phone,
        birth_date=birth_date,
        reason=reason.strip(),
        **guardian,
    )
    referral.publics.set(publics)
    send_referral_invitation.delay_on_commit(referral.pk)
    return referral


def registration_initial(referral: Referral) -> dict:
    """What the young person's registration form starts with: what the prescriber typed.
    The priority publics are not ticked for them: they say themselves what they want to say
    (the prescriber's publics become marks of the prescriber's)."""
    initial = {
        "first_name": referral.first_name,
        "last_name": referral.last_name,
        "email": referral.email,
        # As text: the form's date input shows ISO dates only (a date would be localised).
        "birth_date": referral.birth_date.isoformat(),
        "guardian_name": referral.guardian_name,
        "guardian_email": referral.guardian_email,
    }
    if referral.phone:
        initial["phone"] = referral.phone
    if referral.guardian_phone:
        initial["guardian_phone"] = referral.guardian_phone
    return initial


@transaction.atomic
def referral_registration_complete(
    *, referral: Referral, email: str, first_name: str, last_name: str, fields: dict
) -> Mentee | None:
    """The young person completes their registration from the referral's link: the usual
    registration (their own consent, the guardian's for a minor, the review by staff), linked
    back to the referral, whose priority publics become marks declared by the prescriber,
    for staff to confirm. None, as for any registration, when the address has an account (its
    owner is told by e-mail); the referral then stays open. Raises PrescriberError when the
    link was used meanwhile, MenteeError as the public registration does."""
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if referral.mentee_id is not None:
        raise PrescriberError("Ce lien a déjà servi : ton inscription est enregistrée.")
    mentee = mentee_register(email=email, first_name=first_name, last_name=last_name, fields=fields)
    if mentee is None:
        return None
    referral.mentee = mentee
    referral.registered_at = mentee.created_at
    referral.save(update_fields=["mentee", "registered_at"])
    declared = set(mentee.priority_marks.values_list("public_id", flat=True))
    by = referral.prescriber.user if referral.prescriber_id else None
    for public in referral.publics.all():
        if public.pk in declared or not public.is_active:
            continue
        mark = PriorityMark(
            mentee=mentee,
            public=public,
            declared_by=Declarant.PRESCRIBER,
            declared_by_user=by,
            declared_at=referral.created_at,
        )
        mark._history_user = by
        mark._change_reason = "Déclaré par le prescripteur"
        mark.save()
    return mentee


def referrals_consulted(*, referrals: Iterable[Referral], by: User, page: str) -> None:
    """Trace what a prescriber was shown: one row per young person, in one query."""
    now = timezone.now()
    ReferralConsultation.objects.bulk_create(
        ReferralConsultation(
            referral=referral, consulted_by=by, consulted_at=now, page=ConsultedPage(page)
        )
        for referral in referrals
    )
