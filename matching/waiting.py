"""The waiting queue's facts, shared by the lists, the matching page and batch matching: since
when a young person waits, whether they come back after a pair that ended early (« rematch »),
and whether a pair already reached its objectives (they then no longer await a mentor)."""

import datetime

import numpy as np
from django.db.models import Exists, OuterRef
from django.db.models.functions import Coalesce, TruncDate

from .enums import CloseReason
from .models import Mentorship
from .rules import months_between

# A young person waits from their registration's approval (or, approved before that was
# recorded, from their registration). A pair that ends early does not reset it: the young
# person comes back with their original waiting time.
WAITING_SINCE = Coalesce("reviewed_at", "created_at")
# The same as a day in Paris (the days and months of waiting are counted in Paris days).
WAITING_SINCE_DAY = TruncDate(WAITING_SINCE)


def objectives_achieved() -> Exists:
    """Condition on young people (as the outer query): a pair of theirs closed « objectifs
    atteints »."""
    return Exists(
        Mentorship.objects.closed().filter(
            mentee=OuterRef("pk"), close_reason=CloseReason.OBJECTIVES_ACHIEVED
        )
    )


def ended_early() -> Exists:
    """Condition on young people (as the outer query): a pair of theirs closed for any other
    reason than « objectifs atteints » (the young person is a « rematch » when waiting)."""
    return Exists(
        Mentorship.objects.closed()
        .filter(mentee=OuterRef("pk"))
        .exclude(close_reason=CloseReason.OBJECTIVES_ACHIEVED)
    )


def whole_months_since(days, *, today: datetime.date) -> np.ndarray:
    """Whole months from each day (datetime64[D]) to `today`, as `rules.months_between` counts
    them (0 for a day after today). Computed once per distinct day: a queue has a few hundred
    distinct approval days, not one per young person."""
    days = np.asarray(days, dtype="datetime64[D]")
    distinct, at = np.unique(days, return_inverse=True)
    months = np.array(
        [months_between(day.astype(datetime.date), today) for day in distinct], dtype=np.int64
    )
    return months[at].reshape(days.shape) if len(distinct) else np.zeros(days.shape, np.int64)
