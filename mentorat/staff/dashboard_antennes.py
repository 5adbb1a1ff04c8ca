"""The antennes on the dashboard and in the funders' report: the filter « Antenne » (every
antenne, one antenne, or the national programme: the people of no antenne), forced to their own
antenne for an antenne coordinator, and the national coordinators' table « Par antenne ».

Which antenne a row counts in, everywhere on these pages and in their exports: a registration
(mentor or young person) in its own antenne; a pair, its sessions, its end and its
questionnaires in the **young person's** antenne. A pair is thus counted in exactly one
antenne (or in the national programme), and the antennes' rows add up to the whole programme.
(The staff scope, users.scopes, lets an antenne coordinator *act* on a pair of their mentor
too; the figures count each pair once.)"""

import datetime
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Count, IntegerField, Q, Value

from matching.enums import MentorshipStatus
from matching.models import Mentorship
from matching.selectors import mentees_awaiting_mentor
from users.antennes import Antenne
from users.scopes import StaffScope

# The filter's values, as in the query string (`?antenne=`): every antenne and the national
# programme, the national programme alone, or one antenne's id.
ALL_ANTENNES = ""
NO_ANTENNE = "national"
ALL_LABEL = "Toutes les antennes"
NO_ANTENNE_LABEL = "Programme national (sans antenne)"

STARTED = [MentorshipStatus.ACTIVE, MentorshipStatus.CLOSED]


def antenne_q(antenne: str, path: str) -> Q:
    """Rows whose antenne, reached by `path` ("antenne", "mentee__antenne"…), is the filter's:
    every row for ALL_ANTENNES, the rows of no antenne for NO_ANTENNE."""
    if antenne == NO_ANTENNE:
        return Q(**{f"{path}__isnull": True})
    if antenne:
        return Q(**{path: int(antenne)})
    return Q()


def antenne_params(antenne: str, path: str) -> dict:
    """The same filter as parameters of an admin list (`path` as in antenne_q)."""
    if antenne == NO_ANTENNE:
        return {f"{path}__isnull": "True"}
    if antenne:
        return {f"{path}__id__exact": antenne}
    return {}


@dataclass(frozen=True)
class AntenneRow:
    pk: int
    name: str
    target: int | None


def antennes_for(scope: StaffScope) -> list[AntenneRow]:
    """The antennes a coordinator sees, with their yearly targets, in one query: every
    antenne for a national coordinator (the filter's choices and the table « Par antenne »),
    their own for an antenne coordinator (to name it: their filter is forced, see
    `antenne_from`), none for anybody else."""
    if not scope.coordinator:
        return []
    antennes = Antenne.objects.order_by("name")
    if scope.antenne_scoped:
        antennes = antennes.filter(pk=scope.antenne_id)
    return [
        AntenneRow(pk=pk, name=name, target=target)
        for pk, name, target in antennes.values_list("pk", "name", "target_pairs_per_year")
    ]


def antenne_choices(antennes: list[AntenneRow]) -> list[tuple[str, str]]:
    return [
        (ALL_ANTENNES, ALL_LABEL),
        *((str(row.pk), row.name) for row in antennes),
        (NO_ANTENNE, NO_ANTENNE_LABEL),
    ]


def antenne_from(params, *, scope: StaffScope, antennes: list[AntenneRow]) -> str:
    """The antenne filter of the query string. An antenne coordinator's is their antenne,
    whatever the parameter says (a hand-edited `?antenne=` of another antenne is ignored, the
    page still shows their antenne's figures); a national coordinator's is one of
    `antenne_choices`, an unknown value being ignored like a mistyped date."""
    if scope.antenne_scoped:
        return str(scope.antenne_id)
    if not scope.national:
        return ALL_ANTENNES
    value = (params.get("antenne") or "").strip()
    if value in dict(antenne_choices(antennes)):
        return value
    return ALL_ANTENNES


def antenne_label(antenne: str, antennes: list[AntenneRow]) -> str:
    """The filter in words."""
    if antenne == NO_ANTENNE:
        return NO_ANTENNE_LABEL
    if not antenne:
        return ALL_LABEL
    return next((row.name for row in antennes if str(row.pk) == antenne), "")


def _share(part: int, whole: int | None) -> float | None:
    return part / whole if whole else None


def _grouped_counts(*, start: datetime.date, end: datetime.date, active: Q, today: datetime.date):
    """(antenne id or None, pairs started, pairs active, young people waiting) rows: the pairs
    grouped by their young person's antenne, then the young people awaiting a mentor grouped
    by theirs, in one query (UNION ALL of the two GROUP BY, each leaving the other's columns
    at 0)."""
    started = Q(status__in=STARTED, started_on__gte=start, started_on__lte=end)
    zero = Value(0, output_field=IntegerField())
    pairs = (
        Mentorship.objects.filter(started | active)
        .values_list("mentee__antenne")
        .annotate(started=Count("pk", filter=started), active=Count("pk", filter=active))
        .annotate(waiting=zero)
        .order_by()
    )
    waiting = (
        mentees_awaiting_mentor(today=today)
        .values_list("antenne")
        .annotate(started=zero, active=zero)
        .annotate(waiting=Count("pk"))
        .order_by()
    )
    return pairs.union(waiting, all=True)


def by_antenne(
    antennes: list[AntenneRow],
    *,
    start: datetime.date,
    end: datetime.date,
    active: Q,
    today: datetime.date,
) -> dict:
    """For each antenne, then the national programme (no antenne), then the whole programme:
    the pairs started from `start` to `end` (both included) against the antenne's yearly
    target, the pairs matching `active` (a condition on pairs: active today on the dashboard,
    active during the period in the report) and the young people awaiting a mentor today.
    Pairs by the young person's antenne. Two grouped queries whatever the number of antennes
    (`antennes` is already read, see `antennes_for`)."""
    counts = {}
    for antenne, started_count, active_count, waiting_count in _grouped_counts(
        start=start, end=end, active=active, today=today
    ):
        row = counts.setdefault(antenne, {"started": 0, "active": 0, "waiting": 0})
        row["started"] += started_count
        row["active"] += active_count
        row["waiting"] += waiting_count

    def row(pk: int | None, name: str, target: int | None, *, antenne: str) -> dict:
        found = counts.get(pk, {})
        started_count = found.get("started", 0)
        return {
            "antenne": antenne,
            "name": name,
            "started": started_count,
            "target": target,
            "share": _share(started_count, target),
            "active": found.get("active", 0),
            "waiting": found.get("waiting", 0),
        }

    rows = [row(a.pk, a.name, a.target, antenne=str(a.pk)) for a in antennes]
    rows.append(row(None, NO_ANTENNE_LABEL, None, antenne=NO_ANTENNE))
    targets = [a.target for a in antennes if a.target is not None]
    total_target = sum(targets) if targets else None
    total = {
        "antenne": ALL_ANTENNES,
        "name": "Ensemble du programme",
        "started": sum(r["started"] for r in rows),
        # The antennes' yearly targets added up (the national programme has none of its
        # own per year: its target is the programme's, settings.PROGRAMME_TARGET).
        "target": total_target,
        "active": sum(r["active"] for r in rows),
        "waiting": sum(r["waiting"] for r in rows),
    }
    total["share"] = _share(total["started"], total_target)
    return {
        "start": start,
        "end": end,
        "rows": rows,
        "total": total,
        # The programme's own target (young people mentored by a date, not pairs per year),
        # said beside the table.
        "programme_target": settings.PROGRAMME_TARGET,
        "programme_target_date": datetime.date.fromisoformat(settings.PROGRAMME_TARGET_DATE),
    }


def link_rows(table: dict, url: str, query: dict) -> dict:
    """Each row of `by_antenne` links to `url` filtered on its antenne (with `query`, the
    page's other parameters): the dashboard or the report of that antenne."""
    for row in [*table["rows"], table["total"]]:
        params = {**query, "antenne": row["antenne"]} if row["antenne"] else dict(query)
        row["url"] = f"{url}?{urlencode(params)}" if params else url
    return table
