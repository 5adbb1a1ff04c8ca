"""Batch matching: the assignment of young people to mentors' free slots that maximises the
total compatibility plus the young people's priority bonuses under the hard constraints
(exactly: see the solver's notes). Each pair keeps its own score out of 100; the bonus of a
young person (`priority.py`: priority public, months waited) is added to every eligible pair
of theirs, so the optimum favours them when slots are scarce. The batch takes the waiting
list in priority order (highest bonus, then longest wait).

Everything between the database and the solver is vectorised: the people are read as numpy
columns (`profiles.mentee_table` / `mentor_table`, one query each), and the score and the
hard constraints are computed over the whole matrix by the same formula and rules that
explain a single pair (`score_matrix`, the look-up form of `criteria` and `score`;
`eligible_mask`), by chunks of rows on the machine's cores, into one byte per pair (10,000
young people × 5,000 mentors: 50 MB)."""

import datetime
import itertools
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import MISSING, dataclass, field

import numpy as np
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from scipy import sparse
from scipy.sparse.csgraph import min_weight_full_bipartite_matching

from mentees.models import Mentee
from mentees.priority import PriorityMark
from mentors.models import Mentor
from users.models import User

from .compatibility import Weights, compatibilities, score_matrix
from .eligibility import eligible_mask, with_matching_facts
from .enums import BatchStatus
from .geography import department_indices
from .models import MatchingBatch, Mentorship
from .priority import Priority, bonus_column, bonus_columns
from .profiles import NATIONAL, Profile, antenne_column, mentee_table, mentor_table
from .selectors import current_weights, mentees_awaiting_mentor
from .services import MatchingError, mentorship_propose
from .tasks import compute_matching_batch

# The matrices are computed and read by chunks of rows of about this many pairs: numpy's
# intermediate arrays (a dozen per chunk) then stay a few megabytes whatever the size of the
# batch, and mostly in the processor's cache.
PAIRS_PER_CHUNK = 262144
# Threads computing the chunks (the machine's cores, within reason).
THREADS = min(os.cpu_count() or 1, 4)
PROFILE_COLUMNS = ("topics", "sectors", "department", "modes", "availability", "languages")
# In the score matrix of a batch (int8, scores 0 to 100): a pair a hard constraint forbids.
INELIGIBLE = -1


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
) -> sparse.csr_array:
    """Boolean matrix (mentees as rows, mentors as columns) of the (mentee, mentor) pairs that
    already existed, whatever their status. Sparse: a few thousand pairs among tens of
    millions; rows are sliced (`[:limit]`, a chunk) and made dense one chunk at a time."""
    shape = (len(mentee_pks), len(mentor_pks))
    if not pairs or not len(mentee_pks) or not len(mentor_pks):
        return sparse.csr_array(shape, dtype=bool)
    pair_mentees, pair_mentors = np.array(pairs, dtype=np.int64).T
    rows, row_found = _positions(mentee_pks, pair_mentees)
    columns, column_found = _positions(mentor_pks, pair_mentors)
    found = row_found & column_found
    matrix = sparse.coo_array(
        (np.ones(int(found.sum()), dtype=bool), (rows[found], columns[found])), shape=shape
    ).tocsr()
    # The same pair twice (two mentorships) stays one True, not a sum.
    matrix.sum_duplicates()
    return matrix.astype(bool)


def _positions(pks: np.ndarray, wanted: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Index of each wanted primary key in `pks`, and whether it is there at all."""
    order = np.argsort(pks)
    at = np.minimum(np.searchsorted(pks, wanted, sorter=order), len(pks) - 1)
    return order[at], pks[order[at]] == wanted


def _dense(matrix) -> np.ndarray:
    return matrix.toarray() if sparse.issparse(matrix) else np.asarray(matrix, dtype=bool)


def _compact(table: dict) -> dict:
    """A table's columns as broadcasting reads them fastest: départements as indices
    (`geography.department_indices`, looked up once), bitmasks, antennes and counts in the
    smallest unsigned integers that hold them. Same values, so the same rules and scores."""
    compact = dict(table)
    if "department" in table:
        compact["department"] = department_indices(table["department"]).astype(np.int16)
    for key, column in table.items():
        column = np.asarray(column)
        if key != "pk" and column.size and column.dtype.kind in "iu" and column.min() >= 0:
            compact[key] = column.astype(np.min_scalar_type(column.max()))
    return compact


def score_tables(rows: dict, columns: dict, previous_pairs, weights: Weights):
    """Score (int8) and eligibility matrices of two tables (`profiles.mentee_table` rows,
    `profiles.mentor_table` columns): the same formula and rules as one pair at a time.
    Every column of the tables reaches `eligible_mask`, whatever rule reads it."""
    rows = {key: column[:, None] for key, column in rows.items() if key != "pk"}
    columns = {key: column[None, :] for key, column in columns.items() if key != "pk"}
    eligible = eligible_mask(
        rows,
        columns,
        _dense(previous_pairs),
        availability_required=weights.availability_required,
        initial_training_required=weights.initial_training_required,
    )
    scores = score_matrix(rows, columns, weights)
    return np.broadcast_to(scores, eligible.shape), eligible


def score_and_eligibility(mentees, mentors, previous: dict[int, set[int]], weights: Weights):
    """Score matrix and eligibility matrix, mentees as rows and mentors as columns."""
    rows = profiles_table(mentees, ["pk", *MENTEE_COLUMNS])
    columns = profiles_table(mentors, ["pk", *MENTOR_COLUMNS])
    pairs = [(mentee_id, mentor_id) for mentee_id, ids in previous.items() for mentor_id in ids]
    previous_pairs = previous_pairs_matrix(rows["pk"], columns["pk"], pairs)
    return score_tables(_compact(rows), _compact(columns), previous_pairs, weights)


def _chunks(rows: int, columns: int):
    """Slices of rows of about PAIRS_PER_CHUNK pairs each."""
    step = max(1, PAIRS_PER_CHUNK // max(columns, 1))
    for start in range(0, rows, step):
        yield slice(start, min(start + step, rows))


def _in_chunks(function: Callable[[slice], object], rows: int, columns: int) -> list:
    """`function(chunk)` for each chunk of rows, in order, on up to THREADS threads: numpy
    releases the GIL in its loops, so the chunks use every core."""
    chunks = list(_chunks(rows, columns))
    if THREADS < 2 or len(chunks) < 2:
        return [function(chunk) for chunk in chunks]
    with ThreadPoolExecutor(THREADS) as pool:
        return list(pool.map(function, chunks))


# --- The solver
#
# The optimum over every eligible pair is found on a few of them: the most promising pairs
# of each young person and of each mentor (`_first_candidates`), solved exactly by scipy's
# sparse assignment (`_assign`); the solution's dual prices (`_prices`) then price every
# eligible pair of the whole matrix (`_underpriced`). A pair worth more than the prices of
# its two sides could improve the solution: those pairs (and the nearly as good) join the
# candidates and the solution is recomputed. When no pair is underpriced, the prices prove
# that no assignment over the whole matrix is worth more (linear programming duality: the
# prices' total equals the solution's value and bounds every assignment's): the solution is
# the optimum of the whole problem, not an approximation. It usually takes two or three
# rounds; at worst every eligible pair ends up a candidate, as with a plain solver.

# First candidates: about this many best pairs per young person, and per free slot of a
# mentor, from thresholds estimated on samples of the matrix (ties may add a few; at most
# CANDIDATES_CAP times as many per row or per mentor when a threshold is a common value).
CANDIDATES_PER_ROW = 12
CANDIDATES_PER_SLOT = 4
CANDIDATES_CAP = 4
SAMPLE = 512
# Pairs within this many points of their prices join the candidates with the underpriced
# ones: the prices move a little from one round to the next, this saves rounds.
PRICE_MARGIN = 8


@dataclass
class _Problem:
    """What the solver optimises: scores (INELIGIBLE where a pair may not be chosen), each
    mentor column's free slots, each row's bonus; read by chunks of rows."""

    scores: np.ndarray
    slots: np.ndarray
    bonus: np.ndarray

    @property
    def shape(self) -> tuple[int, int]:
        return self.scores.shape

    @property
    def scale(self) -> int:
        # A pair weighs value × scale + 1: among assignments of equal value, the one with more
        # pairs weighs more (one pair per row at most: never a whole point).
        return self.shape[0] + 1

    def weights(self, rows: np.ndarray, columns: np.ndarray) -> np.ndarray:
        values = self.scores[rows, columns].astype(np.int64) + self.bonus[rows]
        return values * self.scale + 1

    def pairs_above(self, row_threshold, column_threshold, row_cap=None, column_cap=None):
        """Row-major flat keys (row × columns + column) of the pairs whose score exceeds row
        + column thresholds (in score points): never an ineligible pair nor a mentor without
        a free slot; at most `row_cap` per row and `column_cap[column]` per column (the
        first ones in row-major order). Over the whole matrix by chunks of rows, with the
        thresholds in small integers."""
        rows, columns = self.shape
        top = int(self.scores.max(initial=INELIGIBLE))
        row_threshold = np.asarray(row_threshold, dtype=np.int64)
        column_threshold = np.where(
            self.slots > 0, column_threshold, top + 1 - min(int(row_threshold.min()), 0)
        )
        bound = int(np.abs(row_threshold).max()) + int(np.abs(column_threshold).max())
        small = np.int16 if bound < 2**15 and top < 2**15 else np.int64
        row_threshold = row_threshold.astype(small)
        column_threshold = column_threshold.astype(small)

        def above(chunk: slice) -> np.ndarray:
            threshold = row_threshold[chunk, None] + column_threshold
            np.maximum(threshold, INELIGIBLE, out=threshold)
            keys = np.flatnonzero(self.scores[chunk] > threshold)
            if row_cap is not None:
                keys = keys[_rank_within(keys // columns) < row_cap]
            return keys + chunk.start * columns

        keys = np.concatenate(_in_chunks(above, rows, columns))
        if column_cap is not None:
            of_column = keys % columns
            order = np.argsort(of_column, kind="stable")
            rank = np.empty(len(keys), dtype=np.int64)
            rank[order] = _rank_within(of_column[order])
            keys = keys[rank < column_cap[of_column]]
        return keys


def solve(
    scores: np.ndarray,
    eligible: np.ndarray | None,
    free_slots,
    bonus=None,
    *,
    candidates_per_row: int = CANDIDATES_PER_ROW,
    candidates_per_slot: int = CANDIDATES_PER_SLOT,
) -> list[tuple[int, int]]:
    """Optimal (row, mentor column) pairs: the assignment of rows to the mentors' free slots
    that maximises the total value of the pairs, a pair's value being its score plus its
    row's `bonus` (non-negative integers; none by default), and among those of equal value
    the one with the most pairs. Only eligible pairs (`eligible`; when it is None, the scores
    that are not INELIGIBLE) may be chosen: a row rather stays unmatched. The result is the
    exact optimum (see the solver's notes above)."""
    scores = np.asarray(scores)
    if scores.ndim != 2 or not scores.size:
        return []
    if eligible is not None:
        scores = np.where(eligible, scores, INELIGIBLE)
    slots = np.maximum(np.asarray(free_slots, dtype=np.int64).reshape(-1), 0)
    bonus = np.zeros(len(scores), np.int64) if bonus is None else np.asarray(bonus, np.int64)
    problem = _Problem(scores, slots, bonus)
    candidates = _first_candidates(problem, candidates_per_row, candidates_per_slot)
    while len(candidates):
        by_column = _by_column(problem, candidates)
        weights = problem.weights(*by_column)
        chosen = _assign(problem, *by_column, weights)
        row_prices, column_prices = _prices(problem, *by_column, weights, *chosen)
        underpriced, more = _underpriced(problem, row_prices, column_prices)
        if not underpriced:
            total = int(problem.weights(*chosen).sum())
            if int(row_prices.sum() + (slots * column_prices).sum()) != total:
                raise RuntimeError("batch matching: the prices do not prove the optimum")
            return sorted(zip(chosen[0].tolist(), chosen[1].tolist(), strict=True))
        at = np.minimum(np.searchsorted(candidates, more), len(candidates) - 1)
        if (candidates[at] == more).all():
            raise RuntimeError("batch matching: a candidate pair is underpriced")
        candidates = _merge(candidates, more)
    return []


def _by_column(problem: _Problem, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The (rows, columns) of row-major keys, ordered by column then row."""
    rows, columns = np.divmod(keys, problem.shape[1])
    order = np.argsort(columns, kind="stable")
    return rows[order], columns[order]


def _kth_largest(values: np.ndarray, kth) -> np.ndarray:
    """For each row, its kth largest value (kth ≥ 1, one for all rows or one per row): -1
    when the row has fewer values. By partition (a few distinct kth), not a full sort."""
    size = values.shape[1]
    kth = np.broadcast_to(np.asarray(kth), len(values))
    if size and (kth == 1).all():
        return values.max(axis=1)
    at = size - np.clip(kth, 1, size)
    partitioned = np.partition(values, np.unique(at), axis=1)
    found = np.take_along_axis(partitioned, at[:, None], axis=1)[:, 0]
    return np.where(kth <= size, found, -1)


def _evenly(items: np.ndarray, count: int) -> np.ndarray:
    """All the items when there are at most SAMPLE of them, else `count` (at most SAMPLE)
    evenly spaced ones."""
    if len(items) <= SAMPLE:
        return items
    count = min(count, SAMPLE)
    return items[np.unique(np.linspace(0, len(items) - 1, count).astype(int))]


def _first_candidates(problem: _Problem, per_row: int, per_slot: int) -> np.ndarray:
    """Row-major keys of about the `per_row` best pairs of each row and the `per_slot` ×
    free slots best pairs of each mentor: the pairs at least as good as thresholds taken on
    evenly spaced samples of the columns and of the rows (exact when the matrix is smaller
    than the sample), at most CANDIDATES_CAP times that many per row or per mentor."""
    rows, columns = problem.shape
    open_columns = np.flatnonzero(problem.slots > 0)
    if not len(open_columns):
        return np.zeros(0, dtype=np.int64)
    # A matrix larger than the sample is sampled so that each line's threshold is one of its
    # few largest sampled values: the largest one for the rows.
    sample = _evenly(open_columns, max(1, len(open_columns) // per_row))
    kth = -(-per_row * len(sample) // len(open_columns))
    row_threshold = np.maximum(_kth_largest(problem.scores[:, sample], kth), 0)
    sample = _evenly(np.arange(rows), max(1, rows // per_slot))
    # Mentors as rows: each one's values (score + bonus) over the sampled young people.
    values = problem.scores[sample].T.astype(np.int32)
    values = np.where(values >= 0, values + problem.bonus[sample].astype(np.int32), -1)
    kth = -(-per_slot * problem.slots * len(sample) // rows)
    column_threshold = np.maximum(_kth_largest(values, kth), 0)
    # « At least the threshold »; the mentors' in value points, so less each row's bonus.
    by_row = problem.pairs_above(
        row_threshold - 1, np.zeros(columns, dtype=np.int64), row_cap=CANDIDATES_CAP * per_row
    )
    by_column = problem.pairs_above(
        -problem.bonus, column_threshold - 1, column_cap=CANDIDATES_CAP * per_slot * problem.slots
    )
    return _merge(by_row, by_column)


def _merge(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """The sorted union of two arrays of keys."""
    keys = np.concatenate((first, second))
    keys.sort()
    return keys[np.r_[True, keys[1:] != keys[:-1]]] if len(keys) else keys


def _rank_within(groups: np.ndarray) -> np.ndarray:
    """For a sorted array of group labels, each element's position within its group."""
    if not len(groups):
        return np.zeros(0, dtype=np.int64)
    starts = np.flatnonzero(np.r_[True, groups[1:] != groups[:-1]])
    lengths = np.diff(np.r_[starts, len(groups)])
    return np.arange(len(groups)) - np.repeat(starts, lengths)


def _assign(
    problem: _Problem, rows: np.ndarray, columns: np.ndarray, weights: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The optimal assignment over the candidate pairs (ordered by column then row) by
    scipy's sparse solver (LAPJVsp): one solver row per useful free slot (slots beyond a
    mentor's candidates would stay empty) with the mentor's candidates and an « empty »
    column of its own, so that every slot can be matched; costs are a constant minus the
    pair weights."""
    per_column = np.bincount(columns, minlength=problem.shape[1])
    slots = np.minimum(problem.slots, per_column)
    owner = np.repeat(np.arange(len(slots)), slots)
    first = np.concatenate(([0], np.cumsum(per_column)))[owner]
    lengths = per_column[owner] + 1
    starts = np.concatenate(([0], np.cumsum(lengths)))
    # Each entry's position in its solver row: the last one is the slot's « empty » column.
    position = np.arange(starts[-1]) - np.repeat(starts[:-1], lengths)
    empty = position == np.repeat(lengths - 1, lengths)
    source = np.minimum(np.repeat(first, lengths) + position, len(rows) - 1)
    empty_column = problem.shape[0] + np.repeat(np.arange(len(owner)), lengths)
    big = float(weights.max() + 1)
    costs = sparse.csr_array(
        (
            np.where(empty, big, big - weights[source]),
            np.where(empty, empty_column, rows[source]),
            starts,
        ),
        shape=(len(owner), problem.shape[0] + len(owner)),
    )
    slot_rows, chosen = min_weight_full_bipartite_matching(costs)
    real = chosen < problem.shape[0]
    return chosen[real], owner[slot_rows[real]]


def _prices(
    problem: _Problem,
    rows: np.ndarray,
    columns: np.ndarray,
    weights: np.ndarray,
    chosen_rows: np.ndarray,
    chosen_columns: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Dual prices of an optimal assignment over the candidates (ordered by column): each
    row's (what its pair earns beyond its mentor's price; 0 when unmatched) and each
    mentor's (0 while it has a slot left), such that no candidate pair weighs more than its
    two prices. The smallest such mentor prices, by relaxation: each round raises a full
    mentor's price to what its best candidate row would give up for it (longest paths,
    bounded by the number of mentors when the assignment is optimal)."""
    match = np.full(problem.shape[0], -1, dtype=np.int64)
    match[chosen_rows] = chosen_columns
    matched = match >= 0
    earned = np.zeros(problem.shape[0], dtype=np.int64)
    earned[chosen_rows] = problem.weights(chosen_rows, chosen_columns)
    full = np.bincount(chosen_columns, minlength=problem.shape[1]) >= problem.slots
    starts = np.flatnonzero(np.r_[True, columns[1:] != columns[:-1]])
    segment_columns = columns[starts]
    column_prices = np.zeros(problem.shape[1], dtype=np.int64)
    for _ in range(problem.shape[1] + 2):
        row_prices = np.where(matched, earned - column_prices[np.maximum(match, 0)], 0)
        raised = np.zeros_like(column_prices)
        raised[segment_columns] = np.maximum.reduceat(weights - row_prices[rows], starts)
        raised = np.where(full, np.maximum(column_prices, raised), 0)
        if np.array_equal(raised, column_prices):
            if (row_prices < 0).any():
                break
            return row_prices, column_prices
        column_prices = raised
    raise RuntimeError("batch matching: the assignment over the candidates is not optimal")


def _underpriced(
    problem: _Problem, row_prices: np.ndarray, column_prices: np.ndarray
) -> tuple[int, np.ndarray]:
    """How many eligible pairs of the whole matrix weigh more than their two prices, and
    the row-major keys of those and of the pairs within PRICE_MARGIN points of them.

    A pair is within the margin when (score + bonus) × scale + 1 > row price + column price
    − margin × scale; with the prices split into whole points and a remainder, that needs
    score > row points + column points, a test on small integers over the whole matrix;
    the exact test then runs on the pairs that pass it."""
    scale = problem.scale
    row_points = (row_prices - 1 - (PRICE_MARGIN + problem.bonus) * scale) // scale
    keys = problem.pairs_above(row_points, column_prices // scale)
    rows, columns = np.divmod(keys, problem.shape[1])
    slack = problem.weights(rows, columns) - row_prices[rows] - column_prices[columns]
    return int(np.count_nonzero(slack > 0)), keys[slack > -PRICE_MARGIN * scale]


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
    """The explained priority of the given rows, by primary key (`priority.priority_of`'s,
    its bonuses computed over the columns at once)."""
    if "has_priority" not in mentees:
        return {}
    rows = np.asarray(rows, dtype=np.int64)
    months = mentees["waiting_months"][rows]
    public, waiting = bonus_columns(mentees["has_priority"][rows], months, weights)
    return {
        pk: Priority(
            publics=tuple(publics.get(pk, ())),
            months=waited,
            rematch=rematch,
            public_bonus=public_bonus,
            waiting_bonus=waiting_bonus,
        ).as_dict()
        for pk, waited, rematch, public_bonus, waiting_bonus in zip(
            mentees["pk"][rows].tolist(),
            months.tolist(),
            mentees["rematch"][rows].tolist(),
            public.tolist(),
            waiting.tolist(),
            strict=True,
        )
    }


def profiles_of(table: dict, rows) -> list[Profile]:
    """Rows of a table back as the Profiles their model instances give
    (`profiles.profile_from_table`), every column read at once."""
    columns = []
    for name, declared in Profile.__dataclass_fields__.items():
        if name not in table and declared.default is not MISSING:
            columns.append(itertools.repeat(declared.default))
            continue
        column = np.asarray(table[name])[rows].tolist()
        if name == "antenne":
            column = [None if pk == NATIONAL else pk for pk in column]
        columns.append(column)
    # Positional, every field in its order (the table's or its default): the fastest call.
    return [Profile(*values) for values in zip(*columns, strict=False)]


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


def batch_matrices(mentees: dict, mentors: dict, previous_pairs, weights: Weights) -> np.ndarray:
    """The score matrix of a whole batch (int8, one byte per pair: 50 MB for 10,000 young
    people × 5,000 mentors), INELIGIBLE where a hard constraint forbids the pair, built by
    chunks of rows to bound the memory of numpy's intermediate arrays."""
    shape = (len(mentees["pk"]), len(mentors["pk"]))
    scores = np.full(shape, INELIGIBLE, dtype=np.int8)
    if not shape[1]:
        return scores
    mentees, mentors = _compact(mentees), _compact(mentors)

    def fill(chunk: slice) -> None:
        rows = {key: column[chunk] for key, column in mentees.items()}
        chunk_scores, eligible = score_tables(rows, mentors, previous_pairs[chunk], weights)
        np.copyto(scores[chunk], chunk_scores, where=eligible)

    _in_chunks(fill, *shape)
    return scores


def batch_result(
    mentees: dict,
    mentors: dict,
    previous_pairs,
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
    scores = batch_matrices(mentees, mentors, previous_pairs, weights)
    bonus = mentee_bonus(mentees, weights)
    report(40)
    pairs = solve(scores, None, mentors["free_slots"], bonus)
    report(90)
    rows = [row for row, _ in pairs]
    columns = [column for _, column in pairs]
    # The stored explanation is the one of a single pair (`compatibility`), all at once.
    details = compatibilities(
        list(zip(profiles_of(mentees, rows), profiles_of(mentors, columns), strict=True)),
        weights,
    )
    for row, column, detail in zip(rows, columns, details, strict=True):
        result.proposals.append(
            Proposal(
                int(mentees["pk"][row]), int(mentors["pk"][column]), detail.score,
                detail.explanation(), int(bonus[row]),
            )
        )  # fmt: skip
    matched = np.zeros(len(mentees["pk"]), dtype=bool)
    matched[rows] = True
    has_eligible_mentor = scores.max(axis=1, initial=INELIGIBLE) > INELIGIBLE
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
    # The score matrix takes a byte per (young person, mentor): a batch takes at most this
    # many young people, in priority order, and the others wait for the next.
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
