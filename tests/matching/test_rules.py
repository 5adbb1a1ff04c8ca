"""The programme's rhythm at every boundary: a meeting every 45 days (44 / 45 / 46 days), the
7-day "due soon" window, 89 / 90 minutes, 6 months (minus a day), and the same answer from the
Python methods and the QuerySet methods that the spaces, admin, reminders and reports use."""

import datetime

import pytest
import time_machine
from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matching.enums import ComplianceState, MentorshipStatus, ObjectiveStatus
from matching.models import Mentorship, Objective
from matching.rules import (
    MEETING_INTERVAL,
    expected_sessions,
    has_lasted_minimum,
    minimum_start_for,
    months_between,
)
from sessions.enums import SessionFormat, SessionTopic
from sessions.services import session_log, session_update
from tests.matching.factories import MentorshipFactory

pytestmark = pytest.mark.django_db

# A Monday far from any month end, so that "N days ago" never crosses a surprise.
TODAY = datetime.date(2026, 3, 16)
NOON = datetime.datetime(2026, 3, 16, 12, tzinfo=timezone.get_default_timezone())


def days_ago(days: int) -> datetime.date:
    return TODAY - datetime.timedelta(days=days)


def active_pair(*, started_on=None, last_session_on=None, **fields) -> Mentorship:
    """An active pair whose last session (if any) counted for the rhythm."""
    fields.setdefault("last_qualifying_session_on", last_session_on)
    return MentorshipFactory(
        active=True,
        started_on=started_on or days_ago(200),
        last_session_on=last_session_on,
        **fields,
    )


def queryset_view(pair: Mentorship, *, today=TODAY) -> dict:
    """What the QuerySet methods say about one pair, for comparison with its methods."""
    pairs = Mentorship.objects.filter(pk=pair.pk)
    return {
        "compliance": pairs.with_compliance(today=today).get().compliance,
        "overdue": pairs.overdue(today=today).exists(),
        "due_soon": pairs.due_soon(today=today).exists(),
    }


def log(pair: Mentorship, *, held_on: datetime.date, minutes: int):
    # session_log refuses a session in the future: "today" is pinned to TODAY.
    with time_machine.travel(NOON, tick=False):
        return session_log(
            mentorship=pair,
            author=pair.mentor.user,
            held_on=held_on,
            duration_minutes=minutes,
            format=SessionFormat.IN_PERSON,
            topics=[SessionTopic.ORIENTATION],
            summary="Point d'étape.",
        )


# Next meeting due


def test_the_next_meeting_is_due_45_days_after_the_last_session():
    pair = active_pair(started_on=days_ago(100), last_session_on=days_ago(10))

    assert pair.next_meeting_due() == days_ago(10) + datetime.timedelta(days=45)


def test_without_any_session_the_next_meeting_is_due_45_days_after_the_start():
    pair = active_pair(started_on=days_ago(10))

    assert pair.next_meeting_due() == days_ago(10) + MEETING_INTERVAL


def test_a_proposal_not_started_has_no_meeting_due():
    pair = MentorshipFactory()

    assert pair.next_meeting_due() is None
    assert pair.compliance_state(today=TODAY) is None


def test_logging_a_session_moves_the_next_meeting_due_date():
    pair = active_pair(started_on=days_ago(60))

    log(pair, held_on=days_ago(5), minutes=90)

    pair.refresh_from_db()
    assert pair.last_session_on == days_ago(5)
    assert pair.next_meeting_due() == days_ago(5) + MEETING_INTERVAL


def test_an_older_session_logged_late_does_not_move_the_due_date_back():
    pair = active_pair(started_on=days_ago(60))
    log(pair, held_on=days_ago(5), minutes=90)

    log(pair, held_on=days_ago(30), minutes=90)

    pair.refresh_from_db()
    assert pair.last_session_on == days_ago(5)


# 44 / 45 / 46 days, and the 7-day window: methods and QuerySets agree


@pytest.mark.parametrize(
    ("days_since", "expected"),
    [
        (0, ComplianceState.ON_TRACK),
        (37, ComplianceState.ON_TRACK),  # due in 8 days: outside the 7-day window
        (38, ComplianceState.DUE_SOON),  # due in 7 days: the window's first day
        (44, ComplianceState.DUE_SOON),  # due tomorrow
        (45, ComplianceState.DUE_SOON),  # due today: still not overdue
        (46, ComplianceState.OVERDUE),  # due yesterday
        (120, ComplianceState.OVERDUE),
    ],
)
@pytest.mark.parametrize("reference", ["last session", "start"])
def test_the_state_of_the_next_meeting_at_each_boundary(days_since, expected, reference):
    if reference == "start":
        pair = active_pair(started_on=days_ago(days_since))
    else:
        pair = active_pair(
            started_on=days_ago(days_since + 30), last_session_on=days_ago(days_since)
        )

    assert pair.compliance_state(today=TODAY) == expected
    assert queryset_view(pair) == {
        "compliance": expected,
        "overdue": expected == ComplianceState.OVERDUE,
        "due_soon": expected == ComplianceState.DUE_SOON,
    }


def test_a_meeting_due_today_is_neither_overdue_nor_behind_the_minimum():
    pair = active_pair(started_on=days_ago(45))

    assert pair.next_meeting_due() == TODAY
    assert not Mentorship.objects.overdue(today=TODAY).exists()
    assert pair.meets_minimum_so_far(today=TODAY)


def test_the_day_after_the_due_date_the_pair_is_overdue_and_behind_the_minimum():
    pair = active_pair(started_on=days_ago(46))

    assert list(Mentorship.objects.overdue(today=TODAY)) == [pair]
    assert not pair.meets_minimum_so_far(today=TODAY)


def test_without_an_explicit_day_the_rules_read_todays_date_in_paris():
    pair = active_pair(started_on=days_ago(100), last_session_on=days_ago(46))

    # 23:30 UTC on the 15th is already the 16th in Paris: 46 days, overdue.
    late_evening = datetime.datetime(2026, 3, 15, 23, 30, tzinfo=datetime.UTC)
    with time_machine.travel(late_evening, tick=False):
        assert pair.compliance_state() == ComplianceState.OVERDUE
        assert Mentorship.objects.with_compliance().get().compliance == ComplianceState.OVERDUE
        assert Mentorship.objects.overdue().get() == pair
    # The evening before in Paris: 45 days, due today.
    with time_machine.travel(late_evening - datetime.timedelta(hours=1), tick=False):
        assert pair.compliance_state() == ComplianceState.DUE_SOON
        assert Mentorship.objects.due_soon().get() == pair
        assert not Mentorship.objects.overdue().exists()


NOT_ACTIVE = {
    "proposed": {},
    "declined": {"declined": True},
    # Its last session long past: as an active pair it would be overdue.
    "closed": {
        "closed": True,
        "started_on": days_ago(400),
        "ended_on": days_ago(300),
        "last_session_on": days_ago(310),
        "last_qualifying_session_on": days_ago(310),
    },
}


@pytest.mark.parametrize("status", NOT_ACTIVE)
def test_a_pair_that_is_not_active_is_never_overdue_nor_due(status):
    pair = MentorshipFactory(**NOT_ACTIVE[status])

    assert pair.compliance_state(today=TODAY) is None
    assert queryset_view(pair) == {"compliance": None, "overdue": False, "due_soon": False}


def test_overdue_and_due_soon_chain_after_other_filters():
    overdue = active_pair(started_on=days_ago(100), last_session_on=days_ago(60))
    active_pair(started_on=days_ago(100), last_session_on=days_ago(40))
    active_pair(started_on=days_ago(100), last_session_on=days_ago(2))

    mentor_user = overdue.mentor.user

    assert list(Mentorship.objects.active().involving(mentor_user).overdue(today=TODAY)) == [
        overdue
    ]
    assert Mentorship.objects.overdue(today=TODAY).due_soon(today=TODAY).count() == 0


day_offsets = st.integers(min_value=0, max_value=400)


@settings(
    deadline=None,
    max_examples=60,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(started=day_offsets, since_last=st.one_of(st.none(), day_offsets))
def test_the_python_and_sql_definitions_of_the_rhythm_always_agree(started, since_last):
    # Each example in its own savepoint, rolled back: the examples share one test database.
    with transaction.atomic():
        pair = active_pair(
            started_on=days_ago(started),
            # A session never precedes the start of its pair.
            last_session_on=None if since_last is None else days_ago(min(since_last, started)),
        )

        state = pair.compliance_state(today=TODAY)

        assert queryset_view(pair) == {
            "compliance": state,
            "overdue": state == ComplianceState.OVERDUE,
            "due_soon": state == ComplianceState.DUE_SOON,
        }
        transaction.set_rollback(True)


def test_with_compliance_annotates_many_pairs_in_one_query(django_assert_num_queries):
    for days in (0, 40, 45, 46, 100):
        pair = active_pair(started_on=days_ago(200), last_session_on=days_ago(days))
        Objective.objects.create(mentorship=pair, title="CV", created_by=pair.mentor.user)
        Objective.objects.create(
            mentorship=pair,
            title="Stage",
            status=ObjectiveStatus.ACHIEVED,
            created_by=pair.mentor.user,
        )
    MentorshipFactory()

    with django_assert_num_queries(1):
        pairs = list(Mentorship.objects.with_compliance(today=TODAY))

    assert len(pairs) == 6
    active = [pair for pair in pairs if pair.status == MentorshipStatus.ACTIVE]
    assert sorted(pair.compliance for pair in active) == sorted(
        [
            ComplianceState.ON_TRACK,
            ComplianceState.DUE_SOON,
            ComplianceState.DUE_SOON,
            ComplianceState.OVERDUE,
            ComplianceState.OVERDUE,
        ]
    )
    assert all(pair.objectives_count == 2 and pair.objectives_pending == 1 for pair in active)


def test_the_meeting_reference_is_the_last_session_or_else_the_start():
    with_session = active_pair(started_on=days_ago(50), last_session_on=days_ago(3))
    without = active_pair(started_on=days_ago(20))

    references = dict(
        Mentorship.objects.with_compliance(today=TODAY).values_list("pk", "meeting_reference")
    )

    assert references == {with_session.pk: days_ago(3), without.pk: days_ago(20)}


# 89 / 90 minutes


def test_a_session_of_89_minutes_is_accepted_flagged_and_does_not_qualify():
    pair = active_pair(started_on=days_ago(60))

    session = log(pair, held_on=days_ago(1), minutes=89)

    pair.refresh_from_db()
    assert session.is_below_minimum
    assert pair.qualifying_sessions == 0
    # It still counts as a meeting for the 45-day rhythm.
    assert pair.last_session_on == days_ago(1)


def test_a_session_of_90_minutes_qualifies():
    pair = active_pair(started_on=days_ago(60))

    session = log(pair, held_on=days_ago(1), minutes=90)

    pair.refresh_from_db()
    assert not session.is_below_minimum
    assert pair.qualifying_sessions == 1


def test_the_qualifying_count_follows_a_corrected_duration():
    pair = active_pair(started_on=days_ago(60))
    session = log(pair, held_on=days_ago(1), minutes=89)

    with time_machine.travel(NOON, tick=False):
        session_update(session=session, author=pair.mentor.user, duration_minutes=90)

    pair.refresh_from_db()
    assert pair.qualifying_sessions == 1


def test_the_qualifying_count_is_per_pair():
    pair = active_pair(started_on=days_ago(60))
    other = active_pair(started_on=days_ago(60))
    for minutes in (89, 90, 120):
        log(pair, held_on=days_ago(2), minutes=minutes)
    log(other, held_on=days_ago(2), minutes=90)

    pair.refresh_from_db()
    other.refresh_from_db()
    assert (pair.qualifying_sessions, other.qualifying_sessions) == (2, 1)


# Months elapsed


@pytest.mark.parametrize(
    ("started_on", "months"),
    [
        (datetime.date(2026, 3, 16), 0),
        (datetime.date(2026, 2, 17), 0),  # a month minus a day
        (datetime.date(2026, 2, 16), 1),
        (datetime.date(2025, 9, 17), 5),  # 6 months minus a day
        (datetime.date(2025, 9, 16), 6),
        (datetime.date(2024, 3, 16), 24),
    ],
)
def test_months_elapsed_counts_whole_months_since_the_start(started_on, months):
    pair = active_pair(started_on=started_on)

    assert pair.months_elapsed(today=TODAY) == months


def test_months_elapsed_stop_at_the_end_of_a_closed_pair():
    pair = MentorshipFactory(
        closed=True, started_on=datetime.date(2025, 1, 10), ended_on=datetime.date(2025, 4, 10)
    )

    assert pair.months_elapsed(today=TODAY) == 3


def test_a_proposal_has_no_months_elapsed():
    assert MentorshipFactory().months_elapsed(today=TODAY) == 0


def test_months_between_is_never_negative():
    assert months_between(TODAY, days_ago(40)) == 0


# Meets the programme minimum so far


@pytest.mark.parametrize(
    ("started", "qualifying", "last_session", "expected"),
    [
        (10, 0, None, True),  # nothing due yet
        (45, 0, None, True),  # first meeting due today
        (46, 0, None, False),  # first meeting missed
        (100, 2, 10, True),  # two periods past, two qualifying sessions
        (100, 1, 10, False),  # met, but one meeting was too short
        (100, 3, 50, False),  # enough qualifying sessions, but overdue now
        (90, 1, 45, True),  # second meeting due today: one expected so far
        (91, 1, 46, False),  # second meeting missed
    ],
)
def test_a_pair_meets_the_minimum_when_not_overdue_with_one_qualifying_session_per_period(
    started, qualifying, last_session, expected
):
    pair = active_pair(
        started_on=days_ago(started),
        qualifying_sessions=qualifying,
        last_session_on=None if last_session is None else days_ago(last_session),
    )

    assert pair.meets_minimum_so_far(today=TODAY) is expected


def test_a_proposal_does_not_meet_the_minimum():
    assert not MentorshipFactory().meets_minimum_so_far(today=TODAY)


def test_a_closed_pair_is_judged_on_its_last_day():
    # One qualifying session over the 60 days the pair lasted: one period past, met.
    pair = MentorshipFactory(
        closed=True,
        started_on=datetime.date(2025, 1, 1),
        ended_on=datetime.date(2025, 3, 2),
        qualifying_sessions=1,
        last_session_on=datetime.date(2025, 2, 10),
        last_qualifying_session_on=datetime.date(2025, 2, 10),
    )

    assert pair.meets_minimum_so_far(today=TODAY)


@pytest.mark.parametrize(
    ("days", "expected"), [(0, 0), (1, 0), (45, 0), (46, 1), (90, 1), (91, 2), (-3, 0)]
)
def test_one_qualifying_session_is_expected_per_45_day_period_already_past(days, expected):
    assert expected_sessions(TODAY, TODAY + datetime.timedelta(days=days)) == expected


# Six months


def test_six_months_minus_a_day_is_not_the_minimum_and_six_months_is():
    assert not has_lasted_minimum(datetime.date(2025, 9, 17), TODAY)
    assert has_lasted_minimum(datetime.date(2025, 9, 16), TODAY)


@pytest.mark.parametrize(
    ("started_on", "day"),
    [
        (datetime.date(2025, 8, 31), datetime.date(2026, 2, 28)),
        (datetime.date(2023, 8, 31), datetime.date(2024, 2, 29)),
        (datetime.date(2025, 10, 31), datetime.date(2026, 4, 30)),
    ],
)
def test_a_pair_started_at_a_month_end_lasts_six_months_on_the_last_day_six_months_later(
    started_on, day
):
    assert started_on + relativedelta(months=6) == day
    assert months_between(started_on, day) == 6
    assert has_lasted_minimum(started_on, day)
    assert not has_lasted_minimum(started_on, day - datetime.timedelta(days=1))


dates = st.dates(min_value=datetime.date(2020, 1, 1), max_value=datetime.date(2030, 12, 31))


@settings(max_examples=500)
@given(started_on=dates, day=dates)
def test_the_six_month_minimum_agrees_with_the_months_shown(started_on, day):
    lasted = has_lasted_minimum(started_on, day)

    assert lasted == (months_between(started_on, day) >= 6)
    assert lasted == (started_on + relativedelta(months=6) <= day)
    assert lasted == (started_on <= minimum_start_for(day))


# Ready to close


def ready_pair(*, started_on, statuses) -> Mentorship:
    pair = active_pair(started_on=started_on, last_session_on=days_ago(3))
    for status in statuses:
        Objective.objects.create(
            mentorship=pair, title=f"Objectif {status}", status=status, created_by=pair.mentor.user
        )
    return pair


SIX_MONTHS_AGO = datetime.date(2025, 9, 16)
ACHIEVED = ObjectiveStatus.ACHIEVED


def test_a_pair_is_ready_to_close_after_six_months_with_its_objectives_achieved():
    pair = ready_pair(started_on=SIX_MONTHS_AGO, statuses=[ACHIEVED, ObjectiveStatus.ABANDONED])

    assert list(Mentorship.objects.ready_to_close(today=TODAY)) == [pair]


def test_six_months_minus_a_day_is_not_ready_to_close():
    ready_pair(started_on=SIX_MONTHS_AGO + datetime.timedelta(days=1), statuses=[ACHIEVED])

    assert not Mentorship.objects.ready_to_close(today=TODAY).exists()


@pytest.mark.parametrize("pending", [ObjectiveStatus.OPEN, ObjectiveStatus.IN_PROGRESS])
def test_an_objective_still_open_or_in_progress_keeps_the_pair_going(pending):
    ready_pair(started_on=SIX_MONTHS_AGO, statuses=[ACHIEVED, pending])

    assert not Mentorship.objects.ready_to_close(today=TODAY).exists()


@pytest.mark.parametrize(
    "statuses", [[], [ObjectiveStatus.ABANDONED]], ids=["no objective", "only abandoned"]
)
def test_a_pair_without_an_achieved_objective_is_not_ready_to_close(statuses):
    ready_pair(started_on=SIX_MONTHS_AGO, statuses=statuses)

    assert not Mentorship.objects.ready_to_close(today=TODAY).exists()


def test_a_closed_pair_is_not_ready_to_close_again():
    pair = ready_pair(started_on=SIX_MONTHS_AGO, statuses=[ACHIEVED])
    Mentorship.objects.filter(pk=pair.pk).update(status=MentorshipStatus.CLOSED)

    assert not Mentorship.objects.ready_to_close(today=TODAY).exists()


def test_ready_to_close_reads_todays_date_when_none_is_given():
    pair = ready_pair(started_on=SIX_MONTHS_AGO, statuses=[ACHIEVED])

    with time_machine.travel(NOON - datetime.timedelta(days=1), tick=False):
        assert not Mentorship.objects.ready_to_close().exists()
    with time_machine.travel(NOON, tick=False):
        assert list(Mentorship.objects.ready_to_close()) == [pair]


# Without objectives


def test_an_active_pair_without_objectives_is_listed_until_it_sets_one():
    pair = active_pair(started_on=days_ago(3))
    MentorshipFactory()  # a proposal has no objectives either, and is not listed

    assert list(Mentorship.objects.without_objectives()) == [pair]

    Objective.objects.create(mentorship=pair, title="Trouver un stage", created_by=pair.mentor.user)

    assert not Mentorship.objects.without_objectives().exists()


def test_the_objective_counts_stay_right_when_a_caller_joins_the_sessions_too():
    # A page that also counts sessions joins them: the objective counts must not multiply.
    pair = active_pair(started_on=days_ago(60))
    for minutes in (60, 90, 120):
        log(pair, held_on=days_ago(2), minutes=minutes)
    for status in (ObjectiveStatus.OPEN, ObjectiveStatus.ACHIEVED):
        Objective.objects.create(
            mentorship=pair, title=str(status), status=status, created_by=pair.mentor.user
        )

    annotated = (
        Mentorship.objects.with_compliance(today=TODAY).annotate(sessions_count=Count("sessions"))
    ).get()

    assert (annotated.sessions_count, annotated.objectives_count) == (3, 2)
    assert annotated.objectives_pending == 1
