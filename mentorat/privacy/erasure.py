"""The right to erasure, by anonymisation: every IDENTIFYING field of everything about a
person is replaced and every FREE_TEXT field blanked (their history rows included), while
what the programme's statistics count stays: pairs, their dates and outcomes, sessions and
their durations, evaluation ratings, questionnaire scores, département, priority publics."""

import datetime

from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured
from django.db import models, transaction
from django.db.models import Q
from phonenumber_field.modelfields import PhoneNumberField

from evaluations.models import Answer, ClosureInterview, Response
from matching.models import OPEN_STATUSES, Mentorship, Objective
from mentees.models import Mentee
from mentors.models import Exchange, Mentor, ScreeningRecord
from prescribers.models import Prescriber, Referral
from reminders.models import Reminder
from sessions.models import FollowUp, PlannedMeeting, Session, SessionEvaluation
from users.models import Consent, OwedEmail, User
from users.scopes import staff_scope

from .access import person_within
from .enums import ErasureReason
from .models import ErasureRecord
from .registry import FREE_TEXT, IDENTIFYING, fields_of, is_axes_log, is_otp_device

ANONYMOUS_DOMAIN = "anonymise.invalid"


class ErasureError(Exception):
    """The person cannot be anonymised now; the message is shown to staff in French."""


def anonymous_email(prefix: str, pk: int) -> str:
    # The .invalid top-level domain can never receive mail (RFC 2606).
    return f"{prefix}-{pk}@{ANONYMOUS_DOMAIN}"


def is_anonymised(user) -> bool:
    return user.email.endswith(f"@{ANONYMOUS_DOMAIN}")


def _neutral(field: models.Field):
    if field.null:
        return None
    if isinstance(field, models.CharField | models.TextField | PhoneNumberField):
        return ""
    raise ImproperlyConfigured(
        f"No neutral value for {field.model._meta.label}.{field.name}: give one to _erase."
    )


def _erase(model, lookup: Q, **replacements) -> int:
    """Replace the IDENTIFYING and blank the FREE_TEXT fields of `model`'s rows matching
    `lookup`, and of its history rows: the lookup must use plain columns (`x_id__in`) valid
    on both tables, so that the history of deleted rows is reached too."""
    changed = 0
    targets = [model]
    if hasattr(model, "history"):
        targets.append(model.history.model)
    for target in targets:
        values = {
            field.name: replacements[field.name] if field.name in replacements else _neutral(field)
            for field in fields_of(target, IDENTIFYING) + fields_of(target, FREE_TEXT)
        }
        if values:
            changed += target.objects.filter(lookup).update(**values)
    return changed


def _ids(queryset) -> list[int]:
    return list(queryset.values_list("pk", flat=True))


def _with_history(model, lookup: Q) -> list[int]:
    """The ids of `model`'s rows matching `lookup`, deleted ones included."""
    ids = set(_ids(model.objects.filter(lookup)))
    if hasattr(model, "history"):
        ids |= set(model.history.model.objects.filter(lookup).values_list("id", flat=True))
    return sorted(ids)


def _erase_journal(objects: dict) -> None:
    """The admin's journal names the objects staff changed: forget those names."""
    for model, ids in objects.items():
        if ids:
            LogEntry.objects.filter(
                content_type=ContentType.objects.get_for_model(model),
                object_id__in=[str(pk) for pk in ids],
            ).update(object_repr="", change_message="")


def _erase_third_party(user, email: str, anonymous: str) -> None:
    for model in apps.get_models():
        if is_axes_log(model):
            _erase(model, Q(username__iexact=email), username=anonymous)
        elif is_otp_device(model):
            model.objects.filter(user=user).delete()


@transaction.atomic
def person_anonymise(*, user: User, performed_by: User | None, reason: str) -> ErasureRecord:
    """Anonymise `user` and everything about them, in one transaction. Running it again is
    harmless: it blanks again and returns the first record. `performed_by`, a coordinator
    whose scope holds the person (`access.persons_within`), or None for the retention job."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if performed_by is not None and not person_within(staff_scope(performed_by), user):
        raise ErasureError(
            "Seule la coordination de son antenne, ou la coordination nationale, anonymise "
            "cette personne."
        )
    if user.is_staff or user.is_superuser:
        raise ErasureError(
            "Un compte de l'équipe ne s'anonymise pas : retirez-lui d'abord ses droits."
        )
    open_pairs = Mentorship.objects.filter(Q(mentor__user=user) | Q(mentee__user=user))
    if open_pairs.filter(status__in=OPEN_STATUSES).exists():
        raise ErasureError("Cette personne a un binôme proposé ou en cours : clôturez-le d'abord.")
    email = user.email
    anonymous = anonymous_email("anonyme", user.pk)
    mentor = Mentor.objects.filter(user=user).first()
    mentee = Mentee.objects.filter(user=user).first()
    members = Q(pk__in=[])
    if mentor:
        members |= Q(mentor_id=mentor.pk)
    if mentee:
        members |= Q(mentee_id=mentee.pk)
    pair_ids = _with_history(Mentorship, members)
    session_ids = _with_history(Session, Q(mentorship_id__in=pair_ids))
    exchange_ids = _ids(Exchange.objects.filter(mentors__user=user)) if mentor else []

    User.objects.filter(pk=user.pk).update(
        email=anonymous,
        first_name="",
        last_name="",
        password=make_password(None),
        is_active=False,
        email_refused_reason="",
    )
    user.groups.clear()
    user.user_permissions.clear()
    _erase(Consent, Q(user_id=user.pk))
    _erase(OwedEmail, Q(recipient_id=user.pk))
    if mentor:
        _erase(Mentor, Q(id=mentor.pk))
        _erase(ScreeningRecord, Q(mentor_id=mentor.pk))
        _erase(Exchange, Q(id__in=exchange_ids))
    if mentee:
        # The year of birth stays for the age bands; the day and month go.
        born = datetime.date(mentee.birth_date.year, 7, 1)
        _erase(Mentee, Q(id=mentee.pk), birth_date=born)
        # The referral that brought them, with what the prescriber typed about them.
        _erase(Referral, Q(mentee_id=mentee.pk), birth_date=born)
        if mentee.guardian_email:
            _erase(
                Reminder,
                Q(recipient__isnull=True, recipient_email__iexact=mentee.guardian_email),
                recipient_email=anonymous_email("representant", mentee.pk),
            )
    _erase(
        Reminder,
        Q(recipient_id=user.pk) | Q(recipient_email__iexact=email),
        recipient_email=anonymous,
    )
    _erase(Prescriber, Q(user_id=user.pk))
    # A prescriber's referrals never completed have nobody else to answer for them.
    for referral_id, birth_date in Referral.objects.filter(
        prescriber__user=user, mentee__isnull=True
    ).values_list("pk", "birth_date"):
        _erase(Referral, Q(id=referral_id), birth_date=datetime.date(birth_date.year, 7, 1))
    _erase(Mentorship, Q(id__in=pair_ids))
    _erase(Objective, Q(mentorship_id__in=pair_ids))
    _erase(Session, Q(id__in=session_ids))
    _erase(SessionEvaluation, Q(session_id__in=session_ids))
    _erase(FollowUp, Q(session_id__in=session_ids))
    _erase(PlannedMeeting, Q(mentorship_id__in=pair_ids))
    _erase(Response, Q(mentorship_id__in=pair_ids))
    _erase(Answer, Q(response__mentorship_id__in=pair_ids))
    _erase(ClosureInterview, Q(mentorship_id__in=pair_ids))
    _erase_third_party(user, email, anonymous)
    _erase_journal(
        {
            User: [user.pk],
            Mentor: [mentor.pk] if mentor else [],
            Mentee: [mentee.pk] if mentee else [],
            Mentorship: pair_ids,
            Objective: _with_history(Objective, Q(mentorship_id__in=pair_ids)),
            Session: session_ids,
            ScreeningRecord: _ids(ScreeningRecord.objects.filter(mentor=mentor)) if mentor else [],
            Exchange: exchange_ids,
        }
    )
    existing = ErasureRecord.objects.filter(person_id=user.pk).order_by("performed_at").first()
    if existing is not None:
        return existing
    return ErasureRecord.objects.create(
        person_id=user.pk, performed_by=performed_by, reason=ErasureReason(reason)
    )
