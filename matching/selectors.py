"""Reads of the matching domain: who awaits a mentor, the facts the constraints need, and the
ranked suggestions shown to coordinators.

Suggestions rank tens of thousands of candidates: the hard constraints are filtered in SQL,
the remaining candidates are read as numpy columns (`profiles.mentor_table` /
`mentee_table`) and scored in one vectorised pass of the same formula (`criteria`, `score`);
only the ten best are then loaded as model instances and explained. The query count does not
depend on the number of candidates."""

import datetime
from dataclasses import dataclass

import numpy as np
from django.db.models import (
    BooleanField,
    Case,
    Count,
    DateTimeField,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    Value,
    When,
)
from django.utils import timezone

from mentees.ages import MAJORITY_AGE, years_before
from mentees.models import Mentee, matchable_condition
from mentees.priority import PriorityMark
from mentors.models import Mentor
from users.enums import MeetingMode, RegistrationStatus
from users.scopes import staff_scope

from .compatibility import (
    Compatibility,
    Weights,
    as_mapping,
    availability_compatible,
    compatibility,
    criteria,
    score,
)
from .eligibility import (
    in_antennes,
    mentee_blocking_reasons,
    mentees_within_reach,
    mentor_candidates,
    pair_blocking_reasons,
    with_matching_facts,
)
from .models import MatchingWeights, Mentorship, start_of_day
from .priority import Priority, priority_of
from .profiles import (
    IN_PERSON,
    REMOTE,
    Profile,
    mentee_profile,
    mentee_table,
    mentor_profile,
    mentor_table,
)
from .rules import WAITING_ALERT, months_between
from .waiting import WAITING_SINCE, ended_early, objectives_achieved

SUGGESTIONS = 10


def awaiting_mentor_condition(today: datetime.date) -> Q:
    """Matchable (approved, adult or with guardian consent) with no open pair, and no pair
    that reached its objectives (« objectifs atteints »: the mentoring did its work). A pair
    closed for any other reason puts the young person back in the queue (a « rematch »)."""
    return (
        matchable_condition(today)
        & ~Exists(Mentorship.objects.open().filter(mentee=OuterRef("pk")))
        & ~objectives_achieved()
    )


def mentees_awaiting_mentor(*, today: datetime.date | None = None):
    """Matchable young people (approved, adult or with guardian consent) with no open pair
    and no pair that reached its objectives."""
    return Mentee.objects.filter(awaiting_mentor_condition(today or timezone.localdate()))


def with_waiting_since(mentees, *, today: datetime.date):
    """Annotate `awaiting_since`: when a young person awaiting a mentor started waiting (their
    original approval, also after a pair that ended early), None for anybody else; and
    `is_rematch`: awaiting a mentor after a pair that ended early. In the list's own query:
    no query per row."""
    awaiting = awaiting_mentor_condition(today)
    return mentees.annotate(
        awaiting_since=Case(
            When(awaiting, then=WAITING_SINCE),
            default=None,
            output_field=DateTimeField(),
        ),
        is_rematch=Case(
            When(awaiting & Q(ended_early()), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
    )


def waiting_days(since: datetime.datetime | None, *, today: datetime.date) -> int | None:
    """Whole days of waiting, counted in Paris days (0 the day of the approval)."""
    return None if since is None else (today - timezone.localdate(since)).days


def waiting_too_long(*, today: datetime.date) -> Q:
    """Of young people awaiting a mentor (aliased `waiting_since`), those waiting for more
    than WAITING_ALERT: approved on or before the day 31 days back (a wait of exactly 30 days
    is not yet an alert)."""
    return Q(waiting_since__lt=start_of_day(today - WAITING_ALERT))


def mentees_waiting_too_long(*, today: datetime.date | None = None):
    today = today or timezone.localdate()
    return (
        mentees_awaiting_mentor(today=today)
        .alias(waiting_since=WAITING_SINCE)
        .filter(waiting_too_long(today=today))
    )


def awaiting_mentor_counts(*, today: datetime.date, within: Q | None = None) -> dict[str, int]:
    """How many young people await a mentor, and how many of them for too long: one query
    (the coordinator's staff home). `within`: a further condition on the young people (an
    antenne coordinator's scope)."""
    mentees = mentees_awaiting_mentor(today=today)
    if within is not None:
        mentees = mentees.filter(within)
    return mentees.alias(waiting_since=WAITING_SINCE).aggregate(
        awaiting_mentor=Count("pk"),
        waiting_too_long=Count("pk", filter=waiting_too_long(today=today)),
    )


def current_weights() -> Weights:
    return Weights.from_model(MatchingWeights.load())


# A young person's priority publics in the list's order (their codes: QPV, ASE…).
MARKS_IN_ORDER = ("public__order", "public__label")


def mentee_priority(
    *, mentee: Mentee, publics: list[str], today: datetime.date, weights: Weights
) -> Priority:
    """One young person's priority, by the formula batch matching uses. `mentee` carries
    `awaiting_since` and `is_rematch` (`with_waiting_since`); `publics` are the codes of
    their priority publics, in the publics' order."""
    since = mentee.awaiting_since
    months = None if since is None else months_between(timezone.localdate(since), today)
    return priority_of(publics=publics, months=months, rematch=mentee.is_rematch, weights=weights)


def profile_of_mentee(mentee: Mentee, *, today: datetime.date) -> Profile:
    return mentee_profile(mentee, is_minor=mentee.birth_date > years_before(today, MAJORITY_AGE))


def profile_of_mentor(mentor: Mentor) -> Profile:
    """`mentor` must carry the annotations of `with_matching_facts`."""
    return mentor_profile(
        mentor,
        cleared_for_minors=mentor.accepts_minors and mentor.has_valid_screening,
        free_slots=mentor.free_slots,
        needs_initial_training=mentor.needs_initial_training,
    )


def pair_evaluation(
    *,
    mentee: Mentee,
    mentor: Mentor,
    today: datetime.date | None = None,
    weights: Weights | None = None,
    proposal: Mentorship | None = None,
    antennes: frozenset | None = None,
) -> tuple[list[str], Compatibility]:
    """Every hard constraint the pair breaks (in French; empty when it may be proposed) and
    its compatibility. With `proposal`, the pair already proposed between them is left out:
    the question is then whether it may still start. `antennes`: those of a widened search
    (`eligibility.antennes_within_reach`); None, the young person's own only."""
    today = today or timezone.localdate()
    weights = weights or current_weights()
    mentor = with_matching_facts(
        Mentor.objects.filter(pk=mentor.pk).select_related("antenne"), today=today
    ).get()
    mentee_side = profile_of_mentee(mentee, today=today)
    mentor_side = profile_of_mentor(mentor)
    if proposal is not None:
        # The antennes were checked when the pair was proposed (a coordinator's choice, maybe
        # widened); a later move to another antenne is the team's business, not a reason to
        # refuse the members' answer.
        antennes = frozenset({mentee_side.antenne, mentor_side.antenne})
    earlier_pairs = Mentorship.objects.filter(mentee=mentee, mentor=mentor)
    if proposal is not None:
        earlier_pairs = earlier_pairs.exclude(pk=proposal.pk)
    previous = earlier_pairs.order_by("-proposed_at").values_list("status", flat=True).first()
    has_other_open_pair = (
        Mentorship.objects.open().filter(mentee=mentee).exclude(mentor=mentor).exists()
    )
    reasons = mentee_blocking_reasons(
        status=mentee.status,
        is_minor=mentee_side.is_minor,
        has_guardian_consent=mentee.guardian_consent_at is not None,
        has_open_pair=has_other_open_pair,
    ) + pair_blocking_reasons(
        mentee=mentee_side,
        mentor=mentor_side,
        mentor_status=mentor.status,
        mentor_capacity=mentor.capacity,
        mentor_open_pairs=mentor.open_pairs - (proposal is not None and proposal.is_open),
        mentor_accepts_minors=mentor.accepts_minors,
        previous_pair_status=previous,
        availability_required=weights.availability_required,
        initial_training_required=weights.initial_training_required,
        mentor_antenne_name=mentor.antenne.name if mentor.antenne_id else "",
        antennes=antennes,
    )
    return reasons, compatibility(mentee_side, mentor_side, weights)


@dataclass(frozen=True)
class Suggestion:
    mentor: Mentor
    mentee: Mentee
    compatibility: Compatibility
    free_slots: int
    # The young person's priority in batch matching, beside the pair's score (which it does
    # not change). Given with the suggestions of young people for a mentor.
    priority: Priority | None = None


def _ranked(suggestions: list[Suggestion]) -> list[Suggestion]:
    return sorted(suggestions, key=lambda s: (-s.compatibility.score, s.mentor.pk, s.mentee.pk))[
        :SUGGESTIONS
    ]


def _best(scores: np.ndarray, pks: np.ndarray) -> list[int]:
    """The primary keys of the SUGGESTIONS best scores, ties broken by primary key (the order
    of `_ranked`)."""
    order = np.lexsort((pks, -np.asarray(scores)))[:SUGGESTIONS]
    return [int(pk) for pk in pks[order]]


def mentee_suggestion_blockers(*, mentee: Mentee, today: datetime.date | None = None) -> list[str]:
    today = today or timezone.localdate()
    return mentee_blocking_reasons(
        status=mentee.status,
        is_minor=profile_of_mentee(mentee, today=today).is_minor,
        has_guardian_consent=mentee.guardian_consent_at is not None,
        has_open_pair=Mentorship.objects.open().filter(mentee=mentee).exists(),
    )


def suggest_mentors(
    *,
    mentee: Mentee,
    today: datetime.date | None = None,
    weights: Weights | None = None,
    antennes: frozenset | None = None,
) -> list[Suggestion]:
    """The 10 most compatible mentors for a young person awaiting one: hard constraints and
    meeting place are filtered in SQL, the remaining candidates scored in one numpy pass.
    Mentors of the young person's antenne, or of `antennes` for a widened search
    (`eligibility.antennes_within_reach`).

    Queries, whatever the number of candidates: the young person's open pair, the weights, the
    candidates' scoring columns, the ten best mentors (with their user)."""
    today = today or timezone.localdate()
    if mentee_suggestion_blockers(mentee=mentee, today=today):
        return []
    weights = weights or current_weights()
    profile = profile_of_mentee(mentee, today=today)
    candidates = mentor_table(
        mentor_candidates(
            mentee=profile,
            today=today,
            initial_training_required=weights.initial_training_required,
            antennes=antennes,
        ),
        facts=False,
    )
    if weights.availability_required:
        # Not in SQL: the lists are JSON; the same rule as the pair's, on the table.
        kept = availability_compatible(profile.availability, candidates["availability"])
        candidates = {key: column[kept] for key, column in candidates.items()}
    if not len(candidates["pk"]):
        return []
    best = _best(score(criteria(as_mapping(profile), candidates), weights), candidates["pk"])
    mentors = with_matching_facts(
        Mentor.objects.filter(pk__in=best).select_related("user", "antenne"), today=today
    )
    suggestions = []
    for mentor in mentors:
        mentor_side = profile_of_mentor(mentor)
        suggestions.append(
            Suggestion(
                mentor=mentor,
                mentee=mentee,
                compatibility=compatibility(profile, mentor_side, weights),
                free_slots=mentor_side.free_slots,
            )
        )
    return _ranked(suggestions)


def suggest_mentees(
    *, mentor: Mentor, today: datetime.date | None = None, weights: Weights | None = None
) -> list[Suggestion]:
    """The 10 most compatible young people awaiting a mentor, for a mentor with a free slot.

    Queries, whatever the number of candidates: the mentor's facts (open pairs, screening),
    the weights, the candidates' scoring columns, the ten best young people (with their user)."""
    today = today or timezone.localdate()
    mentor = with_matching_facts(
        Mentor.objects.filter(pk=mentor.pk).select_related("user"), today=today
    ).get()
    mentor_side = profile_of_mentor(mentor)
    if mentor.status != RegistrationStatus.APPROVED or mentor_side.free_slots <= 0:
        return []
    weights = weights or current_weights()
    if weights.initial_training_required and mentor_side.needs_initial_training:
        return []
    meet = Q(pk__in=[])
    if mentor_side.modes & IN_PERSON:
        meet |= Q(
            mentees_within_reach(
                department=mentor.department, whole_region=mentor_side.whole_region
            ),
            meeting_mode__in=[MeetingMode.IN_PERSON, MeetingMode.BOTH],
        )
    if mentor_side.modes & REMOTE:
        meet |= Q(meeting_mode__in=[MeetingMode.REMOTE, MeetingMode.BOTH])
    candidates = (
        mentees_awaiting_mentor(today=today)
        # Young people of the mentor's antenne only: the widened search is the young
        # person's page's (« Élargir aux antennes voisines »).
        .filter(in_antennes({mentor.antenne_id}))
        .filter(meet)
        .exclude(Exists(Mentorship.objects.filter(mentee=OuterRef("pk"), mentor=mentor)))
        .exclude(
            Q(wants_same_gender_mentor=True) & (Q(civility="") | ~Q(civility=mentor_side.civility))
        )
    )
    if not mentor_side.cleared_for_minors:
        candidates = candidates.filter(birth_date__lte=years_before(today, MAJORITY_AGE))
    table = mentee_table(candidates, today=today)
    if weights.availability_required:
        # Not in SQL: the lists are JSON; the same rule as the pair's, on the table.
        kept = availability_compatible(table["availability"], mentor_side.availability)
        table = {key: column[kept] for key, column in table.items()}
    if not len(table["pk"]):
        return []
    best = _best(score(criteria(table, as_mapping(mentor_side)), weights), table["pk"])
    suggestions = []
    # Each one's priority, beside the score: their wait and rematch in the same query, their
    # priority publics in one more.
    best_mentees = (
        with_waiting_since(Mentee.objects.filter(pk__in=best), today=today)
        .select_related("user")
        .prefetch_related(
            Prefetch(
                "priority_marks",
                queryset=PriorityMark.objects.select_related("public").order_by(*MARKS_IN_ORDER),
            )
        )
    )
    for mentee in best_mentees:
        profile = profile_of_mentee(mentee, today=today)
        publics = [mark.public.code for mark in mentee.priority_marks.all()]
        suggestions.append(
            Suggestion(
                mentor=mentor,
                mentee=mentee,
                compatibility=compatibility(profile, mentor_side, weights),
                free_slots=mentor_side.free_slots,
                priority=mentee_priority(
                    mentee=mentee, publics=publics, today=today, weights=weights
                ),
            )
        )
    return _ranked(suggestions)


def mentorships_visible_to(user):
    """Every pair `user` may see: their own (as mentor or young person), those of the mentors
    they accompany as référent, those of their antenne for an antenne coordinator (the young
    person's or the mentor's: a widened search pairs two antennes), or all of them for a
    national coordinator (users.scopes). Every lookup of a pair, or of anything in it, starts
    here."""
    pairs = Mentorship.objects.all()
    if not user.is_authenticated or not user.is_active:
        return pairs.none()
    scope = staff_scope(user)
    if scope.national:
        return pairs
    visible = Q(mentor__user=user) | Q(mentee__user=user)
    if scope.antenne_scoped:
        visible |= scope.q("mentee__antenne", "mentor__antenne")
    if user.is_staff:
        visible |= Q(mentor__referent=user)
    return pairs.filter(visible)
