"""The funders' report (« bilan ») for a period: what the programme did between two dates,
as the State's calls for projects ask funded associations to report it.

Every figure is computed in the database (aggregates with conditional counts, GROUP BY,
correlated subqueries), one query per section whatever the data size; only the mapping of
départements to their region, over at most a hundred grouped rows, is done here. Days are the
programme's (Europe/Paris): the period's bounds are dates, compared with date columns.

The definitions, stated once here and in words on the page (templates/admin/staff/bilan.html):

- mentored: the pairs that started in the period (a young person with two pairs in the period,
  after a rematch, counts twice in the pairs and once in the young people);
- by priority public: the pairs started whose young person is marked with that public
  (mentees.priority.PriorityMark, as marked today); a young person may belong to several
  publics, so the rows add up to more than the total;
- age band: the young person's age on the day the pair started (users.programme.AGE_BANDS);
- sex: the young person's civility (Madame, Monsieur, or not given);
- minimum duration: the pairs that reached RULES.minimum_duration during the period (the day
  they reached it falls in the period) without being closed before it;
  matching.rules.minimum_start_for is the one reading of the minimum, `lasted_minimum` its
  reading between two date columns;
- rhythm: of the pairs active at some point of the period, those that held at least one
  session of RULES.session_minimum per full meeting interval of the days they were active
  within the period (matching.rules.expected_sessions); a pair active for less than one
  interval in the period cannot have missed it and is counted apart;
- sessions and hours: the sessions held in the period, whatever their length;
- closures: the pairs closed in the period, by reason, and those closed before the minimum;
- self-assessment: evaluations.selectors.programme_progress for the end questionnaires
  submitted in the period;
- mentors: those with a pair active at some point of the period; of them, those who already
  had a pair that started before the period, and those who started a pair in the period after
  having started another one before it;
- antenne (`antenne`, mentorat.staff.dashboard_antennes): a pair, its sessions, its end and
  its questionnaires count in the young person's antenne, a mentor in their own; the report of
  every antenne is the sum of the antennes' and the national programme's (no antenne). An
  antenne coordinator's report is always their antenne's."""

import datetime
from dataclasses import dataclass

from django.core.cache import cache
from django.db import connection
from django.db.models import (
    Case,
    Count,
    DateField,
    F,
    Func,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import (
    Coalesce,
    ExtractDay,
    ExtractMonth,
    ExtractYear,
    Greatest,
    Least,
    Mod,
)
from django.db.models.lookups import (
    Exact,
    GreaterThan,
    GreaterThanOrEqual,
    In,
    LessThan,
    LessThanOrEqual,
)

from evaluations.selectors import programme_progress
from matching.enums import CloseReason, MentorshipStatus
from matching.geography import region_name, region_of
from matching.models import Mentorship
from matching.rules import (
    MEETING_INTERVAL,
    MINIMUM_MONTHS,
    MINIMUM_SESSION_MINUTES,
    minimum_start_for,
)
from mentees.priority import PriorityMark, PriorityPublic
from sessions.models import Session
from users.enums import Civility
from users.programme import AGE_BANDS, age_band_words

from .dashboard_antennes import ALL_ANTENNES, antenne_q

STARTED = [MentorshipStatus.ACTIVE, MentorshipStatus.CLOSED]
NOT_GIVEN = "Non renseigné"
OTHER_AGE = "Autre âge"
UNKNOWN_REGION = "Région inconnue"
UNKNOWN_REASON = "Motif non renseigné"


@dataclass(frozen=True)
class Period:
    """From `start` to `end`, both days included."""

    start: datetime.date
    end: datetime.date

    @classmethod
    def default(cls, today: datetime.date) -> "Period":
        """The current calendar year up to today."""
        return cls(start=today.replace(month=1, day=1), end=today)

    @property
    def slug(self) -> str:
        return f"{self.start.isoformat()}-au-{self.end.isoformat()}"

    def as_query(self) -> dict:
        return {"du": self.start.isoformat(), "au": self.end.isoformat()}


# --- Expressions


class DaysBetween(Func):
    """Whole days from the second date to the first (first minus second): PostgreSQL
    subtracts dates into days, SQLite through their Julian day numbers."""

    output_field = IntegerField()
    arity = 2

    def as_sql(self, compiler, connection, **extra):
        return super().as_sql(
            compiler,
            connection,
            template="CAST(julianday(%(expressions)s) AS INTEGER)",
            arg_joiner=") - julianday(",
            **extra,
        )

    def as_postgresql(self, compiler, connection, **extra):
        return super().as_sql(
            compiler, connection, template="(%(expressions)s)", arg_joiner=" - ", **extra
        )


def _date(day: datetime.date) -> Value:
    return Value(day, output_field=DateField())


def _days_in_month(column: str) -> Case:
    """The number of days in the month of the date column."""
    year, month = ExtractYear(column), ExtractMonth(column)
    leap = Q(Exact(Mod(year, 4), 0)) & (~Q(Exact(Mod(year, 100), 0)) | Q(Exact(Mod(year, 400), 0)))
    return Case(
        When(In(month, [4, 6, 9, 11]), then=Value(30)),
        When(~Q(Exact(month, 2)), then=Value(31)),
        When(leap, then=Value(29)),
        default=Value(28),
        output_field=IntegerField(),
    )


class AddMonths(Func):
    """PostgreSQL: the date column plus whole months, clamped to the month's last day (31
    August + 6 months is 28 February), as `dateutil.relativedelta` adds them."""

    output_field = DateField()

    def __init__(self, expression, months: int, **extra):
        super().__init__(expression, **extra)
        self.months = int(months)

    def as_postgresql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"({sql} + interval '{self.months} months')", params


def lasted_minimum(start: str = "started_on", end: str = "ended_on") -> Q:
    """Condition: from the date column `start` to `end` the programme's minimum duration was
    reached, as matching.rules.has_lasted_minimum(start, end) reads it (`start` no later than
    `minimum_start_for(end)`). PostgreSQL adds the months to the start (its interval
    arithmetic clamps to the month's end like relativedelta, and is cheap); elsewhere the
    same reading from the dates' parts: MINIMUM_MONTHS whole calendar months, the end's day
    of the month at least the start's, or the end on the last day of its month."""
    if connection.vendor == "postgresql":
        return Q(LessThanOrEqual(AddMonths(start, MINIMUM_MONTHS), F(end)))
    months = (ExtractYear(end) - ExtractYear(start)) * 12 + ExtractMonth(end) - ExtractMonth(start)
    end_day = ExtractDay(end)
    return Q(GreaterThan(months, MINIMUM_MONTHS)) | (
        Q(Exact(months, MINIMUM_MONTHS))
        & (
            Q(GreaterThanOrEqual(end_day, ExtractDay(start)))
            | Q(Exact(end_day, _days_in_month(end)))
        )
    )


def age_on_start(birth_date: str = "mentee__birth_date", start: str = "started_on"):
    """Completed years on the pair's first day (mentees.ages.age_on, in SQL)."""
    start_month, birth_month = ExtractMonth(start), ExtractMonth(birth_date)
    before_birthday = Q(LessThan(start_month, birth_month)) | (
        Q(Exact(start_month, birth_month)) & Q(LessThan(ExtractDay(start), ExtractDay(birth_date)))
    )
    return (
        ExtractYear(start)
        - ExtractYear(birth_date)
        - Case(When(before_birthday, then=Value(1)), default=Value(0), output_field=IntegerField())
    )


def pairs_of(antenne: str):
    """The pairs of the antenne filter's young people."""
    return Mentorship.objects.filter(antenne_q(antenne, "mentee__antenne"))


def started_in(period: Period, antenne: str = ALL_ANTENNES):
    """The pairs that started in the period."""
    return pairs_of(antenne).filter(
        status__in=STARTED, started_on__gte=period.start, started_on__lte=period.end
    )


def active_during(period: Period) -> Q:
    """Condition on pairs: active on at least one day of the period."""
    return Q(status__in=STARTED, started_on__lte=period.end) & (
        Q(ended_on__isnull=True) | Q(ended_on__gte=period.start)
    )


# --- The sections, one query each


def mentored(period: Period, antenne: str = ALL_ANTENNES) -> dict:
    """The pairs started in the period and their young people: totals, how many have priority
    publics, how many already reached the minimum duration; then by sex and age on the
    pair's first day (GROUP BY both, a few dozen rows summed here into each breakdown)."""
    # The young people with a priority public, with several: uncorrelated subqueries, which
    # the database reads once into a hash (not once per pair).
    marked = PriorityMark.objects.values("mentee")
    several = (
        PriorityMark.objects.values("mentee")
        .annotate(publics=Count("pk"))
        .filter(publics__gte=2)
        .values("mentee")
    )
    counts = started_in(period, antenne).aggregate(
        pairs=Count("pk"),
        young_people=Count("mentee", distinct=True),
        with_public=Count("pk", filter=Q(mentee__in=marked)),
        several_publics=Count("pk", filter=Q(mentee__in=several)),
        reached_minimum=Count(
            "pk",
            filter=Q(started_on__lte=minimum_start_for(period.end))
            & (Q(ended_on__isnull=True) | lasted_minimum()),
        ),
    )
    groups = (
        started_in(period, antenne)
        .values("mentee__civility", age=age_on_start())
        .annotate(pairs=Count("pk"))
        .order_by()
    )
    ages = dict.fromkeys(AGE_BANDS, 0)
    other_age = 0
    sexes = dict.fromkeys([*Civility.values, ""], 0)
    for row in groups:
        civility = row["mentee__civility"] if row["mentee__civility"] in sexes else ""
        sexes[civility] += row["pairs"]
        band = next(((low, high) for low, high in AGE_BANDS if low <= row["age"] <= high), None)
        if band is None:
            other_age += row["pairs"]
        else:
            ages[band] += row["pairs"]
    age_rows = [
        {"label": age_band_words(low, high), "count": count} for (low, high), count in ages.items()
    ]
    if other_age:
        age_rows.append({"label": OTHER_AGE, "count": other_age})
    sex_rows = [{"label": label, "count": sexes[value]} for value, label in Civility.choices]
    sex_rows.append({"label": NOT_GIVEN, "count": sexes[""]})
    return {
        **counts,
        "without_public": counts["pairs"] - counts["with_public"],
        "ages": age_rows,
        "sexes": sex_rows,
    }


def by_public(period: Period, antenne: str = ALL_ANTENNES) -> list[dict]:
    """Per priority public: the pairs started whose young person is marked with it, those
    young people, and the pairs whose mark staff confirmed (the pairs joined to their young
    person's marks, GROUP BY public), beside the list of publics. Withdrawn publics are shown
    only when they count some pair."""
    counts = {
        row["mentee__priority_marks__public"]: row
        for row in started_in(period, antenne)
        .filter(mentee__priority_marks__isnull=False)
        .values("mentee__priority_marks__public")
        .annotate(
            pairs=Count("pk"),
            young_people=Count("mentee", distinct=True),
            confirmed=Count("pk", filter=Q(mentee__priority_marks__confirmed_at__isnull=False)),
        )
        .order_by()
    }
    rows = []
    for public in PriorityPublic.objects.order_by("order", "label"):
        row = counts.get(public.pk, {})
        if not (public.is_active or row):
            continue
        rows.append(
            {
                "code": public.code,
                "label": public.label,
                "is_active": public.is_active,
                "pairs": row.get("pairs", 0),
                "young_people": row.get("young_people", 0),
                "confirmed": row.get("confirmed", 0),
            }
        )
    return rows


def by_place(period: Period, antenne: str = ALL_ANTENNES) -> dict:
    """The pairs started, by the young person's département (GROUP BY), then by region."""
    rows = (
        started_in(period, antenne)
        .values("mentee__department")
        .annotate(pairs=Count("pk"), young_people=Count("mentee", distinct=True))
        .order_by("mentee__department")
    )
    departments, regions = [], {}
    for row in rows:
        code = row["mentee__department"]
        region = region_of(code)
        name = region_name(region) if region else UNKNOWN_REGION
        departments.append(
            {
                "code": code,
                "region": name,
                "pairs": row["pairs"],
                "young_people": row["young_people"],
            }
        )
        total = regions.setdefault(name, {"label": name, "pairs": 0, "young_people": 0})
        total["pairs"] += row["pairs"]
        total["young_people"] += row["young_people"]
    return {
        "departments": departments,
        "regions": sorted(regions.values(), key=lambda r: (-r["pairs"], r["label"])),
    }


def minimum_reached(period: Period, antenne: str = ALL_ANTENNES) -> int:
    """The pairs whose day of reaching the minimum duration falls in the period, not closed
    before it: started after `minimum_start_for(the day before the period)` and no later than
    `minimum_start_for(its last day)`."""
    the_day_before = period.start - datetime.timedelta(days=1)
    return (
        pairs_of(antenne)
        .filter(
            status__in=STARTED,
            started_on__gt=minimum_start_for(the_day_before),
            started_on__lte=minimum_start_for(period.end),
        )
        .filter(Q(ended_on__isnull=True) | lasted_minimum())
        .count()
    )


def rhythm(period: Period, antenne: str = ALL_ANTENNES) -> dict:
    """The pairs active during the period and whether they kept the rhythm over their days in
    it (their window: from the later of their start and the period's, to the earlier of their
    end and the period's): `expected` = matching.rules.expected_sessions(window start, window
    end), `held` = the sessions of at least MINIMUM_SESSION_MINUTES held in the window."""
    window_start = Greatest("started_on", _date(period.start))
    window_end = Least(Coalesce("ended_on", _date(period.end)), _date(period.end))
    held = (
        Session.objects.filter(
            mentorship=OuterRef("pk"),
            held_on__gte=OuterRef("started_on"),
            held_on__lte=Coalesce(OuterRef("ended_on"), _date(period.end)),
            duration_minutes__gte=MINIMUM_SESSION_MINUTES,
        )
        .filter(held_on__gte=period.start, held_on__lte=period.end)
        .order_by()
        .values("mentorship")
        .annotate(n=Count("pk"))
        .values("n")
    )
    expected = (DaysBetween(window_end, window_start) - 1) / MEETING_INTERVAL.days
    measured = Q(GreaterThanOrEqual(expected, 1))
    counts = (
        pairs_of(antenne)
        .filter(active_during(period))
        .aggregate(
            pairs=Count("pk"),
            measured=Count("pk", filter=measured),
            kept=Count(
                "pk",
                filter=measured & Q(GreaterThanOrEqual(Coalesce(Subquery(held), 0), expected)),
            ),
        )
    )
    measured = counts["measured"]
    return {
        "pairs": counts["pairs"],
        "measured": measured,
        "too_recent": counts["pairs"] - measured,
        "kept": counts["kept"],
        "missed": measured - counts["kept"],
        "share": counts["kept"] / measured if measured else None,
    }


def sessions(period: Period, antenne: str = ALL_ANTENNES) -> dict:
    held = Session.objects.filter(
        antenne_q(antenne, "mentorship__mentee__antenne"),
        held_on__gte=period.start,
        held_on__lte=period.end,
    )
    counts = held.aggregate(
        sessions=Count("pk"),
        minutes=Coalesce(Sum("duration_minutes"), 0),
        qualifying=Count("pk", filter=Q(duration_minutes__gte=MINIMUM_SESSION_MINUTES)),
        pairs=Count("mentorship", distinct=True),
    )
    return {**counts, "hours": round(counts["minutes"] / 60, 1)}


def closures(period: Period, antenne: str = ALL_ANTENNES) -> dict:
    """The pairs closed in the period, by reason, and those closed before the minimum."""
    early = ~lasted_minimum()
    reasons = {f"r_{reason}": Q(close_reason=reason) for reason in CloseReason.values}
    unknown = ~Q(close_reason__in=CloseReason.values)
    counts = (
        pairs_of(antenne)
        .filter(
            status=MentorshipStatus.CLOSED, ended_on__gte=period.start, ended_on__lte=period.end
        )
        .aggregate(
            total=Count("pk"),
            early=Count("pk", filter=early),
            unknown=Count("pk", filter=unknown),
            unknown_early=Count("pk", filter=unknown & early),
            **{name: Count("pk", filter=condition) for name, condition in reasons.items()},
            **{
                f"{name}_early": Count("pk", filter=condition & early)
                for name, condition in reasons.items()
            },
        )
    )
    rows = [
        {
            "label": label,
            "count": counts[f"r_{value}"],
            "early": counts[f"r_{value}_early"],
        }
        for value, label in CloseReason.choices
    ]
    if counts["unknown"]:
        rows.append(
            {"label": UNKNOWN_REASON, "count": counts["unknown"], "early": counts["unknown_early"]}
        )
    return {"total": counts["total"], "early": counts["early"], "reasons": rows}


def mentors(period: Period, antenne: str = ALL_ANTENNES) -> dict:
    """Mentors with a pair active during the period, and their retention: per mentor (GROUP BY)
    their first start ever and their latest start in the period, then counted. A mentor
    started a pair in the period after another one exactly when their latest start in the
    period is later than their first start ever. By the mentor's own antenne (all their
    pairs, whatever their young people's): a mentor counts in one antenne."""
    in_period = Q(started_on__gte=period.start, started_on__lte=period.end)
    counts = (
        Mentorship.objects.filter(antenne_q(antenne, "mentor__antenne"), status__in=STARTED)
        .values("mentor")
        .annotate(
            active=Count("pk", filter=active_during(period)),
            first_start=Min("started_on"),
            latest_start=Max("started_on", filter=in_period),
        )
        .filter(active__gt=0)
        .aggregate(
            active=Count("mentor"),
            before=Count("mentor", filter=Q(first_start__lt=period.start)),
            started=Count("mentor", filter=Q(latest_start__isnull=False)),
            again=Count("mentor", filter=Q(latest_start__gt=F("first_start"))),
        )
    )
    active = counts["active"]
    return {
        **counts,
        "new": active - counts["before"],
        "before_share": counts["before"] / active if active else None,
        "again_share": counts["again"] / counts["started"] if counts["started"] else None,
    }


# The questionnaire figures aggregate every answer of the programme (0.3 s over 40,000
# pairs): they move slowly, so the report reuses them for a few minutes, as the dashboard does.
PROGRESS_CACHE_SECONDS = 10 * 60


def progress(period: Period, antenne: str = ALL_ANTENNES) -> list[dict]:
    """evaluations.selectors.programme_progress of the end questionnaires submitted in the
    period, kept PROGRESS_CACHE_SECONDS: keyed by the antenne filter too, so that an
    antenne's figures and the programme's never share an entry."""
    key = f"bilan:progress:{period.start.isoformat()}:{period.end.isoformat()}"
    if antenne:
        key += f":antenne={antenne}"
    rows = cache.get(key)
    if rows is None:
        rows = programme_progress(
            since=period.start,
            until=period.end,
            within=antenne_q(antenne, "response__mentorship__mentee__antenne"),
        )
        cache.set(key, rows, PROGRESS_CACHE_SECONDS)
    return rows


def bilan(period: Period, *, antenne: str = ALL_ANTENNES) -> dict:
    """Every section of the report for the period and the antenne filter: a constant number
    of queries."""
    return {
        "period": period,
        "antenne": antenne,
        "mentored": mentored(period, antenne),
        "publics": by_public(period, antenne),
        "places": by_place(period, antenne),
        "minimum_reached": minimum_reached(period, antenne),
        "rhythm": rhythm(period, antenne),
        "sessions": sessions(period, antenne),
        "closures": closures(period, antenne),
        "progress": progress(period, antenne),
        "mentors": mentors(period, antenne),
    }
