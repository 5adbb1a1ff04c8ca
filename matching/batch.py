"""Batch matching: the assignment of young people to mentors' free slots that maximises the
total compatibility plus the young people's priority bonuses under the hard constraints
(scipy's linear_sum_assignment). Each pair keeps its own score out of 100; the bonus of a
young person (`priority.py`: priority public, months waited) is added to every eligible pair
of theirs, so the optimum favours them when slots are scarce. The batch takes the waiting
list in priority order (highest bonus, then longest wait).

Everything between the database and the solver is vectorised: the people are read as numpy
columns (`profiles.mentee_table` / `mentor_table`, one query each), and the score and the
hard constraints are computed over the whole matrix by the same formula and rules that
explain a single pair (`criteria`, `score`, `eligible_mask`)."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from scipy.optimize import linear_sum_assignment

from mentees.models import Mentee
from mentees.priority import PriorityMark
from mentors.models import Mentor
from users.models import User

from .compatibility import Weights, compatibility, criteria, score
from .eligibility import eligible_mask, with_matching_facts
from .enums import BatchStatus
from .models import MatchingBatch, Mentorship
from .priority import bonus_column, priority_of
from .profiles import Profile, antenne_column, mentee_table, mentor_table, profile_from_table
from .selectors import current_weights, mentees_awaiting_mentor
from .services import MatchingError, mentorship_propose
from .tasks import compute_matching_batch

# The score matrix is computed by chunks of about this many pairs: numpy's intermediate
# arrays (a dozen per chunk) then stay a few megabytes whatever the number of mentors.
PAIRS_PER_CHUNK = 250_000
PROFILE_COLUMNS = ("topics", "sectors", "department", "modes", "availability", "languages")


@dataclass
class Proposal:
    mentee_id: int
    mentor_id: int
    score: int
    explanation: list[dict]
    # The young person's priority bonus, added by the optimisation (not part of the score).
    bonus: int = 0


@dataclass
class BatchResult:
    proposals: list[Proposal] = field(default_factory=list)
    unmatched: list[tuple[int, str]] = field(default_factory=list)
    # Each young person's priority (`priority.Priority.as_dict`), by primary key.
    priorities: dict[int, dict] = field(default_factory=dict)

    @property
    def total_score(self) -> int:
        return sum(proposal.score for proposal in self.proposals)

    @property
    def total_bonus(self) -> int:
        return sum(proposal.bonus for proposal in self.proposals)

    @property
    def total(self) -> int:
        """What the batch maximises: the scores plus the priority bonuses."""
        return self.total_score + self.total_bonus

    def as_json(self) -> dict:
        return {
            "proposals": [proposal.__dict__ for proposal in self.proposals],
            "unmatched": [list(item) for item in self.unmatched],
            "priorities": {str(pk): priority for pk, priority in self.priorities.items()},
        }


MENTEE_COLUMNS = (*PROFILE_COLUMNS, "civility", "is_minor", "wants_same_gender", "antenne")
MENTOR_COLUMNS = (
    *PROFILE_COLUMNS,
    "civility",
    "cleared_for_minors",
    "free_slots",
    "whole_region",
    "needs_initial_training",
    "antenne",
)


def profiles_table(profiles: list[Profile], keys) -> dict[str, np.ndarray]:
    """Profiles as the columns `profiles.mentee_table` / `mentor_table` read from the
    database."""
    return {
        key: antenne_column([profile.antenne for profile in profiles])
        if key == "antenne"
        else np.array([getattr(profile, key) for profile in profiles])
        for key in keys
    }


def previous_pairs_matrix(
    mentee_pks: np.ndarray, mentor_pks: np.ndarray, pairs: list[tuple[int, int]]
) -> np.ndarray:
    """Boolean matrix (mentees as rows, mentors as columns) of the (mentee, mentor) pairs that
    already existed, whatever their status."""
    matrix = np.zeros((len(mentee_pks), len(mentor_pks)), dtype=bool)
    if not pairs or not len(mentee_pks) or not len(mentor_pks):
        return matrix
    pair_mentees, pair_mentors = np.array(pairs, dtype=np.int64).T
    rows, row_found = _positions(mentee_pks, pair_mentees)
    columns, column_found = _positions(mentor_pks, pair_mentors)
    found = row_found & column_found
    matrix[rows[found], columns[found]] = True
    return matrix


def _positions(pks: np.ndarray, wanted: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Index of each wanted primary key in `pks`, and whether it is there at all."""
    order = np.argsort(pks)
    at = np.minimum(np.searchsorted(pks, wanted, sorter=order), len(pks) - 1)
    return order[at], pks[order[at]] == wanted


def score_tables(rows: dict, columns: dict, previous_pairs: np.ndarray, weights: Weights):
    """Score and eligibility matrices of two tables (`profiles.mentee_table` rows,
    `profiles.mentor_table` columns): the same formula and rules as one pair at a time."""
    rows = {key: rows[key][:, None] for key in MENTEE_COLUMNS}
    columns = {key: columns[key][None, :] for key in MENTOR_COLUMNS}
    scores = score(criteria(rows, columns), weights)
    eligible = eligible_mask(
        rows,
        columns,
        previous_pairs,
        availability_required=weights.availability_required,
        initial_training_required=weights.initial_training_required,
    )
    return np.broadcast_to(scores, eligible.shape), eligible


def score_and_eligibility(mentees, mentors, previous: dict[int, set[int]], weights: Weights):
    """Score matrix and eligibility matrix, mentees as rows and mentors as columns."""
    rows = profiles_table(mentees, ["pk", *MENTEE_COLUMNS])
    columns = profiles_table(mentors, ["pk", *MENTOR_COLUMNS])
    pairs = [(mentee_id, mentor_id) for mentee_id, ids in previous.items() for mentor_id in ids]
    previous_pairs = previous_pairs_matrix(rows["pk"], columns["pk"], pairs)
    return score_tables(rows, columns, previous_pairs, weights)


def solve(
    scores: np.ndarray, eligible: np.ndarray, free_slots: list[int], bonus=None
) -> list[tuple[int, int]]:
    """Optimal (row, mentor column) pairs: the assignment of rows to the mentors' free slots
    (one solver column per slot) that maximises the total value of eligible pairs, a pair's
    value being its score plus its row's `bonus` (non-negative integers; none by default).

    An ineligible entry is worth 0 and a row the solver puts there stays unmatched: any
    assignment is then worth exactly its eligible pairs, and any set of eligible pairs can be
    completed into an assignment with entries worth at least 0, so both problems have the same
    optimum (no "unmatched" columns needed). Rows and mentors without any eligible pair are
    left out of the solver, and a mentor never gets more slots than rows it can take."""
    scores = np.asarray(scores)
    eligible = np.asarray(eligible, dtype=bool)
    free_slots = np.asarray(free_slots, dtype=np.int64).reshape(-1)
    bonus = np.zeros(len(eligible), dtype=np.int64) if bonus is None else np.asarray(bonus)
    if not eligible.size:
        return []
    candidate_rows = np.flatnonzero(eligible.any(axis=1))
    slots = np.minimum(free_slots, eligible.sum(axis=0))
    slot_owner = np.repeat(np.arange(len(slots)), slots)
    if not len(candidate_rows) or not len(slot_owner):
        return []
    # Among equal totals, prefer matching more people: every eligible pair gets the same
    # small extra, and the extras of all rows sum to less than one point (values are whole
    # numbers, so a better total always wins).
    extra = 0.5 / (len(candidate_rows) + 1)
    # Built in place: at national scale the matrix alone is hundreds of megabytes.
    sub_eligible = eligible[np.ix_(candidate_rows, slot_owner)]
    matrix = scores[np.ix_(candidate_rows, slot_owner)].astype(float)
    matrix += (bonus[candidate_rows] + extra)[:, None]
    matrix[~sub_eligible] = 0.0
    chosen_rows, chosen_slots = linear_sum_assignment(matrix, maximize=True)
    kept = sub_eligible[chosen_rows, chosen_slots]
    return [
        (int(row), int(owner))
        for row, owner in zip(
            candidate_rows[chosen_rows[kept]], slot_owner[chosen_slots[kept]], strict=True
        )
    ]


def priority_order(mentees: dict, weights: Weights) -> np.ndarray:
    """The rows of a mentee table (with its priority columns) in the queue's order: the
    highest bonus first, then the longest wait, then the first registered."""
    bonus = mentee_bonus(mentees, weights)
    since = mentees["waiting_since"].astype(np.int64)
    return np.lexsort((mentees["pk"], since, -bonus))


def mentee_bonus(mentees: dict, weights: Weights) -> np.ndarray:
    """Each row's priority bonus; none for a table without priority columns."""
    if "has_priority" not in mentees:
        return np.zeros(len(mentees["pk"]), dtype=np.int64)
    return bonus_column(mentees["has_priority"], mentees["waiting_months"], weights)


def mentee_priorities(mentees: dict, rows, publics: dict[int, list[str]], weights: Weights):
    """The explained priority of the given rows, by primary key."""
    if "has_priority" not in mentees:
        return {}
    return {
        int(mentees["pk"][row]): priority_of(
            publics=publics.get(int(mentees["pk"][row]), []),
            months=int(mentees["waiting_months"][row]),
            rematch=bool(mentees["rematch"][row]),
            weights=weights,
            has_priority=bool(mentees["has_priority"][row]),
        ).as_dict()
        for row in rows
    }


def batch_load(
    *,
    mentee_ids: list[int] | None,
    today: datetime.date,
    weights: Weights,
    antenne_id: int | None = None,
):
    """The young people of a batch in priority order and the approved mentors with a free
    slot, as tables, the pairs the young people already had, and their priority publics
    (four queries). With `antenne_id`, that antenne's people only; without, everybody, each
    young person still matched within their own antenne (`eligible_mask`)."""
    mentees_qs = mentees_awaiting_mentor(today=today)
    mentors_qs = Mentor.objects.approved()
    if antenne_id is not None:
        mentees_qs = mentees_qs.filter(antenne_id=antenne_id)
        mentors_qs = mentors_qs.filter(antenne_id=antenne_id)
    if mentee_ids is not None:
        mentees_qs = mentees_qs.filter(pk__in=mentee_ids)
    mentees = mentee_table(mentees_qs, today=today, priority=True)
    order = priority_order(mentees, weights)
    mentees = {key: column[order] for key, column in mentees.items()}
    mentors = mentor_table(with_matching_facts(mentors_qs, today=today))
    with_room = np.flatnonzero(mentors["free_slots"] > 0)
    with_room = with_room[np.argsort(mentors["pk"][with_room])]
    mentors = {key: column[with_room] for key, column in mentors.items()}
    pairs = list(
        Mentorship.objects.filter(mentee__in=mentees_qs)
        .order_by()
        .values_list("mentee_id", "mentor_id")
    )
    publics: dict[int, list[str]] = {}
    for mentee_id, code in (
        PriorityMark.objects.filter(mentee__in=mentees_qs)
        .order_by("mentee_id", "public__order", "public__label")
        .values_list("mentee_id", "public__code")
    ):
        publics.setdefault(mentee_id, []).append(code)
    previous = previous_pairs_matrix(mentees["pk"], mentors["pk"], pairs)
    return mentees, mentors, previous, publics


def batch_matrices(mentees: dict, mentors: dict, previous_pairs: np.ndarray, weights: Weights):
    """Score (int16) and eligibility matrices of a whole batch, built by chunks of rows to
    bound the memory of numpy's intermediate arrays."""
    shape = (len(mentees["pk"]), len(mentors["pk"]))
    scores = np.zeros(shape, dtype=np.int16)
    eligible = np.zeros(shape, dtype=bool)
    if not shape[1]:
        return scores, eligible
    rows_per_chunk = max(1, PAIRS_PER_CHUNK // shape[1])
    for start in range(0, shape[0], rows_per_chunk):
        chunk = slice(start, start + rows_per_chunk)
        rows = {key: column[chunk] for key, column in mentees.items()}
        scores[chunk], eligible[chunk] = score_tables(rows, mentors, previous_pairs[chunk], weights)
    return scores, eligible


def batch_result(
    mentees: dict,
    mentors: dict,
    previous_pairs: np.ndarray,
    weights: Weights,
    report: Callable[[int], None] = lambda percent: None,
    publics: dict[int, list[str]] | None = None,
) -> BatchResult:
    """The optimal proposals for tables of young people and mentors (no database access),
    each explained, who stays unmatched and why, and each young person's priority (when the
    table has its priority columns: `mentee_table(priority=True)`; `publics` gives the codes
    of their priority publics, by primary key)."""
    result = BatchResult()
    if not len(mentees["pk"]):
        return result
    scores, eligible = batch_matrices(mentees, mentors, previous_pairs, weights)
    bonus = mentee_bonus(mentees, weights)
    report(40)
    pairs = solve(scores, eligible, mentors["free_slots"], bonus)
    report(90)
    for row, column in sorted(pairs):
        # The stored explanation is the one of a single pair: the same function as anywhere.
        detail = compatibility(
            profile_from_table(mentees, row), profile_from_table(mentors, column), weights
        )
        result.proposals.append(
            Proposal(
                int(mentees["pk"][row]), int(mentors["pk"][column]), detail.score,
                detail.explanation(), int(bonus[row]),
            )
        )  # fmt: skip
    matched = np.zeros(len(mentees["pk"]), dtype=bool)
    matched[[row for row, _ in pairs]] = True
    has_eligible_mentor = eligible.any(axis=1)
    for row in np.flatnonzero(~matched):
        if not has_eligible_mentor[row]:
            conditions = "lieu, mineurs, genre, disponibilités"
            if weights.initial_training_required:
                conditions += ", formation initiale"
            reason = f"aucun mentor disponible ne remplit les conditions ({conditions})"
        else:
            reason = "les mentors compatibles n'ont plus de place dans ce lot"
        result.unmatched.append((int(mentees["pk"][row]), reason))
    result.priorities = mentee_priorities(
        mentees, range(len(mentees["pk"])), publics or {}, weights
    )
    return result


def batch_compute(
    *,
    mentee_ids: list[int] | None = None,
    today: datetime.date | None = None,
    weights: Weights | None = None,
    progress: Callable[[int], None] | None = None,
    antenne_id: int | None = None,
) -> BatchResult:
    """Five queries (weights, young people, mentors, their previous pairs, their priority
    publics) whatever the size of the batch, then `batch_result`. `antenne_id` as for
    `batch_load`."""
    today = today or timezone.localdate()
    weights = weights or current_weights()
    report = progress or (lambda percent: None)
    mentees, mentors, previous_pairs, publics = batch_load(
        mentee_ids=mentee_ids, today=today, weights=weights, antenne_id=antenne_id
    )
    # The dense solver's memory grows with young people × mentors' slots: a batch takes at
    # most this many young people, in priority order, and the others wait for the next.
    limit = settings.MATCHING_BATCH_MAX_MENTEES
    left_out_rows = range(limit, len(mentees["pk"]))
    left_out_priorities = mentee_priorities(mentees, left_out_rows, publics, weights)
    mentees_in = {key: column[:limit] for key, column in mentees.items()}
    report(10)
    result = batch_result(mentees_in, mentors, previous_pairs[:limit], weights, report, publics)
    result.unmatched.extend(
        (
            int(mentees["pk"][row]),
            f"hors de ce lot (au plus {limit} jeunes par lot, pris par ordre de priorité : "
            "bonus le plus élevé, puis attente la plus longue)",
        )
        for row in left_out_rows
    )
    result.priorities |= left_out_priorities
    report(100)
    return result


def batch_run(*, batch_id: int) -> None:
    """Compute a stored batch, recording progress for the page that waits for it."""
    batch = MatchingBatch.objects.get(pk=batch_id)
    if batch.status == BatchStatus.DONE:
        return
    MatchingBatch.objects.filter(pk=batch_id).update(status=BatchStatus.RUNNING, progress=0)

    def progress(percent: int) -> None:
        MatchingBatch.objects.filter(pk=batch_id).update(progress=percent)

    try:
        result = batch_compute(
            mentee_ids=batch.mentee_ids, progress=progress, antenne_id=batch.antenne_id
        )
    except Exception as error:
        MatchingBatch.objects.filter(pk=batch_id).update(
            status=BatchStatus.FAILED, error=str(error)
        )
        raise
    MatchingBatch.objects.filter(pk=batch_id).update(
        status=BatchStatus.DONE, progress=100, result=result.as_json()
    )


@transaction.atomic
def matching_batch_start(
    *, created_by: User, mentee_ids: list[int] | None, antenne_id: int | None = None
) -> MatchingBatch:
    """A batch of one antenne (None: every antenne, each within itself). Which antenne a
    coordinator may batch is the view's to decide (their scope)."""
    batch = MatchingBatch.objects.create(
        created_by=created_by, mentee_ids=mentee_ids, antenne_id=antenne_id
    )
    compute_matching_batch.delay_on_commit(batch.pk)
    return batch


def matching_batch_confirm(
    *, batch: MatchingBatch, selected: list[tuple[int, int]], proposed_by: User
) -> tuple[list[Mentorship], list[tuple[int, int, str]]]:
    """Propose the pairs the coordinator kept; each goes through the same checks as a single
    proposal (the situation may have changed since the computation)."""
    kept = {tuple(pair) for pair in selected}
    computed = {(p["mentee_id"], p["mentor_id"]) for p in (batch.result or {}).get("proposals", [])}
    created, refused = [], []
    mentees = Mentee.objects.in_bulk([mentee_id for mentee_id, _ in kept])
    mentors = Mentor.objects.in_bulk([mentor_id for _, mentor_id in kept])
    for mentee_id, mentor_id in sorted(kept & computed):
        try:
            created.append(
                mentorship_propose(
                    mentee=mentees[mentee_id], mentor=mentors[mentor_id], proposed_by=proposed_by
                )
            )
        except MatchingError as error:
            refused.append((mentee_id, mentor_id, str(error)))
    MatchingBatch.objects.filter(pk=batch.pk).update(confirmed_at=timezone.now())
    return created, refused
