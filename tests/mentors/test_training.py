"""Training sessions: a mentor takes a seat within the capacity and gives it back before the
session; the confirmation e-mail says the date in Paris time and carries the .ics, after the
commit; staff record the attendance (a référent, of their own mentors only)."""

import datetime

import pytest
import time_machine
from icalendar import Calendar

from mentors.errors import MentorError
from mentors.models import Mentor, TrainingRegistration
from mentors.services_training import (
    training_attendance_record,
    training_cancel,
    training_seat_add,
    training_sign_up,
)
from tests.mentors.factories import (
    MentorFactory,
    TrainingRegistrationFactory,
    TrainingSessionFactory,
)
from tests.users.staff import make_coordinator, make_referent

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 5, 4, 8, 0, tzinfo=datetime.UTC)
# 16:00 UTC in June is 18:00 in Paris (summer time).
STARTS = datetime.datetime(2026, 6, 10, 16, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _fixed_now():
    with time_machine.travel(NOW, tick=False):
        yield


def coming(**fields):
    return TrainingSessionFactory(starts_at=STARTS, **fields)


def test_a_mentor_takes_a_seat_and_gets_the_date_in_paris_time_with_the_ics_after_the_commit(
    mailoutbox, django_capture_on_commit_callbacks
):
    session = coming(title="Formation initiale de juin", place="Maison des associations")
    mentor = MentorFactory(approved=True, user__first_name="Inès")

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        training_sign_up(session=session, mentor=mentor)
    assert mailoutbox == []
    for callback in callbacks:
        callback()

    assert TrainingRegistration.objects.filter(session=session, mentor=mentor).exists()
    [message] = mailoutbox
    assert message.to == [mentor.user.email]
    assert "Inès" not in message.subject
    assert "Bonjour Inès" in message.body
    assert "mercredi 10 juin 2026 à 18:00 (heure de Paris), pour 3h" in message.body
    assert "lieu : Maison des associations" in message.body
    [(html, _)] = message.alternatives
    assert "à 18:00 (heure de Paris)" in html
    [(name, content, mimetype)] = message.attachments
    assert (name, mimetype) == ("formation.ics", "text/calendar")
    [event] = Calendar.from_ical(content).walk("VEVENT")
    assert event.decoded("dtstart") == STARTS
    assert event.decoded("dtend") == STARTS + datetime.timedelta(hours=3)
    assert "Inès" not in str(content)


def test_the_same_confirmation_is_sent_once(mailoutbox, django_capture_on_commit_callbacks):
    from mentors.tasks import send_training_confirmation_email

    with django_capture_on_commit_callbacks(execute=True):
        seat = training_sign_up(session=coming(), mentor=MentorFactory(approved=True))
    send_training_confirmation_email(seat.pk)

    assert len(mailoutbox) == 1


@pytest.mark.parametrize(
    ("situation", "message"),
    [
        ("full", "Cette session est complète : choisissez-en une autre."),
        ("twice", "Déjà inscrit à cette session."),
        ("started", "Cette session a déjà commencé : l'inscription est fermée."),
        ("rejected", "Inscription impossible : ce mentor n'a pas été retenu."),
    ],
)
def test_a_seat_is_refused_with_the_reason(situation, message, mailoutbox):
    session = coming(capacity=1)
    mentor = MentorFactory(approved=True)
    if situation == "full":
        TrainingRegistrationFactory(session=session)
    elif situation == "twice":
        TrainingRegistrationFactory(session=session, mentor=mentor)
    elif situation == "started":
        session.starts_at = NOW - datetime.timedelta(minutes=1)
        session.save()
    else:
        Mentor.objects.filter(pk=mentor.pk).update(status="rejected")
        mentor.refresh_from_db()

    with pytest.raises(MentorError) as refused:
        training_sign_up(session=session, mentor=mentor)

    assert str(refused.value) == message
    assert TrainingRegistration.objects.filter(mentor=mentor, session=session).count() == (
        1 if situation == "twice" else 0
    )
    assert mailoutbox == []


def test_cancelling_gives_the_seat_to_the_next_mentor():
    session = coming(capacity=1)
    first, second = MentorFactory.create_batch(2, approved=True)
    training_sign_up(session=session, mentor=first)

    training_cancel(session=session, mentor=first)
    training_sign_up(session=session, mentor=second)

    assert list(session.registrations.values_list("mentor", flat=True)) == [second.pk]


def test_a_seat_cannot_be_cancelled_once_the_session_started_nor_one_never_taken():
    session = coming()
    mentor = MentorFactory(approved=True)
    with pytest.raises(MentorError, match="pas inscrit"):
        training_cancel(session=session, mentor=mentor)
    training_sign_up(session=session, mentor=mentor)

    with time_machine.travel(STARTS, tick=False), pytest.raises(MentorError, match="commencé"):
        training_cancel(session=session, mentor=mentor)

    assert session.registrations.count() == 1


def test_staff_may_add_somebody_who_came_without_signing_up_but_within_the_seats(mailoutbox):
    past = TrainingSessionFactory(past=True, capacity=1)
    came = training_seat_add(session=past, mentor=MentorFactory(approved=True))

    with pytest.raises(MentorError, match="complète"):
        training_seat_add(session=past, mentor=MentorFactory(approved=True))

    assert came.session == past
    # No confirmation for a session already held.
    assert mailoutbox == []


def test_a_coordinator_records_the_attendance_once_the_session_started():
    seat = TrainingRegistrationFactory(session__starts_at=STARTS)
    coordinator = make_coordinator()
    with pytest.raises(MentorError, match="pas encore eu lieu"):
        training_attendance_record(registration=seat, attended=True, recorded_by=coordinator)

    later = STARTS + datetime.timedelta(hours=4)
    with time_machine.travel(later, tick=False):
        training_attendance_record(registration=seat, attended=True, recorded_by=coordinator)

    seat.refresh_from_db()
    assert (seat.attended, seat.attendance_recorded_by, seat.attendance_recorded_at) == (
        True,
        coordinator,
        later,
    )


def test_a_referent_records_the_attendance_of_their_own_mentors_only():
    referent = make_referent()
    own = TrainingRegistrationFactory(session__past=True, mentor__referent=referent)
    other = TrainingRegistrationFactory(session__past=True, mentor__referent=make_referent())

    training_attendance_record(registration=own, attended=False, recorded_by=referent)
    with pytest.raises(MentorError, match="que des mentors que vous suivez"):
        training_attendance_record(registration=other, attended=True, recorded_by=referent)

    own.refresh_from_db()
    other.refresh_from_db()
    assert (own.attended, other.attended) == (False, None)


def test_the_approved_mentors_not_trained_are_those_without_an_initial_training_attended():
    trained = TrainingRegistrationFactory(session__past=True, attended=True).mentor
    absent = TrainingRegistrationFactory(session__past=True, attended=False).mentor
    workshop_only = TrainingRegistrationFactory(
        session__past=True, session__workshop=True, attended=True
    ).mentor
    never = MentorFactory(approved=True)
    MentorFactory()  # pending review: not counted

    assert set(Mentor.objects.untrained()) == {absent, workshop_only, never}
    assert trained not in Mentor.objects.untrained()
