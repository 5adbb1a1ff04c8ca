"""What a staff member sees. A **national coordinator** (the coordinators' group and no
antenne, or a superuser) sees the whole programme; an **antenne coordinator** (the coordinators'
group and a place in an antenne's team) has the same permissions, but only over the people and
pairs of their antenne; a **référent** (not a coordinator) sees their own mentors and their
pairs, whatever their antenne. Everybody else sees nothing of the back office.

The permissions say what a person may do; the scope says over which rows. Every staff list,
page, export and check of the back office reads its rows through `StaffScope.within` or asks
`StaffScope.covers`: a row outside the scope answers 404, as for a référent."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Q

from .roles import COORDINATORS_GROUP, REFERENTS_GROUP


@dataclass(frozen=True)
class StaffScope:
    coordinator: bool = False
    referent: bool = False
    # The antenne of the staff member's team (users.antennes.AntenneMembership), None for the
    # national team.
    antenne_id: int | None = None
    user_id: int | None = None

    @property
    def national(self) -> bool:
        """Sees the whole programme."""
        return self.coordinator and self.antenne_id is None

    @property
    def antenne_scoped(self) -> bool:
        """A coordinator of one antenne: the coordinators' permissions over its rows only."""
        return self.coordinator and self.antenne_id is not None

    @property
    def referent_scoped(self) -> bool:
        """A référent who is not a coordinator: their own mentors and their pairs."""
        return self.referent and not self.coordinator

    def covers(self, *antenne_ids: int | None) -> bool:
        """Whether a coordinator's scope holds a row of these antennes (a pair: the young
        person's and the mentor's; one is enough, since a search widened to the neighbouring
        antennes pairs people of two antennes). The national programme (None) is the national
        coordinators' only."""
        if self.national:
            return True
        return self.antenne_scoped and self.antenne_id in antenne_ids

    def q(self, *paths: str) -> Q:
        """The rows of the antenne, as a filter: `paths` lead from the model to an antenne
        (for a pair, both members' antennes). Everything for the national scope."""
        if self.national:
            return Q()
        if not self.antenne_scoped or not paths:
            return Q(pk__in=[])
        condition = Q()
        for path in paths:
            condition |= Q(**{path: self.antenne_id})
        return condition

    def within(self, queryset, *paths: str):
        """`queryset` limited to the coordinator's antenne (see `q`); unchanged for a
        national coordinator, empty for anybody who is no coordinator."""
        if self.national:
            return queryset
        return queryset.filter(self.q(*paths))


NOBODY = StaffScope()


def staff_scope(user) -> StaffScope:
    """The user's scope, read once per user object (a request's user: once per request). One
    query on their groups and antenne; none for a superuser, who is national."""
    cached = getattr(user, "_staff_scope", None)
    if cached is not None:
        return cached
    if not (getattr(user, "is_authenticated", False) and user.is_active and user.is_staff):
        scope = NOBODY
    elif user.is_superuser:
        scope = StaffScope(coordinator=True, user_id=user.pk)
    else:
        rows = list(
            get_user_model()
            .objects.filter(pk=user.pk)
            .values_list("groups__name", "antenne_membership__antenne_id")
        )
        names = {name for name, _ in rows}
        antenne_id = rows[0][1] if rows else None
        scope = StaffScope(
            coordinator=COORDINATORS_GROUP in names,
            referent=REFERENTS_GROUP in names,
            antenne_id=antenne_id,
            user_id=user.pk,
        )
    user._staff_scope = scope
    return scope


def forget_staff_scope(user) -> None:
    """After a change of the user's groups or antenne, within the same request."""
    user.__dict__.pop("_staff_scope", None)


def may_act_on(user, *, antenne_ids: Callable[[], Iterable[int | None]], referent_id=None) -> bool:
    """Whether staff member `user` may act on a pair or a mentor: as its référent
    (`referent_id`, the mentor's, whatever their antenne; None where only the coordination
    acts), or as a coordinator whose scope covers one of its antennes (a pair: the young
    person's and the mentor's, see `StaffScope.covers`). The one rule of the services' checks.

    `antenne_ids` is only called for an antenne coordinator: nobody else's answer depends on
    the antennes, and reading them may cost a query (a pair's members not loaded)."""
    if referent_id is not None and user.pk == referent_id and user.is_active and user.is_staff:
        return True
    scope = staff_scope(user)
    if scope.national:
        return True
    return scope.antenne_scoped and scope.covers(*antenne_ids())
