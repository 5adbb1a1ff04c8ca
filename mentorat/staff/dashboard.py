"""The coordinator dashboard's figures, every one computed in the database (aggregates,
conditional counts, TruncMonth): the number of queries does not depend on the data size,
which matters at national scale (40,000 young people, 200,000 sessions).

Filters: `since` / `until` (`?du=` / `?au=`) bound the registration date for registrations,
the funnel, the waiting list and the priority publics, and the start date for pair figures;
`department` is the young person's département for pair and session figures, the
registration's own département otherwise; closures and their questionnaires are bounded by
the pair's end date. `public` (a PriorityPublic code) keeps the young people marked with that
priority public, their pairs and sessions, and the mentors who accompany(d) one of them.
`antenne` (dashboard_antennes) keeps the registrations of the antenne and the pairs, sessions
and closures of its young people; an antenne coordinator's is always their antenne. The target
is the programme's (programme-wide, whatever the other filters) or, with one antenne chosen,
that antenne's yearly target."""

import datetime
import math
from dataclasses import dataclass
from urllib.parse import urlencode

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db.models import (
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    Min,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, TruncMonth
from django.urls import reverse
from django.utils import timezone

from evaluations.enums import Moment, ResponseStatus
from evaluations.models import ClosureInterview, Response
from evaluations.selectors import closure_answers_summary, programme_progress
from matching.enums import CloseReason, ComplianceState, MentorshipStatus, Side
from matching.models import Mentorship
from matching.rules import MINIMUM_SESSION_MINUTES
from matching.selectors import mentees_awaiting_mentor
from mentees.models import Mentee, PriorityMark, PriorityPublic
from mentors.models import Mentor
from sessions.models import Session
from users.antennes import Antenne, AntenneDepartment
from users.enums import RegistrationStatus
from users.programme import RULES

from .dashboard_antennes import ALL_ANTENNES, NO_ANTENNE, STARTED, antenne_params, antenne_q

DEFAULT_REFERENT_CASELOAD_CAP = 25
SESSION_MONTHS = 12
# Waiting time is shown as buckets of days: portable across databases and more telling to
# a coordinator than a single mean skewed by a few forgotten registrations.
WAITING_BUCKETS = [(0, 30), (30, 90), (90, 180), (180, None)]


@dataclass(frozen=True)
class Filters:
    since: datetime.date | None = None
    until: datetime.date | None = None
    department: str = ""
    # A PriorityPublic code (the view keeps only existing ones), or "" for every young person.
    public: str = ""
    # dashboard_antennes: ALL_ANTENNES, NO_ANTENNE or an antenne's id (the view keeps only
    # those the coordinator may see).
    antenne: str = ALL_ANTENNES

    @property
    def antenne_id(self) -> int | None:
        """The one antenne chosen, if any (not for every antenne nor the national programme)."""
        return int(self.antenne) if self.antenne.isdigit() else None

    def in_public(self, prefix: str = "") -> Exists:
        """Rows whose young person (reached by `prefix`, itself if empty) has the public."""
        return Exists(
            PriorityMark.objects.filter(
                mentee=OuterRef(f"{prefix}pk" if prefix else "pk"), public__code=self.public
            )
        )

    def registrations(self, queryset, prefix: str = ""):
        """Registrations (mentors or young people), or rows reached from one by `prefix`."""
        if self.since:
            queryset = queryset.filter(**{f"{prefix}created_at__date__gte": self.since})
        if self.until:
            queryset = queryset.filter(**{f"{prefix}created_at__date__lte": self.until})
        if self.department:
            queryset = queryset.filter(**{f"{prefix}department": self.department})
        if self.antenne:
            queryset = queryset.filter(antenne_q(self.antenne, f"{prefix}antenne"))
        if self.public:
            if queryset.model is Mentor and not prefix:
                # A mentor belongs to a public through the young people they accompany(d).
                queryset = queryset.filter(
                    Exists(
                        Mentorship.objects.filter(mentor=OuterRef("pk")).filter(
                            self.in_public("mentee__")
                        )
                    )
                )
            else:
                queryset = queryset.filter(self.in_public(prefix))
        return queryset

    def pairs(self, queryset, prefix: str = ""):
        if self.since:
            queryset = queryset.filter(**{f"{prefix}started_on__gte": self.since})
        if self.until:
            queryset = queryset.filter(**{f"{prefix}started_on__lte": self.until})
        return self.young_people(queryset, prefix=f"{prefix}mentee__")

    def young_people(self, queryset, *, prefix: str):
        """Rows whose young person (reached by `prefix`) is of the département, the antenne
        and the public."""
        if self.department:
            queryset = queryset.filter(**{f"{prefix}department": self.department})
        if self.antenne:
            queryset = queryset.filter(antenne_q(self.antenne, f"{prefix}antenne"))
        if self.public:
            queryset = queryset.filter(self.in_public(prefix))
        return queryset

    def organisations(self, queryset, *, prefix: str):
        """Rows whose prescribing organisation (reached by `prefix`) is of the département and
        the antenne: an organisation belongs to the antenne of its département, as a
        registration does when it is made."""
        if self.department:
            queryset = queryset.filter(**{f"{prefix}department": self.department})
        if self.antenne_id is not None:
            covered = AntenneDepartment.objects.filter(antenne=self.antenne_id)
            queryset = queryset.filter(**{f"{prefix}department__in": covered.values("department")})
        elif self.antenne == NO_ANTENNE:
            covered = AntenneDepartment.objects.values("department")
            queryset = queryset.exclude(**{f"{prefix}department__in": covered})
        return queryset

    def mentor_params(self) -> dict:
        """The same filters as parameters of the mentors' admin list."""
        params = {"department__exact": self.department} if self.department else {}
        return {**params, **antenne_params(self.antenne, "antenne")}

    def mentee_params(self) -> dict:
        """The same filters as parameters of the young people's admin list."""
        params = {}
        if self.department:
            params["department__exact"] = self.department
        params.update(antenne_params(self.antenne, "antenne"))
        if self.public:
            params["public"] = self.public
        return params

    def pair_params(self) -> dict:
        """The same filters as parameters of the pairs' admin list (through the young person)."""
        params = {}
        if self.department:
            params["mentee__department__exact"] = self.department
        params.update(antenne_params(self.antenne, "mentee__antenne"))
        if self.public:
            params["public"] = self.public
        return params

    def as_query(self) -> dict:
        query = {}
        if self.since:
            query["du"] = self.since.isoformat()
        if self.until:
            query["au"] = self.until.isoformat()
        if self.department:
            query["departement"] = self.department
        if self.public:
            query["public"] = self.public
        if self.antenne:
            query["antenne"] = self.antenne
        return query


def changelist(name: str, **params) -> str:
    url = reverse(f"admin:{name}_changelist")
    return f"{url}?{urlencode(params)}" if params else url


def caseload_cap() -> int:
    return getattr(settings, "REFERENT_CASELOAD_CAP", DEFAULT_REFERENT_CASELOAD_CAP)


def target_progress(filters: Filters, *, today: datetime.date) -> dict:
    """The programme's target or, with one antenne chosen, that antenne's yearly one."""
    if filters.antenne_id is not None:
        return antenne_target(filters.antenne_id, today=today)
    return programme_target(today=today)


def antenne_target(antenne_id: int, *, today: datetime.date) -> dict:
    """The antenne's pairs started this calendar year up to today (its young people's, as
    every pair figure) against its yearly target: one query."""
    year_start = today.replace(month=1, day=1)
    started = Mentorship.objects.filter(
        mentee__antenne=OuterRef("pk"),
        status__in=STARTED,
        started_on__gte=year_start,
        started_on__lte=today,
    )
    row = (
        Antenne.objects.filter(pk=antenne_id)
        .annotate(started=Coalesce(_count(started), 0))
        .values("name", "target_pairs_per_year", "started")
        .first()
    ) or {"name": "", "target_pairs_per_year": None, "started": 0}
    target, count = row["target_pairs_per_year"], row["started"]
    remaining = max(target - count, 0) if target else None
    # The months left in the year, the current one included.
    months_left = 13 - today.month
    return {
        "kind": "antenne",
        "antenne": row["name"],
        "year": today.year,
        "target": target,
        "started": count,
        "share": count / target if target else None,
        "remaining": remaining,
        "months_left": months_left,
        "monthly_pace": math.ceil(remaining / months_left) if remaining else None,
        "reached": remaining == 0,
    }


def programme_target(*, today: datetime.date) -> dict:
    target = settings.PROGRAMME_TARGET
    target_date = datetime.date.fromisoformat(settings.PROGRAMME_TARGET_DATE)
    # Mentored = a pair actually started (active or closed) by the target date; a proposal
    # never accepted does not count, and a young person with two pairs counts once.
    mentored = Mentorship.objects.filter(
        status__in=[MentorshipStatus.ACTIVE, MentorshipStatus.CLOSED],
        started_on__lte=target_date,
    ).aggregate(n=Count("mentee", distinct=True))["n"]
    remaining = max(target - mentored, 0)
    delta = relativedelta(target_date, today)
    months_left = delta.years * 12 + delta.months + (1 if delta.days > 0 else 0)
    monthly_pace = math.ceil(remaining / months_left) if months_left > 0 else None
    return {
        "kind": "programme",
        "target": target,
        "target_date": target_date,
        "mentored": mentored,
        "share": mentored / target if target else 0.0,
        "remaining": remaining,
        "months_left": max(months_left, 0),
        "monthly_pace": monthly_pace,
        "reached": remaining == 0,
    }


def registrations(filters: Filters) -> list[dict]:
    rows = []
    for model, name, label in [
        (Mentor, "mentors_mentor", "Mentors"),
        (Mentee, "mentees_mentee", "Jeunes"),
    ]:
        counts = filters.registrations(model.objects.all()).aggregate(
            total=Count("pk"),
            **{
                status: Count("pk", filter=Q(status=status)) for status in RegistrationStatus.values
            },
        )
        params = filters.mentee_params() if model is Mentee else filters.mentor_params()
        rows.append(
            {
                "label": label,
                "total": counts["total"],
                "url": changelist(name, **params),
                "statuses": [
                    {
                        "label": status.label,
                        "count": counts[status.value],
                        "url": changelist(name, status__exact=status.value, **params),
                    }
                    for status in RegistrationStatus
                ],
            }
        )
    return rows


def funnel(filters: Filters) -> dict:
    """Young people registered in the period, and how far each got."""
    counts = filters.registrations(Mentee.objects.all()).aggregate(
        registered=Count("pk", distinct=True),
        approved=Count("pk", distinct=True, filter=Q(status=RegistrationStatus.APPROVED)),
        matched=Count("pk", distinct=True, filter=Q(mentorships__isnull=False)),
        active=Count("pk", distinct=True, filter=Q(mentorships__status=MentorshipStatus.ACTIVE)),
        closed=Count("pk", distinct=True, filter=Q(mentorships__status=MentorshipStatus.CLOSED)),
    )
    closed_pairs = filters.registrations(Mentorship.objects.closed(), prefix="mentee__").aggregate(
        **{reason: Count("pk", filter=Q(close_reason=reason)) for reason in CloseReason}
    )
    mentees = filters.mentee_params()
    steps = [
        ("Inscrits", counts["registered"], changelist("mentees_mentee", **mentees)),
        (
            "Validés",
            counts["approved"],
            changelist("mentees_mentee", status__exact=RegistrationStatus.APPROVED, **mentees),
        ),
        ("Appariés (une proposition au moins)", counts["matched"], None),
        (
            "En binôme actif",
            counts["active"],
            changelist(
                "matching_mentorship",
                status__exact=MentorshipStatus.ACTIVE,
                **filters.pair_params(),
            ),
        ),
        (
            "Binôme terminé",
            counts["closed"],
            changelist(
                "matching_mentorship",
                status__exact=MentorshipStatus.CLOSED,
                **filters.pair_params(),
            ),
        ),
    ]
    registered = counts["registered"]
    return {
        "steps": [
            {
                "label": label,
                "count": count,
                "share": count / registered if registered else 0.0,
                "url": url,
            }
            for label, count, url in steps
        ],
        "closed_by_reason": [
            {
                "label": reason.label,
                "count": closed_pairs[reason.value],
                "url": changelist(
                    "matching_mentorship",
                    status__exact=MentorshipStatus.CLOSED,
                    close_reason__exact=reason.value,
                    **filters.pair_params(),
                ),
            }
            for reason in CloseReason
        ],
    }


def waiting(filters: Filters, *, today: datetime.date) -> dict:
    now = timezone.now()
    buckets = {}
    for low, high in WAITING_BUCKETS:
        condition = Q(created_at__lte=now - datetime.timedelta(days=low))
        if high is not None:
            condition &= Q(created_at__gt=now - datetime.timedelta(days=high))
        buckets[f"b{low}"] = Count("pk", filter=condition)
    counts = filters.registrations(mentees_awaiting_mentor(today=today)).aggregate(
        total=Count("pk"), oldest=Min("created_at"), **buckets
    )
    oldest = counts["oldest"]
    return {
        "count": counts["total"],
        "longest_days": (now - oldest).days if oldest else None,
        "buckets": [
            {
                "label": f"{low} à {high} jours" if high else f"plus de {low} jours",
                "count": counts[f"b{low}"],
            }
            for low, high in WAITING_BUCKETS
        ],
        "url": changelist("mentees_mentee", en_attente_de_mentor="oui", **filters.mentee_params()),
    }


def compliance(filters: Filters, *, today: datetime.date) -> list[dict]:
    counts = (
        filters.pairs(Mentorship.objects.active())
        .with_compliance(today=today)
        .aggregate(**{state: Count("pk", filter=Q(compliance=state)) for state in ComplianceState})
    )
    return [
        {
            "label": state.label,
            "count": counts[state.value],
            "url": changelist(
                "matching_mentorship",
                status__exact=MentorshipStatus.ACTIVE,
                rythme=state.value,
                **filters.pair_params(),
            ),
        }
        for state in ComplianceState
    ]


def sessions_per_month(filters: Filters, *, today: datetime.date) -> list[dict]:
    """The last 12 months up to `until` (or today), every month present even when empty."""
    last = (filters.until or today).replace(day=1)
    first = last - relativedelta(months=SESSION_MONTHS - 1)
    sessions = Session.objects.filter(
        held_on__gte=first, held_on__lt=last + relativedelta(months=1)
    )
    sessions = filters.young_people(sessions, prefix="mentorship__mentee__")
    rows = (
        sessions.annotate(month=TruncMonth("held_on"))
        .values("month")
        .annotate(
            qualifying=Count("pk", filter=Q(duration_minutes__gte=MINIMUM_SESSION_MINUTES)),
            short=Count("pk", filter=Q(duration_minutes__lt=MINIMUM_SESSION_MINUTES)),
        )
        .order_by("month")
    )
    by_month = {_as_date(row["month"]): row for row in rows}
    months = []
    for index in range(SESSION_MONTHS):
        month = first + relativedelta(months=index)
        row = by_month.get(month, {})
        months.append(
            {
                "month": month,
                "qualifying": row.get("qualifying", 0),
                "short": row.get("short", 0),
            }
        )
    return months


def _as_date(value) -> datetime.date:
    return value.date() if isinstance(value, datetime.datetime) else value


def closed_duration(filters: Filters) -> dict:
    # Sum and count rather than Avg: averaging a duration is not portable across the
    # databases we test on (SQLite stores microseconds, PostgreSQL intervals).
    counts = (
        filters.pairs(Mentorship.objects.closed())
        .filter(started_on__isnull=False, ended_on__isnull=False)
        .aggregate(
            pairs=Count("pk"),
            total=Sum(
                ExpressionWrapper(F("ended_on") - F("started_on"), output_field=DurationField())
            ),
        )
    )
    pairs, total = counts["pairs"], counts["total"]
    return {
        "pairs": pairs,
        "mean_days": round(total.days / pairs) if pairs and total is not None else None,
        "url": changelist(
            "matching_mentorship", status__exact=MentorshipStatus.CLOSED, **filters.pair_params()
        ),
    }


def _count(queryset) -> Subquery:
    """COUNT(*) of `queryset` as a scalar subquery (no GROUP BY: the constant groups nothing)."""
    return Subquery(
        queryset.order_by().annotate(one=Value(1)).values("one").annotate(n=Count("*")).values("n")
    )


def priority_publics(filters: Filters) -> dict:
    """Each public (active, or still marking somebody) with its young people among those
    registered, and that total: one query, whatever the number of publics and people."""
    mentees = filters.registrations(Mentee.objects.all())
    marked = PriorityMark.objects.filter(public=OuterRef("pk"), mentee__in=mentees.values("pk"))
    rows = list(
        PriorityPublic.objects.annotate(
            count=Coalesce(_count(marked), 0), total=Coalesce(_count(mentees), 0)
        ).values("code", "label", "is_active", "count", "total")
    )
    total = rows[0]["total"] if rows else 0
    return {
        "total": total,
        # Every public, for the page's filter (a withdrawn one too: its young people remain).
        "choices": [(row["code"], row["label"]) for row in rows],
        "publics": [
            {
                "label": row["label"],
                "code": row["code"],
                "count": row["count"],
                "share": row["count"] / total if total else 0.0,
                "url": changelist(
                    "mentees_mentee", **{**filters.mentee_params(), "public": row["code"]}
                ),
            }
            for row in rows
            if row["is_active"] or row["count"]
        ],
    }


def referent_caseloads(filters: Filters) -> dict:
    mentors = Q(mentors_followed__status=RegistrationStatus.APPROVED)
    if filters.department:
        mentors &= Q(mentors_followed__department=filters.department)
    # With an antenne chosen, the référents of its mentors only (by the mentor's antenne): an
    # antenne coordinator reads no other antenne's référents. In the same filter() as the
    # join's condition: one join, which the count below reads.
    followed = Q(mentors_followed__isnull=False) & antenne_q(
        filters.antenne, "mentors_followed__antenne"
    )
    if filters.public:
        # Counted once each however many such pairs they have (distinct below).
        mentors &= Q(
            mentors_followed__mentorships__mentee__priority_marks__public__code=filters.public
        )
    cap = caseload_cap()
    referents = (
        get_user_model()
        .objects.filter(followed, is_staff=True)
        .annotate(mentors=Count("mentors_followed", filter=mentors, distinct=True))
        .order_by("-mentors", "last_name", "first_name")
        .values("pk", "first_name", "last_name", "email", "mentors")
        .distinct()
    )
    unassigned = filters.registrations(Mentor.objects.approved()).filter(referent__isnull=True)
    return {
        "cap": cap,
        "referents": [
            {
                "name": f"{row['first_name']} {row['last_name']}".strip() or row["email"],
                "mentors": row["mentors"],
                "over_cap": row["mentors"] > cap,
                "url": changelist(
                    "mentors_mentor", referent__id__exact=row["pk"], **filters.mentor_params()
                ),
            }
            for row in referents
        ],
        "unassigned": unassigned.count(),
    }


def closed_in_period(filters: Filters):
    """The pairs that ended in the period (by their end date), of the young people of the
    département and public."""
    pairs = Mentorship.objects.closed()
    if filters.since:
        pairs = pairs.filter(ended_on__gte=filters.since)
    if filters.until:
        pairs = pairs.filter(ended_on__lte=filters.until)
    return filters.young_people(pairs, prefix="mentee__")


def closures(filters: Filters) -> dict:
    """The pairs that ended in the period, by reason; how many members answered their
    closure questionnaire, how many closure interviews were recorded, and what the
    questionnaires say (counts per choice and the recommendation's mean, per side). Two
    queries whatever the number of pairs."""

    def answered(side: Side):
        return Exists(
            Response.objects.filter(
                mentorship=OuterRef("pk"),
                moment=Moment.CLOSURE,
                side=side,
                status=ResponseStatus.SUBMITTED,
            )
        )

    pairs = closed_in_period(filters)
    counts = pairs.annotate(
        mentor_answered=answered(Side.MENTOR),
        mentee_answered=answered(Side.MENTEE),
        interviewed=Exists(ClosureInterview.objects.filter(mentorship=OuterRef("pk"))),
    ).aggregate(
        total=Count("pk"),
        mentors=Count("pk", filter=Q(mentor_answered=True)),
        mentees=Count("pk", filter=Q(mentee_answered=True)),
        interviews=Count("pk", filter=Q(interviewed=True)),
        **{reason: Count("pk", filter=Q(close_reason=reason)) for reason in CloseReason},
    )
    total = counts["total"]
    return {
        "total": total,
        "by_reason": [
            {
                "label": reason.label,
                "count": counts[reason.value],
                "share": counts[reason.value] / total if total else 0.0,
            }
            for reason in CloseReason
        ],
        "answered": {"mentee": counts["mentees"], "mentor": counts["mentors"]},
        "interviews": counts["interviews"],
        "answers": closure_answers_summary(pairs),
    }


# The questionnaire figures aggregate every answer of the programme (0.3 s over 40,000
# pairs): they move slowly, so the dashboard reuses them for a few minutes. The key holds
# every filter, the antenne's included (an antenne coordinator's is always their antenne): the
# figures of one antenne, of the national programme and of the whole programme never share an
# entry.
PROGRESS_CACHE_SECONDS = 10 * 60


def progress_cache_key(filters: Filters) -> str:
    values = (filters.since, filters.until, filters.department or "", filters.public)
    key = "dashboard:progress:" + "|".join(str(value) for value in values)
    return f"{key}|antenne={filters.antenne}" if filters.antenne else key


def cached_programme_progress(filters: Filters) -> list[dict]:
    key = progress_cache_key(filters)
    progress = cache.get(key)
    if progress is None:
        progress = programme_progress(
            since=filters.since,
            until=filters.until,
            department=filters.department or None,
            priority=filters.public or None,
            within=antenne_q(filters.antenne, "response__mentorship__mentee__antenne"),
        )
        cache.set(key, progress, PROGRESS_CACHE_SECONDS)
    return progress


def figures(filters: Filters, *, today: datetime.date | None = None) -> dict:
    today = today or timezone.localdate()
    return {
        "target": target_progress(filters, today=today),
        "registrations": registrations(filters),
        "funnel": funnel(filters),
        "waiting": waiting(filters, today=today),
        "compliance": compliance(filters, today=today),
        "sessions": sessions_per_month(filters, today=today),
        "closed_duration": closed_duration(filters),
        "priority_publics": priority_publics(filters),
        "progress": cached_programme_progress(filters),
        "closures": closures(filters),
        "caseloads": referent_caseloads(filters),
    }


# The sessions chart, drawn on the server as an inline SVG (no JavaScript, no style
# attribute, see evaluations/charts.py): two bars a month, the qualifying one filled and the
# short one outlined, each with its number written above it so that nothing is told by
# colour alone. The table beside it carries the same figures for screen readers.
CHART_WIDTH, CHART_HEIGHT = 600, 220
CHART_TOP, CHART_BOTTOM, CHART_LEFT = 20, 190, 8
BAR_WIDTH = 18


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    height: float
    value: int


@dataclass(frozen=True)
class MonthBars:
    label: str
    label_x: float
    qualifying: Bar
    short: Bar


def sessions_chart(months: list[dict]) -> dict:
    peak = max([m["qualifying"] for m in months] + [m["short"] for m in months] + [1])
    slot = (CHART_WIDTH - CHART_LEFT) / len(months)
    scale = (CHART_BOTTOM - CHART_TOP) / peak

    def bar(x: float, value: int) -> Bar:
        height = value * scale
        return Bar(x=x, y=CHART_BOTTOM - height, height=height, value=value)

    groups = []
    for index, month in enumerate(months):
        left = CHART_LEFT + index * slot + (slot - 2 * BAR_WIDTH) / 2
        groups.append(
            MonthBars(
                label=month["month"].strftime("%m/%y"),
                label_x=left + BAR_WIDTH,
                qualifying=bar(left, month["qualifying"]),
                short=bar(left + BAR_WIDTH, month["short"]),
            )
        )
    total_qualifying = sum(m["qualifying"] for m in months)
    total_short = sum(m["short"] for m in months)
    return {
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "bottom": CHART_BOTTOM,
        "bar_width": BAR_WIDTH,
        "groups": groups,
        "description": (
            f"Séances des {len(months)} derniers mois : {total_qualifying} d'au moins "
            f"{RULES.session_minimum} "
            f"et {total_short} plus courtes. Le détail mois par mois est dans le tableau."
        ),
    }
