"""Mentors' trainings: a mentor takes a seat at a session (within its capacity, counted under
a lock on the session's row) or gives it back before it starts; staff record who attended."""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from users.enums import RegistrationStatus
from users.models import User
from users.scopes import may_act_on

from .errors import MentorError
from .models import Mentor
from .training import TrainingRegistration, TrainingSession


def _locked_session(session: TrainingSession) -> TrainingSession:
    return TrainingSession.objects.select_for_update().get(pk=session.pk)


def training_seat_refusal(
    *, session: TrainingSession, mentor: Mentor, now: datetime.datetime, started_ok: bool = False
) -> dict | None:
    """Why `mentor` cannot take a seat at `session` (French messages by field), or None. A
    read: `_take_seat` asks it again under the session's lock."""
    if mentor.status == RegistrationStatus.REJECTED:
        return {"mentor": "Inscription impossible : ce mentor n'a pas été retenu."}
    if session.starts_at <= now and not started_ok:
        return {None: "Cette session a déjà commencé : l'inscription est fermée."}
    if TrainingRegistration.objects.filter(session=session, mentor=mentor).exists():
        return {"mentor": "Déjà inscrit à cette session."}
    if TrainingRegistration.objects.filter(session=session).count() >= session.capacity:
        return {None: "Cette session est complète : choisissez-en une autre."}
    return None


def _take_seat(
    *, session: TrainingSession, mentor: Mentor, now: datetime.datetime, started_ok: bool
) -> TrainingRegistration:
    from .tasks import send_training_confirmation_email

    session = _locked_session(session)
    refusal = training_seat_refusal(session=session, mentor=mentor, now=now, started_ok=started_ok)
    if refusal:
        raise MentorError(refusal)
    try:
        with transaction.atomic():
            registration = TrainingRegistration.objects.create(
                session=session, mentor=mentor, signed_up_at=now
            )
    except IntegrityError as error:
        raise MentorError({"mentor": "Déjà inscrit à cette session."}) from error
    if session.starts_at > now:
        send_training_confirmation_email.delay_on_commit(registration.pk)
    return registration


@transaction.atomic
def training_sign_up(
    *, session: TrainingSession, mentor: Mentor, now: datetime.datetime | None = None
) -> TrainingRegistration:
    """Take a seat for `mentor` at a coming session. The session's row is locked before the
    seats are counted: two mentors asking for the last seat at once queue here, and the second
    one counts the first one's seat. Raises MentorError (in French) when refused; the
    confirmation e-mail (with its .ics) is sent once the seat is committed."""
    return _take_seat(session=session, mentor=mentor, now=now or timezone.now(), started_ok=False)


@transaction.atomic
def training_seat_add(
    *, session: TrainingSession, mentor: Mentor, now: datetime.datetime | None = None
) -> TrainingRegistration:
    """Staff sign a mentor up, within the seats as a mentor would; also once the session has
    started (somebody who came without signing up, recorded afterwards). The e-mail goes out
    for a session still to come."""
    return _take_seat(session=session, mentor=mentor, now=now or timezone.now(), started_ok=True)


@transaction.atomic
def training_cancel(
    *, session: TrainingSession, mentor: Mentor, now: datetime.datetime | None = None
) -> None:
    """Give the seat back, before the session starts: another mentor may take it."""
    now = now or timezone.now()
    session = _locked_session(session)
    if session.starts_at <= now:
        raise MentorError(
            "Cette session a déjà commencé : l'inscription ne peut plus être annulée."
        )
    deleted, _ = TrainingRegistration.objects.filter(session=session, mentor=mentor).delete()
    if not deleted:
        raise MentorError("Vous n'êtes pas inscrit à cette session.")


@transaction.atomic
def training_attendance_record(
    *,
    registration: TrainingRegistration,
    attended: bool,
    recorded_by: User,
    now: datetime.datetime | None = None,
) -> TrainingRegistration:
    """Whether the mentor came, once the session has started: by the mentor's référent, or by
    a coordinator whose scope holds the mentor (the national coordination, or that of the
    mentor's antenne). Recorded again, it replaces the earlier answer (who and when too)."""
    now = now or timezone.now()
    registration = (
        TrainingRegistration.objects.select_for_update()
        .select_related("session", "mentor")
        .get(pk=registration.pk)
    )
    if registration.session.starts_at > now:
        raise MentorError(
            {"attended": "La session n'a pas encore eu lieu : la présence se note ensuite."}
        )
    mentor = registration.mentor
    if not may_act_on(
        recorded_by, referent_id=mentor.referent_id, antenne_ids=lambda: (mentor.antenne_id,)
    ):
        raise MentorError(
            {"attended": "Vous ne pouvez noter la présence que des mentors que vous suivez."}
        )
    registration.attended = attended
    registration.attendance_recorded_by = recorded_by
    registration.attendance_recorded_at = now
    registration.save(
        update_fields=["attended", "attendance_recorded_by", "attendance_recorded_at"]
    )
    return registration
