"""The daily sweep decides which reminders are due, from the domain's own rules, and records
each one once."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from matching.enums import MentorshipStatus, Response, Side
from reminders.enums import ReminderFrequency, ReminderKind, ReminderStatus
from reminders.models import Reminder, ReminderPreference
from reminders.sweep import coordinator_news, digests, due_reminders, referent_news, sweep
from tests.matching.factories import MentorshipFactory
from tests.mentees.factories import MenteeFactory
from tests.mentors.factories import MentorFactory
from tests.sessions.factories import (
    FollowUpFactory,
    PlannedMeetingFactory,
    SessionEvaluationFactory,
    SessionFactory,
)
from tests.users.factories import UserFactory
from users.enums import RegistrationStatus
from users.roles import COORDINATORS_GROUP

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 2)
DAY = datetime.timedelta(days=1)


def days_ago(days: int) -> datetime.date:
    return TODAY - days * DAY


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def due(kind: str, today: datetime.date = TODAY) -> set[tuple[str, str, str]]:
    """(target, recipient e-mail, period) of the reminders of `kind` due on `today`."""
    return {
        (reminder.target, reminder.recipient_email, reminder.period)
        for reminder in due_reminders(today=today)
        if reminder.kind == kind
    }


def active_pair(*, started_days_ago: int, **fields):
    return MentorshipFactory(active=True, started_on=days_ago(started_days_ago), **fields)


def members(pair, period: str) -> set[tuple[str, str, str]]:
    target = f"mentorship:{pair.pk}"
    return {(target, pair.mentor.user.email, period), (target, pair.mentee.user.email, period)}


# --- Meeting rhythm: a meeting every 45 days, reminded from 7 days before


def test_nothing_is_due_37_days_after_the_start():
    active_pair(started_days_ago=37)
    assert not due(ReminderKind.MEETING_DUE_SOON)
    assert not due(ReminderKind.MEETING_OVERDUE)


def test_both_members_are_reminded_38_days_after_the_start_for_a_meeting_due_in_7_days():
    pair = active_pair(started_days_ago=38)
    assert due(ReminderKind.MEETING_DUE_SOON) == members(pair, (TODAY + 7 * DAY).isoformat())
    assert not due(ReminderKind.MEETING_OVERDUE)


def test_the_last_session_not_the_start_sets_the_rhythm():
    pair = active_pair(
        started_days_ago=200, last_session_on=days_ago(38), last_qualifying_session_on=days_ago(38)
    )
    assert due(ReminderKind.MEETING_DUE_SOON) == members(pair, (TODAY + 7 * DAY).isoformat())


def test_a_meeting_due_today_is_still_due_soon_not_overdue():
    pair = active_pair(
        started_days_ago=100, last_session_on=days_ago(45), last_qualifying_session_on=days_ago(45)
    )
    assert due(ReminderKind.MEETING_DUE_SOON) == members(pair, TODAY.isoformat())
    assert not due(ReminderKind.MEETING_OVERDUE)


def test_on_day_46_both_members_and_the_referent_are_alerted():
    referent = UserFactory(staff=True)
    pair = active_pair(started_days_ago=46, mentor=MentorFactory(approved=True, referent=referent))
    period = (TODAY - DAY).isoformat()
    assert not due(ReminderKind.MEETING_DUE_SOON)
    assert due(ReminderKind.MEETING_OVERDUE) == members(pair, period)
    assert due(ReminderKind.MEETING_OVERDUE_REFERENT) == {
        (f"mentorship:{pair.pk}", referent.email, period)
    }


def test_an_overdue_pair_without_referent_alerts_nobody_else():
    active_pair(started_days_ago=46)
    assert len(due(ReminderKind.MEETING_OVERDUE)) == 2
    assert not due(ReminderKind.MEETING_OVERDUE_REFERENT)


def test_a_meeting_planned_ahead_suppresses_the_due_soon_reminder():
    pair = active_pair(started_days_ago=40)
    PlannedMeetingFactory(mentorship=pair, starts_at=at(TODAY + 3 * DAY))
    assert not due(ReminderKind.MEETING_DUE_SOON)


def test_only_active_pairs_have_a_rhythm():
    MentorshipFactory(closed=True, started_on=days_ago(100), ended_on=days_ago(1))
    assert not due(ReminderKind.MEETING_OVERDUE)


# --- Log and evaluate


def test_the_mentor_logs_a_past_planned_meeting_after_2_days():
    pair = active_pair(started_days_ago=20)
    meeting = PlannedMeetingFactory(mentorship=pair, starts_at=at(days_ago(1)))
    assert not due(ReminderKind.LOG_SESSION)
    expected = {(f"plannedmeeting:{meeting.pk}", pair.mentor.user.email, days_ago(1).isoformat())}
    assert due(ReminderKind.LOG_SESSION, TODAY + DAY) == expected


def test_a_session_logged_for_the_planned_date_answers_the_log_reminder():
    pair = active_pair(started_days_ago=20)
    PlannedMeetingFactory(mentorship=pair, starts_at=at(days_ago(5)))
    SessionFactory(mentorship=pair, held_on=days_ago(5), logged_at=at(days_ago(4)))
    assert not due(ReminderKind.LOG_SESSION)


def test_each_member_who_has_not_evaluated_a_session_is_reminded_after_3_days():
    session = SessionFactory(held_on=days_ago(3), logged_at=at(days_ago(2)))
    pair = session.mentorship
    assert not due(ReminderKind.EVALUATE_SESSION)
    assert due(ReminderKind.EVALUATE_SESSION, TODAY + DAY) == {
        (f"session:{session.pk}", pair.mentor.user.email, "once"),
        (f"session:{session.pk}", pair.mentee.user.email, "once"),
    }
    SessionEvaluationFactory(session=session, side=Side.MENTEE)
    assert due(ReminderKind.EVALUATE_SESSION, TODAY + DAY) == {
        (f"session:{session.pk}", pair.mentor.user.email, "once")
    }


# --- Questionnaires


def test_the_start_questionnaire_is_reminded_to_the_young_person_7_days_after_activation():
    pair = active_pair(started_days_ago=6)
    assert not due(ReminderKind.START_QUESTIONNAIRE)
    assert due(ReminderKind.START_QUESTIONNAIRE, TODAY + DAY) == {
        (f"mentorship:{pair.pk}", pair.mentee.user.email, "once")
    }


def test_the_end_questionnaire_is_reminded_7_days_after_closure():
    pair = MentorshipFactory(closed=True, started_on=days_ago(200), ended_on=days_ago(6))
    assert not due(ReminderKind.END_QUESTIONNAIRE)
    assert due(ReminderKind.END_QUESTIONNAIRE, TODAY + DAY) == {
        (f"mentorship:{pair.pk}", pair.mentee.user.email, "once")
    }


# --- Guardian consent and proposals


def test_the_guardian_is_reminded_at_7_and_14_days_and_never_a_third_time():
    mentee = MenteeFactory(under_15=True, created_at=at(days_ago(6)))
    target = f"mentee:{mentee.pk}"
    assert not due(ReminderKind.GUARDIAN_CONSENT)
    assert due(ReminderKind.GUARDIAN_CONSENT, TODAY + DAY) == {(target, mentee.guardian_email, "1")}
    assert due(ReminderKind.GUARDIAN_CONSENT, TODAY + 7 * DAY) == {
        (target, mentee.guardian_email, "1")
    }
    assert due(ReminderKind.GUARDIAN_CONSENT, TODAY + 8 * DAY) == {
        (target, mentee.guardian_email, "2")
    }
    assert due(ReminderKind.GUARDIAN_CONSENT, TODAY + 60 * DAY) == {
        (target, mentee.guardian_email, "2")
    }
    assert all(
        reminder.recipient_id is None
        for reminder in due_reminders(today=TODAY + DAY)
        if reminder.kind == ReminderKind.GUARDIAN_CONSENT
    )


def test_a_proposal_is_reminded_after_5_days_to_the_members_who_have_not_answered():
    pair = MentorshipFactory(
        proposed_at=at(days_ago(4)),
        mentor_response=Response.ACCEPTED,
        status=MentorshipStatus.PROPOSED,
    )
    assert not due(ReminderKind.PROPOSAL_UNANSWERED)
    assert due(ReminderKind.PROPOSAL_UNANSWERED, TODAY + DAY) == {
        (f"mentorship:{pair.pk}", pair.mentee.user.email, "once")
    }


# --- Recording


def test_a_second_sweep_records_nothing_new():
    active_pair(started_days_ago=46)
    first = sweep(today=TODAY)
    assert len(first) == 2  # both members, overdue
    assert Reminder.objects.count() == 2
    second = sweep(today=TODAY)
    assert Reminder.objects.count() == 2
    # Still pending (nothing sent yet): handed back again, the send task sends each once.
    assert {row.pk for row in second} == {row.pk for row in first}


def test_a_sent_reminder_is_not_handed_back():
    active_pair(started_days_ago=46)
    sweep(today=TODAY)
    Reminder.objects.update(status=ReminderStatus.SENT, sent_at=timezone.now())
    assert sweep(today=TODAY) == []


def test_a_pending_row_left_by_a_dead_worker_is_handed_back_later():
    left = Reminder.objects.create(
        kind=ReminderKind.LOG_SESSION,
        target="plannedmeeting:1",
        recipient_email="mentor@example.org",
        period="2026-01-01",
        created_at=timezone.now() - datetime.timedelta(hours=1),
    )
    assert [row.pk for row in sweep(today=TODAY)] == [left.pk]


def test_a_dry_run_writes_nothing():
    active_pair(started_days_ago=46)
    assert len(sweep(today=TODAY, dry_run=True)) == 2
    assert not Reminder.objects.exists()


# --- Preferences


def prefer(user, frequency):
    ReminderPreference.objects.create(user=user, frequency=frequency)


def test_essential_only_skips_a_non_essential_reminder_but_not_an_essential_one():
    session = SessionFactory(mentorship=active_pair(started_days_ago=46), logged_at=at(days_ago(4)))
    mentor = session.mentorship.mentor.user
    prefer(mentor, ReminderFrequency.ESSENTIAL_ONLY)
    to_mentor = {r.kind for r in due_reminders(today=TODAY) if r.recipient_id == mentor.pk}
    assert to_mentor == {ReminderKind.MEETING_OVERDUE}
    mentee = session.mentorship.mentee.user
    to_mentee = {r.kind for r in due_reminders(today=TODAY) if r.recipient_id == mentee.pk}
    assert ReminderKind.EVALUATE_SESSION in to_mentee


def test_weekly_skips_non_essential_reminders_for_a_week_after_one_was_sent():
    session = SessionFactory(logged_at=at(days_ago(4)))
    mentor = session.mentorship.mentor.user
    prefer(mentor, ReminderFrequency.WEEKLY)

    def kinds_to_mentor(today):
        return {r.kind for r in due_reminders(today=today) if r.recipient_id == mentor.pk}

    assert ReminderKind.EVALUATE_SESSION in kinds_to_mentor(TODAY)
    Reminder.objects.create(
        kind=ReminderKind.LOG_SESSION,
        target="plannedmeeting:1",
        recipient=mentor,
        recipient_email=mentor.email,
        period="2026-02-27",
        status=ReminderStatus.SENT,
        sent_at=at(days_ago(2)),
    )
    assert ReminderKind.EVALUATE_SESSION not in kinds_to_mentor(TODAY)
    assert ReminderKind.EVALUATE_SESSION in kinds_to_mentor(TODAY + 6 * DAY)


# --- Digests


def test_a_referent_digest_counts_overdue_pairs_sessions_to_follow_up_and_nothing_else():
    busy, idle = UserFactory(staff=True), UserFactory(staff=True)
    mentor = MentorFactory(approved=True, referent=busy)
    active_pair(started_days_ago=46, mentor=mentor)
    followed = SessionFactory(mentorship=active_pair(started_days_ago=10, mentor=mentor))
    FollowUpFactory(session=followed)
    SessionFactory(mentorship=active_pair(started_days_ago=10, mentor=mentor))
    MentorFactory(approved=True, referent=idle)
    news = referent_news(today=TODAY)
    assert news == {busy.pk: {"overdue": 1, "awaiting_follow_up": 1, "ready_to_close": 0}}
    rows = digests(today=TODAY)
    assert [(row.kind, row.recipient_id, row.period) for row in rows] == [
        (ReminderKind.REFERENT_DIGEST, busy.pk, "2026-W10")
    ]


def test_coordinators_get_a_digest_of_registrations_to_review_and_long_waits():
    coordinator = UserFactory(staff=True)
    coordinator.groups.add(Group.objects.get_or_create(name=COORDINATORS_GROUP)[0])
    MenteeFactory(status=RegistrationStatus.PENDING_REVIEW)
    MenteeFactory(approved=True, reviewed_at=at(days_ago(31)))
    MenteeFactory(approved=True, reviewed_at=at(days_ago(29)))
    assert coordinator_news(today=TODAY) == {"pending_review": 1, "awaiting_mentor": 1}
    rows = digests(today=TODAY)
    assert [(row.kind, row.recipient_id) for row in rows] == [
        (ReminderKind.COORDINATOR_DIGEST, coordinator.pk)
    ]
    assert digests(today=TODAY + DAY) == rows  # the same week: the same rows, none added
    assert Reminder.objects.count() == 1


def test_nobody_gets_a_digest_when_there_is_nothing_to_say():
    UserFactory(coordinator=True)
    MentorFactory(approved=True, referent=UserFactory(staff=True))
    assert digests(today=TODAY) == []


# --- Scale


def test_the_number_of_queries_does_not_grow_with_the_pairs(django_assert_num_queries):
    """Each kind is one set-based query (plus the preferences), whatever the number of pairs:
    the count measured with 2 pairs must hold for 20."""

    def make_pairs(count):
        for _ in range(count):
            pair = active_pair(started_days_ago=46, mentor=MentorFactory(approved=True))
            SessionFactory(mentorship=pair, logged_at=at(days_ago(4)))
            PlannedMeetingFactory(mentorship=pair, starts_at=at(days_ago(3)))
        # A preference makes the second preference query run too.
        prefer(pair.mentor.user, ReminderFrequency.WEEKLY)

    make_pairs(2)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as two:
        due_reminders(today=TODAY)
    Reminder.objects.all().delete()
    make_pairs(18)
    with django_assert_num_queries(len(two)):
        assert len(due_reminders(today=TODAY)) > 20 * 3
