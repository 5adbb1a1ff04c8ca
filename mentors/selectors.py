"""Reads of the mentors' domain for the staff: who may accompany mentors, and how many each
already does."""

from django.db.models import Count, OuterRef, Q, Subquery

from users.enums import RegistrationStatus
from users.models import User
from users.roles import COORDINATORS_GROUP, REFERENTS_GROUP

from .models import Mentor


def approved_mentors_count(referent_path: str):
    """The caseload of the référent at `referent_path` (an OuterRef): the approved mentors
    they accompany, what the cap REFERENT_CASELOAD_CAP counts. A subquery, so that a list
    reads it in its own query."""
    return Subquery(
        Mentor.objects.filter(referent=OuterRef(referent_path), status=RegistrationStatus.APPROVED)
        .order_by()
        .values("referent")
        .annotate(n=Count("pk"))
        .values("n")
    )


def referent_accounts(*, including: int | None = None):
    """The accounts in the référent role, annotated with their `caseload`: active staff of
    the référents' group, neither coordinators nor superusers (who run the programme rather
    than accompany mentors). `including` adds one account whatever its role (a mentor's
    current référent), so that a form showing it stays valid."""
    referents = (
        User.objects.filter(
            groups__name=REFERENTS_GROUP, is_active=True, is_staff=True, is_superuser=False
        )
        .exclude(groups__name=COORDINATORS_GROUP)
        .values("pk")
    )
    wanted = Q(pk__in=referents)
    if including is not None:
        wanted |= Q(pk=including)
    return (
        User.objects.filter(wanted)
        .annotate(caseload=approved_mentors_count("pk"))
        .order_by("last_name", "first_name", "pk")
    )
