"""A mentor's free slots: their capacity less their open (proposed or active) pairs, never
below zero (a coordinator may lower a capacity under the pairs already formed). Stated once,
in SQL: the suggestions, the search, the batch, the admin's column and filter and the staff
pages all read the `free_slots` annotation."""

from django.db.models import Count, F, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, Greatest

from .models import Mentorship


def open_pairs_count():
    """An annotation: the number of proposed or active pairs of each mentor."""
    return Coalesce(
        Subquery(
            Mentorship.objects.open()
            .filter(mentor=OuterRef("pk"))
            .values("mentor")
            .annotate(count=Count("pk"))
            .values("count")
        ),
        0,
    )


def with_free_slots(mentors):
    """Mentors annotated with `open_pairs` and `free_slots`."""
    return mentors.annotate(open_pairs=open_pairs_count()).annotate(
        free_slots=Greatest(F("capacity") - F("open_pairs"), Value(0), output_field=IntegerField())
    )


# On mentors annotated by `with_free_slots`: those who can take one more young person.
HAS_FREE_SLOT = Q(free_slots__gt=0)
