from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .antennes import Antenne, AntenneDepartment, AntenneMove, contacts_changed
from .enums import AntenneRole, ConsentKind, RegistrationStatus
from .errors import ServiceError
from .models import Consent, Registration, User
from .roles import COORDINATORS_GROUP, REFERENTS_GROUP
from .scopes import staff_scope
from .tasks import (
    send_account_exists_email,
    send_password_reset_email,
    send_registration_email,
    send_staff_invitation,
)


class RegistrationError(ServiceError):
    """A registration cannot take the requested step; the message is shown to staff in French."""


def registration_user_create(*, email: str, first_name: str, last_name: str) -> User | None:
    """Create the account of a new registrant, without a password (they choose it from the
    acknowledgement e-mail). Return None when the address already has an account: its owner is
    told by e-mail, and the visitor sees the same page as anybody else, so the form does not
    reveal which addresses are registered."""
    email = User.objects.normalize_email(email).lower()
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None:
        send_account_exists_email.delay_on_commit(existing.pk)
        return None
    user = User(email=email, first_name=first_name.strip(), last_name=last_name.strip())
    user.set_unusable_password()
    user.save()
    return user


def consent_record(
    *, user: User, kind: ConsentKind, version: str, given_by_name: str, given_by_email: str = ""
) -> Consent:
    return Consent.objects.create(
        user=user,
        kind=kind,
        version=version,
        given_by_name=given_by_name,
        given_by_email=given_by_email,
    )


def registration_submitted(*, registration: Registration, notify: bool = True) -> None:
    """Common end of a public registration: privacy consent and the acknowledgement e-mail
    (notify=False for data loaded by staff or the demo, whose addresses receive no mail)."""
    user = registration.user
    consent_record(
        user=user,
        kind=ConsentKind.PRIVACY_NOTICE,
        version=settings.PRIVACY_NOTICE_VERSION,
        given_by_name=user.get_full_name(),
        given_by_email=user.email,
    )
    if notify:
        send_registration_email.delay_on_commit(
            registration._meta.label, registration.pk, "received"
        )


def _registration_set_status(
    *, registration: Registration, status: RegistrationStatus, by: User | None, reason: str = ""
) -> None:
    registration.status = status
    registration._history_user = by
    registration._change_reason = reason or status.label
    registration.save()


def approval_refusal(registration: Registration) -> str | None:
    """Why the registration cannot be approved in its current status (in French), or None:
    what the approval checks, and what the admin reads to offer the button or not."""
    if registration.status == RegistrationStatus.APPROVED:
        return f"L'inscription de {registration} est déjà validée."
    if registration.status == RegistrationStatus.AWAITING_GUARDIAN_CONSENT:
        return f"L'inscription de {registration} attend encore l'accord de son représentant légal."
    return None


def rejection_refusal(registration: Registration) -> str | None:
    """Why the registration cannot be rejected in its current status, or None."""
    if registration.status == RegistrationStatus.REJECTED:
        return f"L'inscription de {registration} est déjà refusée."
    return None


@transaction.atomic
def registration_approve(
    *, registration: Registration, approved_by: User, notify: bool = True
) -> None:
    registration = type(registration).objects.select_for_update().get(pk=registration.pk)
    refusal = approval_refusal(registration)
    if refusal:
        raise RegistrationError(refusal)
    registration.rejection_reason = ""
    registration.reviewed_at = timezone.now()
    registration.reviewed_by = approved_by
    _registration_set_status(
        registration=registration, status=RegistrationStatus.APPROVED, by=approved_by
    )
    if notify:
        send_registration_email.delay_on_commit(
            registration._meta.label, registration.pk, "approved"
        )


@transaction.atomic
def registration_reject(
    *, registration: Registration, reason: str, rejected_by: User, notify: bool = True
) -> None:
    reason = reason.strip()
    if not reason:
        raise RegistrationError("Indiquez le motif du refus.")
    registration = type(registration).objects.select_for_update().get(pk=registration.pk)
    refusal = rejection_refusal(registration)
    if refusal:
        raise RegistrationError(refusal)
    registration.rejection_reason = reason
    registration.reviewed_at = timezone.now()
    registration.reviewed_by = rejected_by
    _registration_set_status(
        registration=registration, status=RegistrationStatus.REJECTED, by=rejected_by, reason=reason
    )
    if notify:
        send_registration_email.delay_on_commit(
            registration._meta.label, registration.pk, "rejected"
        )


STAFF_ROLES = {"coordinator": "coordinateurs", "referent": "référents"}


@transaction.atomic
def staff_account_setup(*, user: User, role: str, invited_by: User) -> User:
    """Make a freshly created account a staff member of the given role, and e-mail them a
    link to choose their password (the coordinator never knows it)."""
    from django.contrib.auth.models import Group

    if role not in STAFF_ROLES:
        raise RegistrationError("Choisissez le rôle : coordination ou référent.")
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    group, _ = Group.objects.get_or_create(name=STAFF_ROLES[role])
    user.groups.add(group)
    if not user.has_usable_password():
        send_staff_invitation.delay_on_commit(user.pk)
    return user


def password_links_owe(*, email: str) -> int:
    """« Mot de passe oublié »: a link owed to each active account of this address (the same
    whatever its case; registrants without a password included, so that somebody who lost
    their acknowledgement can still get in), sent through the outbox. How many are owed."""
    users = [
        user
        for user in User.objects.filter(email__iexact=email, is_active=True)
        if user.email.lower() == email.lower()
    ]
    for user in users:
        send_password_reset_email.delay_on_commit(user.pk)
    return len(users)


def user_email_changed(*, user: User) -> None:
    """The address of `user` was changed (by staff, in the admin): a refusal recorded by the
    mail server for the old address no longer says anything about the new one."""
    if user.email_refused_at is None and not user.email_refused_reason:
        return
    User.objects.filter(pk=user.pk).update(email_refused_at=None, email_refused_reason="")
    user.email_refused_at, user.email_refused_reason = None, ""


def registration_models() -> list[type[Registration]]:
    """The concrete registrations (mentors', young people's), from the app registry: users
    imports neither app."""
    return [model for model in apps.get_models() if issubclass(model, Registration)]


class AntenneError(ServiceError):
    """An antenne move or change is refused; the message is shown to staff in French."""


def registration_antenne_for(department: str | None) -> Antenne | None:
    """Where a new registration goes: the antenne covering its département, else none (the
    national programme)."""
    return Antenne.objects.for_department(department)


@transaction.atomic
def registration_move_antenne(
    *, registration: Registration, antenne: Antenne | None, moved_by: User, reason: str
) -> AntenneMove:
    """Move a person to another antenne (None: the national programme), recording who, when
    and why; their history records the change too. The mover is a coordinator whose scope
    holds the person where they are: the national coordination moves anybody, an antenne's
    coordination the people of its antenne (to hand them over to another one)."""
    registration = type(registration).objects.select_for_update().get(pk=registration.pk)
    if not staff_scope(moved_by).covers(registration.antenne_id):
        raise AntenneError(
            f"Seule la coordination de son antenne, ou la coordination nationale, change "
            f"{registration} d'antenne."
        )
    reason = (reason or "").strip()
    if not reason:
        raise AntenneError("Indiquez le motif du changement d'antenne.")
    if antenne is not None and not Antenne.objects.filter(pk=antenne.pk).exists():
        raise AntenneError("Cette antenne n'existe pas (ou plus).")
    if registration.antenne_id == (antenne.pk if antenne else None):
        where = f"à l'antenne {antenne}" if antenne else "au programme national"
        raise AntenneError(f"{registration} est déjà rattaché·e {where}.")
    move = AntenneMove.objects.create(
        person_id=registration.user_id,
        from_antenne_id=registration.antenne_id,
        to_antenne=antenne,
        moved_by=moved_by,
        reason=reason,
    )
    registration.antenne = antenne
    registration._history_user = moved_by
    registration._change_reason = f"Changement d'antenne : {reason}"
    registration.save(update_fields=["antenne", "updated_at"])
    transaction.on_commit(contacts_changed)
    return move


@transaction.atomic
def antenne_departments_set(*, antenne: Antenne, departments: list[str]) -> int:
    """The départements `antenne` covers, exactly `departments`. A département of another
    antenne is refused (AntenneError); the registrations of the newly covered départements
    that belong to no antenne (national) join this one. People of a département it no longer
    covers stay (a coordinator moves them). Returns how many registrations joined."""
    departments = sorted(set(departments))
    taken = list(
        AntenneDepartment.objects.filter(department__in=departments)
        .exclude(antenne=antenne)
        .select_related("antenne")
        .order_by("department")
    )
    if taken:
        raise AntenneError(
            "Déjà couvert par une autre antenne : "
            + ", ".join(f"{row} ({row.antenne})" for row in taken)
            + "."
        )
    current = set(antenne.departments.values_list("department", flat=True))
    antenne.departments.exclude(department__in=departments).delete()
    added = [code for code in departments if code not in current]
    AntenneDepartment.objects.bulk_create(
        [AntenneDepartment(antenne=antenne, department=code) for code in added]
    )
    transaction.on_commit(contacts_changed)
    joined = 0
    for model in registration_models():
        # One update per model; the history records nothing of it (a routing, not a move).
        joined += model.objects.filter(department__in=added, antenne=None).update(antenne=antenne)
    return joined


def membership_refusal(user, role: str) -> str | None:
    """Why `user` cannot take `role` in an antenne's team, in French (None: they can). The
    role must be the person's group's: any member of the coordinators' group placed in an
    antenne coordinates it (users.scopes: the coordinators' permissions over the antenne's
    rows), so « Référent » would misname them; a référent's place needs the référents' group,
    whose permissions it gives; a superuser sees the whole programme, in no antenne. One
    query."""
    rows = list(User.objects.filter(pk=user.pk).values_list("is_superuser", "groups__name"))
    superuser = bool(rows and rows[0][0])
    groups = {name for _, name in rows}
    name = user.get_full_name() or user.email
    if superuser:
        return (
            f"{name} est superutilisateur : ce compte voit tout le programme et n'appartient "
            "à aucune antenne."
        )
    if role == AntenneRole.COORDINATOR and COORDINATORS_GROUP not in groups:
        return (
            f"{name} n'est pas dans le groupe des coordinateurs : la coordination d'une antenne "
            "en a les droits. Ajoutez d'abord ce groupe à son compte (« Utilisateurs »), ou "
            "choisissez « Référent »."
        )
    if role == AntenneRole.REFERENT and COORDINATORS_GROUP in groups:
        return (
            f"{name} est dans le groupe des coordinateurs : dans une antenne, ce compte en a la "
            "coordination. Choisissez « Coordination de l'antenne »."
        )
    if role == AntenneRole.REFERENT and REFERENTS_GROUP not in groups:
        return (
            f"{name} n'est pas dans le groupe des référents : ajoutez d'abord ce groupe à son "
            "compte (« Utilisateurs »), ou choisissez un autre membre de l'équipe."
        )
    return None
