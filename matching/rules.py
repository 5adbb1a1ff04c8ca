"""The programme's rhythm: how long a pair has lasted, when its next meeting is due. The
numbers (at least MINIMUM_MONTHS, a meeting every MEETING_INTERVAL, a qualifying meeting of
at least MINIMUM_SESSION_MINUTES) and the coordinators' alert delays are stated in
users.programme."""

import calendar
import datetime

from dateutil.relativedelta import relativedelta

# The numbers live in users.programme (with their French words); imported here, where the
# rules that use them are.
from users.programme import (
    DUE_SOON,
    MEETING_INTERVAL,
    MINIMUM_MONTHS,
    MINIMUM_SESSION_MINUTES,
    PROPOSAL_UNANSWERED_AFTER,
    WAITING_ALERT,
)

__all__ = [
    "DUE_SOON",
    "MEETING_INTERVAL",
    "MINIMUM_MONTHS",
    "MINIMUM_SESSION_MINUTES",
    "PROPOSAL_UNANSWERED_AFTER",
    "WAITING_ALERT",
    "counts_for_rhythm",
    "expected_sessions",
    "has_lasted_minimum",
    "minimum_start_for",
    "months_between",
    "next_meeting_due",
]


def months_between(start: datetime.date, end: datetime.date) -> int:
    """Whole months from `start` to `end` (0 if `end` is earlier)."""
    if end < start:
        return 0
    delta = relativedelta(end, start)
    return delta.years * 12 + delta.months


def _last_day_of_month(day: datetime.date) -> bool:
    return day.day == calendar.monthrange(day.year, day.month)[1]


def minimum_start_for(day: datetime.date) -> datetime.date:
    """The latest start date of a pair that has lasted 6 months on `day`: the one test of
    the minimum, in Python and (as a constant date) in SQL.

    A pair has lasted 6 months when `started_on + 6 months <= day`, the reading of
    `months_between`: a pair started on 31 August has lasted 6 months on 28 February. On the
    last day of a month every later start of the month 6 months back qualifies too, so the
    latest start is then that month's last day (plain subtraction would give the 28th)."""
    earlier = day - relativedelta(months=MINIMUM_MONTHS)
    if _last_day_of_month(day):
        return earlier + relativedelta(day=31)
    return earlier


def has_lasted_minimum(started_on: datetime.date, day: datetime.date) -> bool:
    return started_on <= minimum_start_for(day)


def expected_sessions(started_on: datetime.date, today: datetime.date) -> int:
    """Qualifying sessions a pair should have had by `today`: one per 45-day period whose
    last day has passed. A meeting due today is not late yet (the pair is "due", not
    "overdue"), so day 45 still expects none and day 46 expects one."""
    if today <= started_on:
        return 0
    return ((today - started_on).days - 1) // MEETING_INTERVAL.days


def counts_for_rhythm(duration_minutes: int) -> bool:
    """A meeting resets the rhythm's clock from MINIMUM_SESSION_MINUTES on; a shorter one is
    logged, evaluated and followed up all the same."""
    return duration_minutes >= MINIMUM_SESSION_MINUTES


def next_meeting_due(
    *, started_on: datetime.date | None, last_qualifying_session_on: datetime.date | None
) -> datetime.date | None:
    """MEETING_INTERVAL after the last meeting that counts for the rhythm, or after the start
    when there is none yet (None before the start). The SQL reading is
    `MentorshipQuerySet.with_compliance`, from the same two columns."""
    reference = last_qualifying_session_on or started_on
    return reference + MEETING_INTERVAL if reference else None
