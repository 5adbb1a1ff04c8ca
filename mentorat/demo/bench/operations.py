"""The programme's heavy operations, timed at national scale: matching suggestions and batch
(issues 3 and 18), the daily reminder sweep (issue 6), the programme's questionnaire figures
(issue 5).

The batch runs inside a transaction that is rolled back: its 5,000 mentors are obtained by
setting every other approved mentor aside for the measure, its 10,000 young people by
approving, for the measure, young people whose registration is under review (the data set has
fewer awaiting a mentor); the data set stays intact.
"""

import random
import time
import tracemalloc
from collections import Counter

import numpy as np
from django.db import connection, transaction
from django.db.models import Count, F
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone
from scipy.optimize import linear_sum_assignment

from evaluations.selectors import programme_progress
from matching.batch import INELIGIBLE, batch_compute, batch_load, batch_matrices, mentee_bonus
from matching.eligibility import with_matching_facts
from matching.models import Mentorship
from matching.selectors import current_weights, mentees_awaiting_mentor, suggest_mentors
from mentees.models import Mentee
from mentorat.demo.bench.measure import Measure, timed
from mentorat.demo.national import NATIONAL_DOMAIN
from mentors.models import Mentor
from reminders.sweep import due_reminders
from users.enums import RegistrationStatus

SUGGESTIONS_MEDIAN_MS = 300
# Issue 18: the whole national waiting list in one run, under 10 s and optimal.
BATCH_S = 10
BATCH_MENTEES = 10_000
BATCH_MENTORS = 5_000
# The batch's phases, by the progress it reports (`batch_compute`): percent → phase ended.
BATCH_PHASES = {10: "load", 40: "matrix", 90: "solve", 100: "result"}
SWEEP_MEDIAN_S = 10
PROGRAMME_MEDIAN_S = 1
NATIONAL = {"user__email__endswith": f"@{NATIONAL_DOMAIN}"}


def suggestions(rng: random.Random, *, count: int) -> Measure:
    """`suggest_mentors` for `count` young people awaiting a mentor, each timed once (the
    first call, not timed, pays for imports and connection set-up)."""
    today = timezone.localdate()
    available = (
        with_matching_facts(Mentor.objects.approved(), today=today)
        .filter(open_pairs__lt=F("capacity"))
        .count()
    )
    pool = list(
        mentees_awaiting_mentor(today=today)
        .filter(**NATIONAL)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    chosen = list(Mentee.objects.in_bulk(rng.sample(pool, min(count, len(pool)))).values())
    # The label is the key of the query comparison with the small data set: no count in it.
    measure = Measure("matching: 10 suggestions", median_target_ms=SUGGESTIONS_MEDIAN_MS)
    measure.value = f"{available:,} free mentors"
    suggest_mentors(mentee=chosen[0])
    with CaptureQueriesContext(connection) as queries:
        suggest_mentors(mentee=chosen[0])
    measure.queries = len(queries)
    for mentee in chosen:
        measure.timings += timed(
            lambda mentee=mentee: suggest_mentors(mentee=mentee), runs=1, warmup=0
        )
    return measure


def batch(rng: random.Random) -> Measure:
    """Batch matching of the whole waiting list, 10,000 young people, against 5,000 mentors,
    end to end (load, score, solve, explain) and timed by phase; its peak memory
    (tracemalloc, a second untimed run); its total against scipy's dense solver on the same
    matrix."""
    today = timezone.localdate()
    measure = Measure(
        f"matching: batch {BATCH_MENTEES:,} × {BATCH_MENTORS:,}",
        median_target_ms=BATCH_S * 1000,
    )
    with transaction.atomic():
        if not _batch_people(rng, today):
            measure.checks.append(("enough people", False))
            transaction.set_rollback(True)
            return measure
        with override_settings(MATCHING_BATCH_MAX_MENTEES=BATCH_MENTEES):
            phases = {}
            started = time.perf_counter()

            def progress(percent: int) -> None:
                if percent in BATCH_PHASES:
                    phases[BATCH_PHASES[percent]] = time.perf_counter()

            result = batch_compute(today=today, progress=progress)
            measure.timings = [time.perf_counter() - started]
            tracemalloc.start()
            batch_compute(today=today)
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
        optimum, problems = _optimum(result, today)
        transaction.set_rollback(True)
    ends = [started, *phases.values()]
    measure.value = (
        ", ".join(
            f"{name} {end - start:.1f} s"
            for name, start, end in zip(phases, ends[:-1], ends[1:], strict=True)
        )
        + f"; peak {peak / 1e6:.0f} MB"
    )
    # What the batch maximises: the scores plus the young people's priority bonuses.
    total = result.total
    measure.checks.append((f"total {total} = optimum {optimum}", total == optimum and not problems))
    return measure


def _batch_people(rng: random.Random, today) -> bool:
    """Leave exactly BATCH_MENTEES young people awaiting a mentor (approving, for the
    measure, young people under review: the data set has fewer awaiting) and BATCH_MENTORS
    approved mentors with a free slot, chosen at random; False when there are not enough."""
    mentor_pool = list(
        with_matching_facts(Mentor.objects.approved().filter(**NATIONAL), today=today)
        .filter(open_pairs__lt=F("capacity"))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    awaiting = mentees_awaiting_mentor(today=today)
    missing = BATCH_MENTEES - awaiting.filter(**NATIONAL).count()
    if missing > 0:
        # Twice as many: minors without their guardian's consent stay out of the queue.
        under_review = Mentee.objects.filter(**NATIONAL, status=RegistrationStatus.PENDING_REVIEW)
        chosen = list(under_review.order_by("pk").values_list("pk", flat=True)[: 2 * missing])
        Mentee.objects.filter(pk__in=chosen).update(status=RegistrationStatus.APPROVED)
    mentee_pool = list(awaiting.filter(**NATIONAL).order_by("pk").values_list("pk", flat=True))
    if len(mentor_pool) < BATCH_MENTORS or len(mentee_pool) < BATCH_MENTEES:
        return False
    mentor_ids = rng.sample(mentor_pool, BATCH_MENTORS)
    mentee_ids = rng.sample(mentee_pool, BATCH_MENTEES)
    # Everybody else is set aside during the measure (rolled back).
    Mentor.objects.approved().exclude(pk__in=mentor_ids).update(
        status=RegistrationStatus.PENDING_REVIEW
    )
    awaiting.exclude(pk__in=mentee_ids).update(status=RegistrationStatus.PENDING_REVIEW)
    return True


def _optimum(result, today) -> tuple[int, list[str]]:
    """The best total (scores plus priority bonuses) on the batch's own matrix from scipy's
    dense solver (one column per free slot, ineligible pairs worth 0: another algorithm than
    the batch's), and what the result must never do."""
    weights = current_weights()
    mentees, mentors, previous, _ = batch_load(mentee_ids=None, today=today, weights=weights)
    scores = batch_matrices(mentees, mentors, previous, weights)
    bonus = mentee_bonus(mentees, weights)
    slot_owner = np.repeat(np.arange(len(mentors["pk"])), mentors["free_slots"])
    # Row by row: the dense matrix alone is hundreds of megabytes at this size.
    matrix = np.empty((len(scores), len(slot_owner)))
    for row, row_scores in enumerate(scores):
        matrix[row] = np.where(row_scores > INELIGIBLE, row_scores + bonus[row], 0)[slot_owner]
    rows, columns = linear_sum_assignment(matrix, maximize=True)
    row_of = {int(pk): row for row, pk in enumerate(mentees["pk"])}
    column_of = {int(pk): column for column, pk in enumerate(mentors["pk"])}
    problems = []
    for mentor_id, taken in Counter(p.mentor_id for p in result.proposals).items():
        if taken > mentors["free_slots"][column_of[mentor_id]]:
            problems.append(f"mentor {mentor_id} over-filled")
    if len({p.mentee_id for p in result.proposals}) != len(result.proposals):
        problems.append("a young person proposed twice")
    problems += [
        f"ineligible pair {p.mentee_id}–{p.mentor_id}"
        for p in result.proposals
        if scores[row_of[p.mentee_id], column_of[p.mentor_id]] == INELIGIBLE
    ]
    return int(matrix[rows, columns].sum()), problems


def reminder_sweep(*, runs: int) -> Measure:
    today = timezone.localdate()
    active = Mentorship.objects.active().count()
    measure = Measure("reminder sweep", median_target_ms=SWEEP_MEDIAN_S * 1000)
    measure.value = f"{active:,} active pairs"
    due_reminders(today=today)  # warm-up: imports, connection, caches
    with CaptureQueriesContext(connection) as queries:
        due_reminders(today=today)
    measure.queries = len(queries)
    measure.timings = timed(lambda: due_reminders(today=today), runs=runs, warmup=0)
    return measure


def programme_figures(*, runs: int) -> list[Measure]:
    """`programme_progress()` for the whole programme, its busiest département and a
    priority public."""
    department = (
        Mentee.objects.filter(mentorships__responses__isnull=False)
        .values("department")
        .annotate(pairs=Count("pk"))
        .order_by("-pairs", "department")
        .values_list("department", flat=True)
        .first()
    )
    variants = [
        ("programme figures: every pair", {}),
        ("programme figures: one département", {"department": department}),
        ("programme figures: QPV", {"priority": "QPV"}),
    ]
    measures = []
    for label, filters in variants:
        measure = Measure(label, median_target_ms=PROGRAMME_MEDIAN_S * 1000)
        programme_progress(**filters)
        with CaptureQueriesContext(connection) as queries:
            programme_progress(**filters)
        measure.queries = len(queries)
        measure.timings = timed(
            lambda filters=filters: programme_progress(**filters), runs=runs, warmup=0
        )
        measures.append(measure)
    return measures
