"""The programme's rhythm, in one place: at least 6 months, a meeting every 45 days, a
qualifying meeting lasts at least 90 minutes."""

import datetime

from dateutil.relativedelta import relativedelta

MEETING_INTERVAL = datetime.timedelta(days=45)
DUE_SOON = datetime.timedelta(days=7)
MINIMUM_SESSION_MINUTES = 90
MINIMUM_MONTHS = 6


def months_between(start: datetime.date, end: datetime.date) -> int:
    """Whole months from `start` to `end` (0 if `end` is earlier)."""
    if end < start:
        return 0
    delta = relativedelta(end, start)
    return delta.years * 12 + delta.months


def minimum_start_for(day: datetime.date) -> datetime.date:
    """The latest start date of a pair that has lasted 6 months on `day`: the one test of
    the minimum, in Python and (as a constant date) in SQL."""
    return day - relativedelta(months=MINIMUM_MONTHS)


def has_lasted_minimum(started_on: datetime.date, day: datetime.date) -> bool:
    return started_on <= minimum_start_for(day)


def expected_sessions(started_on: datetime.date, today: datetime.date) -> int:
    """Qualifying sessions a pair should have had by `today`: one per full 45 days."""
    if today < started_on:
        return 0
    return (today - started_on).days // MEETING_INTERVAL.days
