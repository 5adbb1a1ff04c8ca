"""Batch matching: the assignment of young people to mentors' free slots that maximises the
total compatibility under the hard constraints (scipy's linear_sum_assignment)."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
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
from .selectors import (
    current_weights,
    mentees_awaiting_mentor,
    profile_of_mentee,
    profile_of_mentor,
)
from .services import MatchingError, mentorship_propose
from .tasks import compute_matching_batch

# An ineligible pair: far below any real score, so the solver never picks it over leaving
# the young person unmatched (every young person also has a private "unmatched" column).
FORBIDDEN = -1e9
ROWS_PER_CHUNK = 500


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


def _table(profiles, keys) -> dict:
    return {key: np.array([getattr(profile, key) for profile in profiles]) for key in keys}


def score_and_eligibility(mentees, mentors, previous: dict[int, set[int]], weights: Weights):
    """Score matrix and eligibility matrix, mentees as rows and mentors as columns."""
    keys = ["topics", "sectors", "department", "modes", "availability", "languages", "civility"]
    rows = _table(mentees, [*keys, "is_minor", "wants_same_gender"])
    columns = _table(mentors, [*keys, "cleared_for_minors", "free_slots"])
    rows = {key: value[:, None] for key, value in rows.items()}
    columns = {key: value[None, :] for key, value in columns.items()}
    mentor_index = {mentor.pk: j for j, mentor in enumerate(mentors)}
    previous_pairs = np.zeros((len(mentees), len(mentors)), dtype=bool)
    for i, mentee in enumerate(mentees):
        for mentor_id in previous.get(mentee.pk, ()):
            if mentor_id in mentor_index:
                previous_pairs[i, mentor_index[mentor_id]] = True
    scores = score(criteria(rows, columns), weights)
    eligible = eligible_mask(rows, columns, previous_pairs)
    return np.broadcast_to(scores, eligible.shape), eligible


def solve(scores: np.ndarray, eligible: np.ndarray, free_slots: list[int]) -> list[tuple[int, int]]:
    """Optimal (row, mentor column) pairs: one column per free slot of each mentor, plus one
    "unmatched" column per row so that nobody is forced into a pair."""
    slot_owner = np.repeat(np.arange(len(free_slots)), free_slots)
    rows = scores.shape[0]
    matrix = np.full((rows, len(slot_owner) + rows), FORBIDDEN)
    # Among equal totals, prefer matching more people; the bonus sums to less than one point.
    bonus = 0.5 / (rows + 1)
    if len(slot_owner):
        matrix[:, : len(slot_owner)] = np.where(
            eligible[:, slot_owner], scores[:, slot_owner] + bonus, FORBIDDEN
        )
    matrix[np.arange(rows), len(slot_owner) + np.arange(rows)] = 0
    chosen_rows, chosen_columns = linear_sum_assignment(matrix, maximize=True)
    return [
        (int(row), int(slot_owner[column]))
        for row, column in zip(chosen_rows, chosen_columns, strict=True)
        if column < len(slot_owner)
    ]


def batch_compute(
    *,
    mentee_ids: list[int] | None = None,
    today: datetime.date | None = None,
    weights: Weights | None = None,
    progress: Callable[[int], None] | None = None,
) -> BatchResult:
    today = today or timezone.localdate()
    weights = weights or current_weights()
    report = progress or (lambda percent: None)
    mentees_qs = mentees_awaiting_mentor(today=today).order_by("pk")
    if mentee_ids is not None:
        mentees_qs = mentees_qs.filter(pk__in=mentee_ids)
    mentee_rows = list(mentees_qs)
    mentees = [profile_of_mentee(mentee, today=today) for mentee in mentee_rows]
    mentor_rows = list(with_matching_facts(Mentor.objects.approved(), today=today).order_by("pk"))
    mentors = [profile_of_mentor(mentor) for mentor in mentor_rows]
    mentors_with_room = [mentor for mentor in mentors if mentor.free_slots > 0]
    report(10)
    previous: dict[int, set[int]] = {}
    for mentee_id, mentor_id in Mentorship.objects.filter(
        mentee_id__in=[mentee.pk for mentee in mentees]
    ).values_list("mentee_id", "mentor_id"):
        previous.setdefault(mentee_id, set()).add(mentor_id)
    result = BatchResult()
    if not mentees:
        report(100)
        return result
    # Scores are built by chunks of rows to bound memory on large batches.
    score_chunks, eligible_chunks = [], []
    for start in range(0, len(mentees), ROWS_PER_CHUNK):
        chunk = mentees[start : start + ROWS_PER_CHUNK]
        chunk_scores, chunk_eligible = (
            score_and_eligibility(chunk, mentors_with_room, previous, weights)
            if mentors_with_room
            else (np.zeros((len(chunk), 0)), np.zeros((len(chunk), 0), bool))
        )
        score_chunks.append(np.asarray(chunk_scores))
        eligible_chunks.append(chunk_eligible)
        report(10 + int(60 * min(start + ROWS_PER_CHUNK, len(mentees)) / len(mentees)))
    scores = np.vstack(score_chunks)
    eligible = np.vstack(eligible_chunks)
    pairs = solve(scores, eligible, [mentor.free_slots for mentor in mentors_with_room])
    report(90)
    matched_rows = set()
    for row, column in pairs:
        mentee, mentor = mentees[row], mentors_with_room[column]
        detail = compatibility(mentee, mentor, weights)
        result.proposals.append(Proposal(mentee.pk, mentor.pk, detail.score, detail.explanation()))
        matched_rows.add(row)
    for row, mentee in enumerate(mentees):
        if row in matched_rows:
            continue
        if not eligible[row].any():
            reason = "aucun mentor disponible ne remplit les conditions (lieu, mineurs, genre)"
        else:
            reason = "les mentors compatibles n'ont plus de place dans ce lot"
        result.unmatched.append((mentee.pk, reason))
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
