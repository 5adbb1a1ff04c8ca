"""A référent gets one e-mail per sweep listing their overdue pairs, never one per pair; each
pair is told once per due date, whatever the number of sweeps; the weekly digests are optional
reminders, not sent to who asked for the essential ones only."""

import datetime
import itertools

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from reminders.enums import ReminderFrequency, ReminderKind, ReminderStatus
from reminders.models import Reminder, ReminderPreference
from reminders.sending import send_reminder_now
from reminders.sweep import digests, sweep, sweep_and_enqueue
from tests.matching.factories import MentorshipFactory
from tests.mentors.factories import MentorFactory
from tests.sessions.factories import SessionFactory
from tests.users.staff import make_referent

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 2)
NOON = datetime.datetime(2026, 3, 2, 12, tzinfo=timezone.get_default_timezone())
DAY = datetime.timedelta(days=1)
PAIRS = 5


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(NOON, tick=False):
        yield


# Distinct first names, none the start of another (« Jeune1x », « Jeune11x »): the bodies are
# searched for them.
FIRST_NAMES = (f"Jeune{number}x" for number in itertools.count(1))


def overdue_pairs(referent, count, *, started_days_ago=60):
    return [
        MentorshipFactory(
            active=True,
            started_on=TODAY - started_days_ago * DAY - index * DAY,
            mentor=MentorFactory(approved=True, referent=referent),
            mentee__user__first_name=next(FIRST_NAMES),
        )
        for index in range(count)
    ]


def run_sweep(django_capture_on_commit_callbacks, today=TODAY):
    with django_capture_on_commit_callbacks(execute=True):
        sweep_and_enqueue(today)


def to(address):
    return [message for message in mail.outbox if message.to == [address]]


def test_a_referent_gets_one_email_listing_every_overdue_pair(django_capture_on_commit_callbacks):
    referent = make_referent(first_name="Romane")
    pairs = overdue_pairs(referent, PAIRS)

    run_sweep(django_capture_on_commit_callbacks)

    [message] = to(referent.email)
    for pair in pairs:
        names = f"{pair.mentor.user.first_name} – {pair.mentee.user.first_name}"
        assert names in message.body
        assert names in message.alternatives[0][0]
    assert f"{PAIRS} binômes que vous suivez" in message.body
    for pair in pairs:
        assert pair.mentor.user.first_name not in message.subject
        assert pair.mentee.user.first_name not in message.subject
    # The per-pair alerts it stands for are recorded as told.
    alerts = Reminder.objects.filter(kind=ReminderKind.MEETING_OVERDUE_REFERENT)
    assert alerts.count() == PAIRS
    assert set(alerts.values_list("status", flat=True)) == {ReminderStatus.SENT}


def sent_digest_queries(django_assert_max_num_queries, referent) -> int:
    sweep(today=TODAY)
    [digest] = Reminder.objects.filter(
        kind=ReminderKind.REFERENT_OVERDUE_DIGEST, status=ReminderStatus.PENDING
    )
    with django_assert_max_num_queries(30) as queries:
        assert send_reminder_now(digest.pk) is True
    return len(queries)


def test_the_digest_reads_as_many_queries_for_two_pairs_as_for_eight(
    django_assert_max_num_queries,
):
    referent = make_referent()
    overdue_pairs(referent, 2)
    two = sent_digest_queries(django_assert_max_num_queries, referent)
    Reminder.objects.all().delete()
    overdue_pairs(referent, 6, started_days_ago=70)

    eight = sent_digest_queries(django_assert_max_num_queries, referent)

    assert eight == two
    assert "8 binômes que vous suivez" in mail.outbox[-1].body


def test_each_referent_gets_their_own_pairs_only(django_capture_on_commit_callbacks):
    first, second = make_referent(), make_referent()
    mine = overdue_pairs(first, 2)
    theirs = overdue_pairs(second, 3)

    run_sweep(django_capture_on_commit_callbacks)

    [message] = to(first.email)
    assert all(pair.mentee.user.first_name in message.body for pair in mine)
    assert not any(f"– {pair.mentee.user.first_name}" in message.body for pair in theirs)
    assert len(to(second.email)) == 1


def test_a_second_sweep_the_same_day_sends_nothing_again(django_capture_on_commit_callbacks):
    referent = make_referent()
    overdue_pairs(referent, PAIRS)

    run_sweep(django_capture_on_commit_callbacks)
    run_sweep(django_capture_on_commit_callbacks)

    assert len(to(referent.email)) == 1
    assert Reminder.objects.filter(kind=ReminderKind.REFERENT_OVERDUE_DIGEST).count() == 1


def test_the_next_days_digest_lists_only_the_pairs_newly_overdue(
    django_capture_on_commit_callbacks,
):
    referent = make_referent()
    told = overdue_pairs(referent, 3)
    run_sweep(django_capture_on_commit_callbacks)
    # A pair started 46 days before tomorrow becomes overdue tomorrow.
    [new] = overdue_pairs(referent, 1, started_days_ago=45)

    with time_machine.travel(NOON + DAY, tick=False):
        run_sweep(django_capture_on_commit_callbacks, today=TODAY + DAY)

    _first, second = to(referent.email)
    assert "Un binôme que vous suivez" in second.body
    assert f"– {new.mentee.user.first_name}" in second.body
    assert not any(f"– {pair.mentee.user.first_name}" in second.body for pair in told)


def test_a_redelivered_digest_task_sends_once(django_capture_on_commit_callbacks):
    referent = make_referent()
    overdue_pairs(referent, 2)
    sweep(today=TODAY)
    [digest] = Reminder.objects.filter(kind=ReminderKind.REFERENT_OVERDUE_DIGEST)

    assert send_reminder_now(digest.pk) is True
    assert send_reminder_now(digest.pk) is False
    assert len(mail.outbox) == 1


def test_pairs_that_met_since_the_alert_are_left_out_and_an_empty_digest_is_not_sent():
    referent = make_referent()
    [pair] = overdue_pairs(referent, 1)
    sweep(today=TODAY)
    SessionFactory(mentorship=pair, held_on=TODAY - DAY)
    pair.last_session_on = pair.last_qualifying_session_on = TODAY - DAY
    pair.save()
    [digest] = Reminder.objects.filter(kind=ReminderKind.REFERENT_OVERDUE_DIGEST)

    assert send_reminder_now(digest.pk) is False

    assert mail.outbox == []
    assert set(Reminder.objects.filter(recipient=referent).values_list("status", flat=True)) == {
        ReminderStatus.SKIPPED
    }


def test_the_dry_run_shows_one_digest_per_referent():
    referent = make_referent()
    overdue_pairs(referent, PAIRS)

    rows = sweep(today=TODAY, dry_run=True)

    assert [row.kind for row in rows if row.recipient_id == referent.pk] == [
        ReminderKind.REFERENT_OVERDUE_DIGEST
    ]
    assert not Reminder.objects.exists()


def test_the_overdue_digest_is_essential_whatever_the_referents_preference(
    django_capture_on_commit_callbacks,
):
    referent = make_referent()
    ReminderPreference.objects.create(user=referent, frequency=ReminderFrequency.ESSENTIAL_ONLY)
    overdue_pairs(referent, 2)

    run_sweep(django_capture_on_commit_callbacks)

    assert len(to(referent.email)) == 1


def test_the_weekly_digest_is_not_recorded_for_who_wants_essential_reminders_only():
    keen, quiet = make_referent(), make_referent()
    ReminderPreference.objects.create(user=quiet, frequency=ReminderFrequency.ESSENTIAL_ONLY)
    overdue_pairs(keen, 1)
    overdue_pairs(quiet, 1)

    rows = digests(today=TODAY)

    assert [row.recipient_id for row in rows if row.kind == ReminderKind.REFERENT_DIGEST] == [
        keen.pk
    ]
