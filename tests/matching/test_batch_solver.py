"""The national-scale path of batch matching: the solver on candidate pairs proved optimal by
its prices, the score matrix by look-ups, the meeting table, the chunked matrices, and the
column-wise explanations and priorities, each against the plain single-pair functions or a
brute force / linear programme optimum. No database, no timing."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matching import batch
from matching.batch import (
    INELIGIBLE,
    MENTEE_COLUMNS,
    MENTOR_COLUMNS,
    batch_matrices,
    mentee_priorities,
    previous_pairs_matrix,
    profiles_of,
    profiles_table,
    score_and_eligibility,
    solve,
)
from matching.compatibility import (
    WEIGHT_NAMES,
    Weights,
    can_meet,
    compatibilities,
    compatibility,
    criteria,
    score,
    score_matrix,
)
from matching.geography import FAR, department_codes, department_indices, proximity
from matching.priority import priority_of
from matching.profiles import profile_from_table
from tests.matching.test_batch import (
    assert_feasible,
    best_total,
    linear_programme_optimum,
    population,
    weights_with_bonuses,
)
from users.enums import Availability, HelpTopic, Language, Sector


def random_problem(data, *, rows: int, columns: int, slots: int, bonus: int):
    shape = (rows, columns)
    scores = np.array(
        data.draw(st.lists(st.integers(0, 100), min_size=rows * columns, max_size=rows * columns))
    ).reshape(shape)
    eligible = np.array(
        data.draw(st.lists(st.booleans(), min_size=rows * columns, max_size=rows * columns))
    ).reshape(shape)
    free_slots = data.draw(st.lists(st.integers(0, slots), min_size=columns, max_size=columns))
    bonuses = np.array(data.draw(st.lists(st.integers(0, bonus), min_size=rows, max_size=rows)))
    return scores, eligible, free_slots, bonuses


# --- The solver, forced through its rounds of prices


@settings(deadline=None, max_examples=150)
@given(st.data())
def test_the_solver_from_one_candidate_per_line_reaches_the_brute_force_optimum(data):
    # One first candidate per row and per slot: the optimum is only reached through the
    # prices finding the underpriced pairs, round after round.
    rows = data.draw(st.integers(1, 5), label="young people")
    columns = data.draw(st.integers(1, 4), label="mentors")
    scores, eligible, free_slots, bonus = random_problem(
        data, rows=rows, columns=columns, slots=3, bonus=40
    )

    pairs = solve(scores, eligible, free_slots, bonus, candidates_per_row=1, candidates_per_slot=1)

    assert_feasible(pairs, eligible, free_slots)
    total = sum(int(scores[row, column]) + int(bonus[row]) for row, column in pairs)
    assert (total, len(pairs)) == best_total(scores, eligible, free_slots, bonus)


@settings(deadline=None, max_examples=40)
@given(st.data())
def test_the_solver_equals_the_linear_programme_on_larger_random_matrices(data):
    rows = data.draw(st.integers(10, 40), label="young people")
    columns = data.draw(st.integers(3, 15), label="mentors")
    scores, eligible, free_slots, bonus = random_problem(
        data, rows=rows, columns=columns, slots=3, bonus=60
    )
    per_row = data.draw(st.integers(1, 3), label="first candidates per row")

    pairs = solve(
        scores, eligible, free_slots, bonus, candidates_per_row=per_row, candidates_per_slot=1
    )

    assert_feasible(pairs, eligible, free_slots)
    values = scores + bonus[:, None]
    total = sum(int(values[row, column]) for row, column in pairs)
    assert (total, len(pairs)) == linear_programme_optimum(values, eligible, free_slots)


@pytest.mark.parametrize("value", [0, 57])
def test_a_matrix_of_equal_scores_is_solved_with_as_many_pairs_as_possible(value):
    # Every pair ties: the first candidates' thresholds are common values (capped), and the
    # optimum is any assignment filling the most slots.
    rng = np.random.default_rng(7)
    eligible = rng.random((120, 30)) < 0.2
    free_slots = rng.integers(0, 4, 30)
    scores = np.full(eligible.shape, value)

    pairs = solve(scores, eligible, free_slots, candidates_per_row=1, candidates_per_slot=1)

    assert_feasible(pairs, eligible, free_slots)
    assert (value * len(pairs), len(pairs)) == linear_programme_optimum(
        scores, eligible, free_slots
    )


def test_the_solver_reads_ineligible_pairs_from_the_scores_when_given_no_mask():
    scores = np.array([[INELIGIBLE, 40], [90, INELIGIBLE]], dtype=np.int8)

    assert solve(scores, None, [1, 1]) == [(0, 1), (1, 0)]
    assert solve(np.full((2, 2), INELIGIBLE, dtype=np.int8), None, [1, 1]) == []


def test_a_sampled_matrix_larger_than_the_sample_is_solved_optimally(monkeypatch):
    # Thresholds estimated on a sample of rows and columns (not the whole matrix).
    monkeypatch.setattr(batch, "SAMPLE", 8)
    rng = np.random.default_rng(3)
    eligible = rng.random((60, 25)) < 0.4
    scores = rng.integers(0, 101, eligible.shape)
    free_slots = rng.integers(1, 4, 25)
    bonus = rng.integers(0, 30, 60)

    pairs = solve(scores, eligible, free_slots, bonus)

    assert_feasible(pairs, eligible, free_slots)
    values = scores + bonus[:, None]
    total = sum(int(values[row, column]) for row, column in pairs)
    assert (total, len(pairs)) == linear_programme_optimum(values, eligible, free_slots)


# --- The score matrix and the meeting table


def masks(size: int, bits: int, rng) -> np.ndarray:
    return rng.integers(0, 2**bits, size)


@pytest.mark.parametrize("seed", range(20))
def test_the_score_matrix_gives_exactly_the_score_of_criteria(seed):
    rng = np.random.default_rng(seed)
    codes = np.array([*department_codes(), "", "99"])

    def side(size: int) -> dict:
        return {
            "topics": masks(size, len(HelpTopic), rng),
            "sectors": masks(size, len(Sector), rng),
            "department": rng.choice(codes, size),
            "modes": rng.integers(0, 4, size),
            "availability": masks(size, len(Availability), rng),
            "languages": masks(size, len(Language), rng),
            "whole_region": rng.random(size) < 0.5,
        }

    weights = Weights(**dict(zip(WEIGHT_NAMES, rng.integers(0, 101, 6).tolist(), strict=True)))
    rows = {key: column[:, None] for key, column in side(40).items()}
    columns = {key: column[None, :] for key, column in side(60).items()}
    expected = score(criteria(rows, columns), weights)

    np.testing.assert_array_equal(score_matrix(rows, columns, weights), expected)
    # The départements may also be their indices, looked up once.
    rows["department"] = department_indices(rows["department"])
    columns["department"] = department_indices(columns["department"])
    np.testing.assert_array_equal(score_matrix(rows, columns, weights), expected)


def test_the_score_matrix_with_every_weight_at_zero_scores_zero():
    zero = Weights(**dict.fromkeys(WEIGHT_NAMES, 0))
    side = {"topics": 3, "sectors": 1, "department": "93", "modes": 3, "availability": 1}
    side |= {"languages": 1, "whole_region": False}

    assert score_matrix(side, side, zero) == score(criteria(side, side), zero) == 0


def test_can_meet_is_proximity_and_the_meeting_modes_for_every_pair_of_departements():
    codes = np.array([*department_codes(), "", "99"])
    mentee_codes, mentor_codes = codes[:, None, None, None], codes[None, :, None, None]
    mentee_modes = np.arange(4)[None, None, :, None]
    mentor_modes = np.arange(4)[None, None, None, :]
    for whole_region in (False, True):
        in_person, remote = can_meet(
            mentee_codes, mentee_modes, mentor_codes, mentor_modes, whole_region
        )

        near = proximity(mentee_codes, mentor_codes, whole_region) != FAR
        np.testing.assert_array_equal(
            in_person, near & (mentee_modes & 1 > 0) & (mentor_modes & 1 > 0)
        )
        np.testing.assert_array_equal(
            remote, np.broadcast_to((mentee_modes & 2 > 0) & (mentor_modes & 2 > 0), remote.shape)
        )


# --- The matrices by chunks, the explanations and priorities by columns


@settings(deadline=None, max_examples=40)
@given(population(12), population(7), weights_with_bonuses, st.data())
def test_the_chunked_matrix_is_the_score_where_the_rules_allow_the_pair(
    mentees, mentors, weights, data
):
    previous = {
        mentee.pk: set(data.draw(st.lists(st.sampled_from([m.pk for m in mentors]), max_size=2)))
        for mentee in mentees
    }
    scores, eligible = score_and_eligibility(mentees, mentors, previous, weights)
    rows = profiles_table(mentees, ["pk", *MENTEE_COLUMNS])
    columns = profiles_table(mentors, ["pk", *MENTOR_COLUMNS])
    pairs = [(mentee, mentor) for mentee, mentors_of in previous.items() for mentor in mentors_of]
    previous_pairs = previous_pairs_matrix(rows["pk"], columns["pk"], pairs)

    with pytest.MonkeyPatch.context() as patch:
        # A chunk of one row, on two threads.
        patch.setattr(batch, "PAIRS_PER_CHUNK", 1)
        patch.setattr(batch, "THREADS", 2)
        matrix = batch_matrices(rows, columns, previous_pairs, weights)

    assert matrix.dtype == np.int8
    np.testing.assert_array_equal(matrix, np.where(eligible, scores, INELIGIBLE))
    expected = [[compatibility(y, m, weights).score for m in mentors] for y in mentees]
    np.testing.assert_array_equal(scores, expected)


def test_previous_pairs_are_one_true_each_whatever_unknown_or_repeated_pairs():
    matrix = previous_pairs_matrix(
        np.array([10, 20, 30]), np.array([7, 5]), [(20, 5), (20, 5), (30, 7), (99, 5), (10, 8)]
    )

    assert matrix.toarray().tolist() == [[False, False], [False, True], [True, False]]
    assert previous_pairs_matrix(np.array([1]), np.array([2]), []).toarray().tolist() == [[False]]


@settings(deadline=None, max_examples=40)
@given(population(8), population(8), weights_with_bonuses)
def test_explanations_by_columns_are_those_of_each_single_pair(mentees, mentors, weights):
    pairs = list(zip(mentees, mentors, strict=False))

    assert compatibilities(pairs, weights) == [compatibility(y, m, weights) for y, m in pairs]


@settings(deadline=None, max_examples=40)
@given(population(8))
def test_profiles_read_by_columns_are_those_read_row_by_row(people):
    table = profiles_table(people, ["pk", *MENTEE_COLUMNS, "free_slots", "whole_region"])
    rows = list(reversed(range(len(people))))

    assert profiles_of(table, rows) == [profile_from_table(table, row) for row in rows]


def test_priorities_by_columns_are_those_of_each_young_person():
    weights = Weights(priority_bonus=10, waiting_bonus_per_month=3, waiting_bonus_cap=12)
    table = {
        "pk": np.array([4, 8, 15, 16]),
        "has_priority": np.array([True, False, True, False]),
        "waiting_months": np.array([0, 2, 7, 30]),
        "rematch": np.array([False, True, False, False]),
    }
    publics = {4: ["QPV"], 15: ["ASE", "QPV"]}

    priorities = mentee_priorities(table, [3, 0, 2], publics, weights)

    assert list(priorities) == [16, 4, 15]
    for row in (3, 0, 2):
        pk = int(table["pk"][row])
        assert (
            priorities[pk]
            == priority_of(
                publics=publics.get(pk, []),
                months=int(table["waiting_months"][row]),
                rematch=bool(table["rematch"][row]),
                weights=weights,
                has_priority=bool(table["has_priority"][row]),
            ).as_dict()
        )
