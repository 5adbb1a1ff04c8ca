"""The rhythm follows the seed (« une rencontre d'1h30 tous les 1 mois et demi »): on any
history of sessions, the columns the services keep and the SQL that reads them say what a
plain reading of the rule says."""

import datetime
import importlib

import pytest
import time_machine
from django.apps import apps as django_apps
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matching.enums import ComplianceState
from matching.models import Mentorship
from sessions import services
from tests.matching.factories import MentorshipFactory
from tests.sessions.factories import SessionFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 3, 16, 11, 0, tzinfo=datetime.UTC)
TODAY = datetime.date(2026, 3, 16)
STARTED = TODAY - datetime.timedelta(days=300)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def plain_reading(history: list[tuple[datetime.date, int]], today: datetime.date):
    """The rule as the programme says it, with nothing of the code's: 45 days after the last
    meeting of at least 90 minutes, or after the start."""
    long_enough = [held_on for held_on, minutes in history if minutes >= 90]
    due = (max(long_enough) if long_enough else STARTED) + datetime.timedelta(days=45)
    if due < today:
        state = ComplianceState.OVERDUE
    elif due <= today + datetime.timedelta(days=7):
        state = ComplianceState.DUE_SOON
    else:
        state = ComplianceState.ON_TRACK
    return due, state, len(long_enough)


durations = st.one_of(st.sampled_from([89, 90]), st.integers(15, 89), st.integers(90, 480))
sessions = st.lists(st.tuples(st.integers(0, 300), durations), max_size=8)


@settings(
    deadline=None,
    max_examples=60,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(history=sessions, days_later=st.integers(0, 120))
def test_the_stored_rhythm_and_its_sql_agree_with_the_rule(history, days_later):
    today = TODAY + datetime.timedelta(days=days_later)
    # Each example in its own savepoint, rolled back: the examples share one test database.
    with transaction.atomic():
        pair = MentorshipFactory(active=True, started_on=STARTED)
        logged = [
            (STARTED + datetime.timedelta(days=offset), minutes) for offset, minutes in history
        ]
        for held_on, minutes in logged:
            services.session_log(
                mentorship=pair,
                author=pair.mentor.user,
                held_on=held_on,
                duration_minutes=minutes,
                format="in_person",
                topics=["orientation"],
                summary="Point d'étape.",
            )
        due, state, qualifying = plain_reading(logged, today)

        stored = Mentorship.objects.with_compliance(today=today).get(pk=pair.pk)
        assert stored.next_meeting_due() == due
        assert stored.meeting_reference + datetime.timedelta(days=45) == due
        assert stored.compliance == state == stored.compliance_state(today=today)
        assert stored.qualifying_sessions == qualifying
        assert stored.last_session_on == max((day for day, _ in logged), default=None)
        overdue = Mentorship.objects.overdue(today=today).filter(pk=pair.pk).exists()
        due_soon = Mentorship.objects.due_soon(today=today).filter(pk=pair.pk).exists()
        assert overdue == (state == ComplianceState.OVERDUE)
        assert due_soon == (state == ComplianceState.DUE_SOON)
        transaction.set_rollback(True)


def test_a_short_session_is_logged_but_does_not_reset_the_clock():
    pair = MentorshipFactory(active=True, started_on=STARTED)
    qualifying_on, short_on = (
        TODAY - datetime.timedelta(days=50),
        TODAY - datetime.timedelta(days=2),
    )
    for held_on, minutes in [(qualifying_on, 90), (short_on, 20)]:
        services.session_log(
            mentorship=pair,
            author=pair.mentor.user,
            held_on=held_on,
            duration_minutes=minutes,
            format="remote",
            topics=["orientation"],
            summary="Point rapide.",
        )

    pair.refresh_from_db()
    assert pair.last_session_on == short_on
    assert pair.last_qualifying_session_on == qualifying_on
    assert pair.next_meeting_due() == qualifying_on + datetime.timedelta(days=45)
    assert Mentorship.objects.overdue(today=TODAY).filter(pk=pair.pk).exists()


def test_the_migration_recomputes_the_rhythm_of_existing_pairs():
    recompute = importlib.import_module("sessions.migrations.0003_recompute_pair_rhythm").recompute
    pair = MentorshipFactory(active=True, started_on=STARTED)
    never_met = MentorshipFactory(active=True, started_on=STARTED)
    long_ago, lately = TODAY - datetime.timedelta(days=60), TODAY - datetime.timedelta(days=5)
    SessionFactory(mentorship=pair, held_on=long_ago)
    SessionFactory(mentorship=pair, held_on=lately, short=True)
    # As the old rule left them: the short session set the clock.
    Mentorship.objects.filter(pk=pair.pk).update(last_session_on=lately, qualifying_sessions=1)

    recompute(django_apps, None)

    pair.refresh_from_db()
    never_met.refresh_from_db()
    assert (pair.last_session_on, pair.last_qualifying_session_on) == (lately, long_ago)
    assert pair.qualifying_sessions == 1
    assert Mentorship.objects.overdue(today=TODAY).filter(pk=pair.pk).exists()
    assert (never_met.last_session_on, never_met.last_qualifying_session_on) == (None, None)
    assert never_met.qualifying_sessions == 0
