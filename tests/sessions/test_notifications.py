"""A meeting planned or changed by one member is sent to the other one, with its .ics, once,
after the commit; « tu » for the young person, « vous » for the mentor; no name in the
subject."""

import datetime

import pytest
import time_machine
from django.utils import timezone
from icalendar import Calendar

from reminders.enums import ReminderFrequency
from reminders.models import ReminderPreference
from sessions.models import PlannedMeeting
from sessions.services import meeting_plan
from sessions.tasks import send_meeting_planned_email
from tests.matching.factories import MentorshipFactory

pytestmark = pytest.mark.django_db

NOON = datetime.datetime(2026, 3, 16, 12, tzinfo=timezone.get_default_timezone())
NEXT_WEEK = datetime.datetime(2026, 3, 23, 18, 30, tzinfo=timezone.get_default_timezone())


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(NOON, tick=False):
        yield


@pytest.fixture
def pair():
    return MentorshipFactory(
        active=True,
        started_on=datetime.date(2026, 2, 1),
        mentor__user__first_name="Sophie",
        mentor__user__last_name="Lemoine",
        mentee__user__first_name="Yanis",
        mentee__user__last_name="Zerrouki",
    )


def plan(pair, author, starts_at=NEXT_WEEK, **fields):
    fields.setdefault("place", "Médiathèque Ulysse, Saint-Denis")
    return meeting_plan(mentorship=pair, author=author, starts_at=starts_at, **fields)


def html_of(message) -> str:
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return html


def test_the_mentors_meeting_goes_to_the_young_person_with_its_ics_after_the_commit(
    pair, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        plan(pair, pair.mentor.user)
    assert mailoutbox == []
    for callback in callbacks:
        callback()

    [message] = mailoutbox
    assert message.to == [pair.mentee.user.email]
    assert "Bonjour Yanis" in message.body
    assert "Sophie a prévu votre prochaine rencontre" in message.body
    assert "lundi 23 mars 2026 à 18:30" in message.body
    assert "Ajoute-la à ton agenda" in message.body  # « tu » for the young person
    assert "Ajoute-la à ton agenda" in html_of(message)
    [(name, content, mimetype)] = message.attachments
    assert (name, mimetype) == ("rencontre.ics", "text/calendar")
    [event] = Calendar.from_ical(content).walk("VEVENT")
    assert event.decoded("dtstart") == NEXT_WEEK
    assert str(event["location"]) == "Médiathèque Ulysse, Saint-Denis"
    for name in ("Sophie", "Lemoine", "Yanis", "Zerrouki"):
        assert name not in message.subject


def test_the_young_persons_meeting_goes_to_the_mentor_in_vous(
    pair, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        plan(pair, pair.mentee.user, video_link="https://visio.example.org/abc", place="")

    [message] = mailoutbox
    assert message.to == [pair.mentor.user.email]
    assert "Yanis a prévu votre prochaine rencontre" in message.body
    assert "Ajoutez-la à votre agenda" in message.body
    assert "visio : https://visio.example.org/abc" in message.body


def test_a_changed_meeting_is_sent_again_as_a_change(
    pair, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        plan(pair, pair.mentor.user)
    with (
        time_machine.travel(NOON + datetime.timedelta(minutes=5), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        plan(pair, pair.mentor.user, starts_at=NEXT_WEEK + datetime.timedelta(days=1))

    _first, second = mailoutbox
    assert "rencontre modifiée" in second.subject
    assert "Sophie a changé votre prochaine rencontre" in second.body
    assert "mardi 24 mars 2026" in second.body


def test_the_same_meeting_sent_twice_is_told_once(
    pair, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        plan(pair, pair.mentor.user)
    with (
        time_machine.travel(NOON + datetime.timedelta(minutes=5), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        plan(pair, pair.mentor.user)  # the form sent again, unchanged
    meeting = PlannedMeeting.objects.get(mentorship=pair)
    # A redelivered task for the current version sends nothing either.
    send_meeting_planned_email.delay(meeting.pk, meeting.updated_at.isoformat(), False)

    assert len(mailoutbox) == 1


def test_a_task_for_a_meeting_planned_again_since_sends_nothing(
    pair, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as first:
        plan(pair, pair.mentor.user)
    with (
        time_machine.travel(NOON + datetime.timedelta(minutes=5), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        plan(pair, pair.mentor.user, starts_at=NEXT_WEEK + datetime.timedelta(days=1))
    for callback in first:  # the first task runs late, after the change
        callback()

    [message] = mailoutbox
    assert "mardi 24 mars 2026" in message.body


def test_a_member_who_chose_essential_reminders_only_still_gets_the_meeting(
    pair, mailoutbox, django_capture_on_commit_callbacks
):
    # A meeting the other member planned is an appointment, not a reminder.
    ReminderPreference.objects.create(
        user=pair.mentee.user, frequency=ReminderFrequency.ESSENTIAL_ONLY
    )

    with django_capture_on_commit_callbacks(execute=True):
        plan(pair, pair.mentor.user)

    assert [message.to for message in mailoutbox] == [[pair.mentee.user.email]]
