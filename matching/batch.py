"""Batch matching: the assignment of young people to mentors' free slots that maximises the
total compatibility under the hard constraints (scipy's linear_sum_assignment).

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
from mentors.models import Mentor
from users.models import User

from .compatibility import Weights, compatibility, criteria, score
from .eligibility import eligible_mask, with_matching_facts
from .enums import BatchStatus
from .models import MatchingBatch, Mentorship
from .profiles import Profile, mentee_table, mentor_table, profile_from_table
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


@dataclass
class BatchResult:
    proposals: list[Proposal] = field(default_factory=list)
    unmatched: list[tuple[int, str]] = field(default_factory=list)

    @property
    def total_score(self) -> int:
        return sum(proposal.score for proposal in self.proposals)

    def as_json(self) -> dict:
        return {
            "proposals": [proposal.__dict__ for proposal in self.proposals],
            "unmatched": [list(item) for item in self.unmatched],
        }


MENTEE_COLUMNS = (*PROFILE_COLUMNS, "civility", "is_minor", "wants_same_gender")
MENTOR_COLUMNS = (
    *PROFILE_COLUMNS,
    "civility",
    "cleared_for_minors",
    "free_slots",
    "whole_region",
)


def profiles_table(profiles: list[Profile], keys) -> dict[str, np.ndarray]:
    """Profiles as the columns `profiles.mentee_table` / `mentor_table` read from the
    database."""
    return {key: np.array([getattr(profile, key) for profile in profiles]) for key in keys}


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
        rows, columns, previous_pairs, availability_required=weights.availability_required
    )
    return np.broadcast_to(scores, eligible.shape), eligible


def score_and_eligibility(mentees, mentors, previous: dict[int, set[int]], weights: Weights):
    """Score matrix and eligibility matrix, mentees as rows and mentors as columns."""
    rows = profiles_table(mentees, ["pk", *MENTEE_COLUMNS])
    columns = profiles_table(mentors, ["pk", *MENTOR_COLUMNS])
    pairs = [(mentee_id, mentor_id) for mentee_id, ids in previous.items() for mentor_id in ids]
    previous_pairs = previous_pairs_matrix(rows["pk"], columns["pk"], pairs)
    return score_tables(rows, columns, previous_pairs, weights)


def solve(scores: np.ndarray, eligible: np.ndarray, free_slots: list[int]) -> list[tuple[int, int]]:
    """Optimal (row, mentor column) pairs: the assignment of rows to the mentors' free slots
    (one solver column per slot) that maximises the total score of eligible pairs.

    An ineligible entry is worth 0 and a row the solver puts there stays unmatched: any
    assignment is then worth exactly its eligible pairs, and any set of eligible pairs can be
    completed into an assignment with entries worth at least 0, so both problems have the same
    optimum (no "unmatched" columns needed). Rows and mentors without any eligible pair are
    left out of the solver, and a mentor never gets more slots than rows it can take."""
    scores = np.asarray(scores)
    eligible = np.asarray(eligible, dtype=bool)
    free_slots = np.asarray(free_slots, dtype=np.int64).reshape(-1)
    if not eligible.size:
        return []
    candidate_rows = np.flatnonzero(eligible.any(axis=1))
    slots = np.minimum(free_slots, eligible.sum(axis=0))
    slot_owner = np.repeat(np.arange(len(slots)), slots)
    if not len(candidate_rows) or not len(slot_owner):
        return []
    # Among equal totals, prefer matching more people: every eligible pair gets the same
    # bonus, and the bonuses of all rows sum to less than one point of score.
    bonus = 0.5 / (len(candidate_rows) + 1)
    # Built in place: at national scale the matrix alone is hundreds of megabytes.
    sub_eligible = eligible[np.ix_(candidate_rows, slot_owner)]
    matrix = scores[np.ix_(candidate_rows, slot_owner)].astype(float)
    matrix += bonus
    matrix[~sub_eligible] = 0.0
    chosen_rows, chosen_slots = linear_sum_assignment(matrix, maximize=True)
    kept = sub_eligible[chosen_rows, chosen_slots]
    return [
        (int(row), int(owner))
        for row, owner in zip(
            candidate_rows[chosen_rows[kept]], slot_owner[chosen_slots[kept]], strict=True
        )
    ]


def batch_load(*, mentee_ids: list[int] | None, today: datetime.date):
    """The young people of a batch and the approved mentors with a free slot, as tables, and
    the pairs the young people already had (three queries)."""
    mentees_qs = mentees_awaiting_mentor(today=today)
    if mentee_ids is not None:
        mentees_qs = mentees_qs.filter(pk__in=mentee_ids)
    mentees = mentee_table(mentees_qs, today=today)
    order = np.argsort(mentees["pk"])
    mentees = {key: column[order] for key, column in mentees.items()}
    mentors = mentor_table(with_matching_facts(Mentor.objects.approved(), today=today))
    with_room = np.flatnonzero(mentors["free_slots"] > 0)
    with_room = with_room[np.argsort(mentors["pk"][with_room])]
    mentors = {key: column[with_room] for key, column in mentors.items()}
    pairs = list(
        Mentorship.objects.filter(mentee__in=mentees_qs)
        .order_by()
        .values_list("mentee_id", "mentor_id")
    )
    return mentees, mentors, previous_pairs_matrix(mentees["pk"], mentors["pk"], pairs)


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
) -> BatchResult:
    """The optimal proposals for tables of young people and mentors (no database access),
    each explained, and who stays unmatched and why."""
    result = BatchResult()
    if not len(mentees["pk"]):
        return result
    scores, eligible = batch_matrices(mentees, mentors, previous_pairs, weights)
    report(40)
    pairs = solve(scores, eligible, mentors["free_slots"])
    report(90)
    for row, column in sorted(pairs):
        # The stored explanation is the one of a single pair: the same function as anywhere.
        detail = compatibility(
            profile_from_table(mentees, row), profile_from_table(mentors, column), weights
        )
        result.proposals.append(
            Proposal(
                int(mentees["pk"][row]), int(mentors["pk"][column]), detail.score,
                detail.explanation(),
            )
        )  # fmt: skip
    matched = np.zeros(len(mentees["pk"]), dtype=bool)
    matched[[row for row, _ in pairs]] = True
    has_eligible_mentor = eligible.any(axis=1)
    for row in np.flatnonzero(~matched):
        if not has_eligible_mentor[row]:
            reason = (
                "aucun mentor disponible ne remplit les conditions "
                "(lieu, mineurs, genre, disponibilités)"
            )
        else:
            reason = "les mentors compatibles n'ont plus de place dans ce lot"
        result.unmatched.append((int(mentees["pk"][row]), reason))
    return result


def batch_compute(
    *,
    mentee_ids: list[int] | None = None,
    today: datetime.date | None = None,
    weights: Weights | None = None,
    progress: Callable[[int], None] | None = None,
) -> BatchResult:
    """Four queries (weights, young people, mentors, their previous pairs) whatever the size
    of the batch, then `batch_result`."""
    today = today or timezone.localdate()
    weights = weights or current_weights()
    report = progress or (lambda percent: None)
    mentees, mentors, previous_pairs = batch_load(mentee_ids=mentee_ids, today=today)
    # The dense solver's memory grows with young people × mentors' slots: a batch takes at
    # most this many young people, those registered first, and the others wait for the next.
    limit = settings.MATCHING_BATCH_MAX_MENTEES
    left_out = [int(pk) for pk in mentees["pk"][limit:]]
    mentees = {key: column[:limit] for key, column in mentees.items()}
    report(10)
    result = batch_result(mentees, mentors, previous_pairs[:limit], weights, report)
    result.unmatched.extend(
        (pk, f"hors de ce lot (au plus {limit} jeunes par lot, les premiers inscrits d'abord)")
        for pk in left_out
    )
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
        result = batch_compute(mentee_ids=batch.mentee_ids, progress=progress)
    except Exception as error:
        MatchingBatch.objects.filter(pk=batch_id).update(
            status=BatchStatus.FAILED, error=str(error)
        )
        raise
    MatchingBatch.objects.filter(pk=batch_id).update(
        status=BatchStatus.DONE, progress=100, result=result.as_json()
    )


@transaction.atomic
def matching_batch_start(*, created_by: User, mentee_ids: list[int] | None) -> MatchingBatch:
    batch = MatchingBatch.objects.create(created_by=created_by, mentee_ids=mentee_ids)
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
