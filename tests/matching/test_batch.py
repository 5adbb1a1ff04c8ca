"""Batch matching: the assignment is optimal for the scores plus the young people's priority
bonuses (checked by brute force on small instances and against a linear programme on larger
ones, both over the single-pair scores and rules), it never over-fills a mentor, never
proposes an ineligible pair, places each young person at most once and says why the others
stay unmatched; then the same end to end on the database."""

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from matching.batch import (
    MENTEE_COLUMNS,
    MENTOR_COLUMNS,
    batch_compute,
    batch_result,
    previous_pairs_matrix,
    profiles_table,
    solve,
)
from matching.compatibility import BONUS_NAMES, WEIGHT_NAMES, Weights, compatibility
from matching.eligibility import pair_blocking_reasons
from matching.enums import MentorshipStatus
from matching.models import MatchingWeights
from matching.priority import priority_of
from matching.profiles import Profile
from matching.selectors import pair_evaluation
from tests.matching.factories import MentorshipFactory
from tests.mentees.factories import MenteeFactory
from tests.mentors.factories import MentorFactory
from users.enums import Availability, HelpTopic, Language, MeetingMode, RegistrationStatus, Sector

NO_ELIGIBLE_MENTOR = (
    "aucun mentor disponible ne remplit les conditions (lieu, mineurs, genre, disponibilités)"
)
NO_PLACE_LEFT = "les mentors compatibles n'ont plus de place dans ce lot"
# With the training rule on, the reason names it too.
NO_ELIGIBLE_TRAINED_MENTOR = (
    "aucun mentor disponible ne remplit les conditions "
    "(lieu, mineurs, genre, disponibilités, formation initiale)"
)


# --- Brute force


def best_total(scores, eligible, free_slots, bonus=None) -> tuple[int, int]:
    """The best total value (score plus the row's bonus) over every assignment that respects
    eligibility and capacities, and the most pairs among the assignments reaching it, by
    enumeration."""
    rows, columns = len(scores), len(free_slots)
    bonus = [0] * rows if bonus is None else list(bonus)
    best = (0, 0)

    def place(row: int, left: list[int], total: int, pairs: int) -> None:
        nonlocal best
        if row == rows:
            best = max(best, (total, pairs))
            return
        place(row + 1, left, total, pairs)  # this young person stays unmatched
        for column in range(columns):
            if eligible[row][column] and left[column] > 0:
                left[column] -= 1
                value = int(scores[row][column]) + int(bonus[row])
                place(row + 1, left, total + value, pairs + 1)
                left[column] += 1

    place(0, list(free_slots), 0, 0)
    return best


def assert_feasible(pairs, eligible, free_slots) -> None:
    rows = [row for row, _ in pairs]
    assert len(rows) == len(set(rows)), "a young person is placed twice"
    for column, taken in enumerate(np.bincount([c for _, c in pairs], minlength=len(free_slots))):
        assert taken <= free_slots[column], "a mentor is over-filled"
    assert all(eligible[row][column] for row, column in pairs), "an ineligible pair"


def test_the_solver_is_not_greedy():
    # Greedy would give the best pair (100) first and end with 100 + 40; the optimum is 185.
    scores = np.array([[100, 90], [95, 40]])
    eligible = np.ones((2, 2), dtype=bool)

    assert sorted(solve(scores, eligible, [1, 1])) == [(0, 1), (1, 0)]


def test_a_mentor_with_several_places_takes_several_young_people():
    scores = np.array([[80, 10], [70, 20], [60, 30]])
    eligible = np.ones((3, 2), dtype=bool)

    assert sorted(solve(scores, eligible, [2, 1])) == [(0, 0), (1, 0), (2, 1)]


def test_equal_totals_prefer_matching_more_young_people():
    # A score of 0 is still a pair the coordinator may want: better than nobody.
    scores = np.array([[0], [0]])

    assert len(solve(scores, np.ones((2, 1), dtype=bool), [2])) == 2


def test_nobody_is_placed_when_no_pair_is_eligible():
    scores = np.full((3, 2), 90)

    assert solve(scores, np.zeros((3, 2), dtype=bool), [3, 3]) == []
    assert solve(scores, np.ones((3, 2), dtype=bool), [0, 0]) == []
    assert solve(np.zeros((3, 0)), np.zeros((3, 0), dtype=bool), []) == []


@settings(deadline=None, max_examples=150)
@given(st.data())
def test_the_solver_reaches_the_brute_force_optimum_on_random_matrices(data):
    rows = data.draw(st.integers(1, 5), label="young people")
    columns = data.draw(st.integers(1, 4), label="mentors")
    scores = np.array(
        data.draw(st.lists(st.lists(st.integers(0, 100), min_size=columns, max_size=columns),
                           min_size=rows, max_size=rows))
    )  # fmt: skip
    eligible = np.array(
        data.draw(st.lists(st.lists(st.booleans(), min_size=columns, max_size=columns),
                           min_size=rows, max_size=rows))
    )  # fmt: skip
    free_slots = data.draw(st.lists(st.integers(1, 3), min_size=columns, max_size=columns))

    pairs = solve(scores, eligible, free_slots)

    assert_feasible(pairs, eligible, free_slots)
    total = sum(int(scores[row, column]) for row, column in pairs)
    assert (total, len(pairs)) == best_total(scores, eligible, free_slots)


@settings(deadline=None, max_examples=150)
@given(st.data())
def test_the_solver_with_bonuses_reaches_the_brute_force_optimum(data):
    rows = data.draw(st.integers(1, 5), label="young people")
    columns = data.draw(st.integers(1, 3), label="mentors")
    scores = np.array(
        data.draw(st.lists(st.lists(st.integers(0, 100), min_size=columns, max_size=columns),
                           min_size=rows, max_size=rows))
    )  # fmt: skip
    eligible = np.array(
        data.draw(st.lists(st.lists(st.booleans(), min_size=columns, max_size=columns),
                           min_size=rows, max_size=rows))
    )  # fmt: skip
    free_slots = data.draw(st.lists(st.integers(1, 2), min_size=columns, max_size=columns))
    bonus = np.array(data.draw(st.lists(st.integers(0, 60), min_size=rows, max_size=rows)))

    pairs = solve(scores, eligible, free_slots, bonus)

    assert_feasible(pairs, eligible, free_slots)
    total = sum(int(scores[row, column]) + int(bonus[row]) for row, column in pairs)
    assert (total, len(pairs)) == best_total(scores, eligible, free_slots, bonus)


def test_when_slots_are_scarce_the_bonus_decides_who_is_placed():
    # One slot; the second young person's pair scores less but their bonus makes up for it.
    scores, eligible = np.array([[70], [60]]), np.ones((2, 1), dtype=bool)

    assert solve(scores, eligible, [1]) == [(0, 0)]
    assert solve(scores, eligible, [1], np.array([0, 11])) == [(1, 0)]
    # A bonus never makes an ineligible pair possible.
    assert solve(scores, np.array([[True], [False]]), [1], np.array([0, 100])) == [(0, 0)]


# --- Random populations of profiles: the whole result, against the pure rules

profiles = st.builds(
    Profile,
    pk=st.integers(1, 100_000),
    topics=st.integers(0, 2 ** len(HelpTopic) - 1),
    sectors=st.integers(0, 2 ** len(Sector) - 1),
    # Same, neighbouring, same region only, far, Corsica and overseas.
    department=st.sampled_from(["93", "75", "78", "69", "2A", "971"]),
    modes=st.sampled_from([1, 2, 3]),
    availability=st.integers(0, 2 ** len(Availability) - 1),
    languages=st.integers(1, 2 ** len(Language) - 1),
    civility=st.sampled_from(["", "mme", "m"]),
    is_minor=st.booleans(),
    wants_same_gender=st.booleans(),
    cleared_for_minors=st.booleans(),
    free_slots=st.integers(1, 3),
    whole_region=st.booleans(),
    needs_initial_training=st.booleans(),
    # Mostly the national programme, some of one antenne: matched within their own only.
    antenne=st.sampled_from([None, None, 1]),
)
# The availability switch drawn both ways; random availabilities often share nothing.
weights = st.builds(
    Weights,
    **dict.fromkeys(WEIGHT_NAMES, st.integers(0, 100)),
    availability_required=st.booleans(),
    initial_training_required=st.booleans(),
)


# The bonuses drawn too (the weights page's bounds: 0 to 100).
weights_with_bonuses = st.builds(
    Weights,
    **dict.fromkeys(WEIGHT_NAMES, st.integers(0, 100)),
    **dict.fromkeys(BONUS_NAMES, st.integers(0, 100)),
    availability_required=st.booleans(),
    initial_training_required=st.booleans(),
)


def population(max_size: int):
    return st.lists(profiles, min_size=1, max_size=max_size, unique_by=lambda p: p.pk)


def with_priorities(data, rows: dict) -> dict:
    """A mentee table with the priority columns `mentee_table(priority=True)` reads."""
    size = len(rows["pk"])
    flags = st.lists(st.booleans(), min_size=size, max_size=size)
    months = st.lists(st.integers(0, 14), min_size=size, max_size=size)
    return rows | {
        "has_priority": np.array(data.draw(flags, label="priority public"), dtype=bool),
        "waiting_months": np.array(data.draw(months, label="months waited"), dtype=np.int64),
        "rematch": np.array(data.draw(flags, label="rematch"), dtype=bool),
    }


def single_bonus(rows: dict, row: int, weights: Weights) -> int:
    """One young person's bonus, as the matching page computes it (not the batch's column)."""
    return priority_of(
        publics=["QPV"] if rows["has_priority"][row] else [],
        months=int(rows["waiting_months"][row]),
        rematch=bool(rows["rematch"][row]),
        weights=weights,
    ).bonus


def linear_programme_optimum(values, eligible, free_slots) -> tuple[int, int]:
    """The best total value and the most pairs among the assignments reaching it, from a linear
    programme (HiGHS) over the eligible pairs: at most one mentor per young person, at most
    the free slots per mentor. Its constraint matrix is totally unimodular, so the relaxation
    is integral; both goals are one integer objective (value × (n + 1) + pairs)."""
    rows, columns = len(values), len(free_slots)
    pairs = [(i, j) for i in range(rows) for j in range(columns) if eligible[i][j]]
    if not pairs:
        return 0, 0
    weight = rows + 1
    objective = [-(int(values[i][j]) * weight + 1) for i, j in pairs]
    constraints = np.zeros((rows + columns, len(pairs)))
    for k, (i, j) in enumerate(pairs):
        constraints[i, k] = constraints[rows + j, k] = 1
    bounds = [1] * rows + list(free_slots)
    solution = linprog(objective, A_ub=constraints, b_ub=bounds, bounds=(0, 1), method="highs")
    assert solution.status == 0
    best = round(-solution.fun)
    return best // weight, best % weight


def instance(mentees, mentors, previous: set[tuple[int, int]], weights: Weights):
    """The tables batch matching reads from the database, and the pure verdict on each pair."""
    rows = profiles_table(mentees, ["pk", *MENTEE_COLUMNS])
    columns = profiles_table(mentors, ["pk", *MENTOR_COLUMNS])
    previous_pairs = previous_pairs_matrix(rows["pk"], columns["pk"], sorted(previous))
    eligible = [
        [
            not pair_blocking_reasons(
                mentee=mentee,
                mentor=mentor,
                mentor_status=RegistrationStatus.APPROVED,
                mentor_capacity=mentor.free_slots,
                mentor_open_pairs=0,
                mentor_accepts_minors=mentor.cleared_for_minors,
                previous_pair_status=(
                    MentorshipStatus.CLOSED if (mentee.pk, mentor.pk) in previous else None
                ),
                availability_required=weights.availability_required,
                initial_training_required=weights.initial_training_required,
            )
            for mentor in mentors
        ]
        for mentee in mentees
    ]
    return rows, columns, previous_pairs, eligible


def previous_pairs_of(data, mentees, mentors) -> set[tuple[int, int]]:
    every_pair = [(mentee.pk, mentor.pk) for mentee in mentees for mentor in mentors]
    return set(data.draw(st.lists(st.sampled_from(every_pair), max_size=3), label="previous"))


@settings(deadline=None, max_examples=100)
@given(population(5), population(4), weights, st.data())
def test_batch_matching_reaches_the_brute_force_optimum(mentees, mentors, weights, data):
    previous = previous_pairs_of(data, mentees, mentors)
    rows, columns, previous_pairs, eligible = instance(mentees, mentors, previous, weights)
    scores = [[compatibility(y, m, weights).score for m in mentors] for y in mentees]

    result = batch_result(rows, columns, previous_pairs, weights)

    optimum, most_pairs = best_total(scores, eligible, [m.free_slots for m in mentors])
    assert result.total_score == optimum
    assert len(result.proposals) == most_pairs


@settings(deadline=None, max_examples=60)
@given(population(15), population(8), weights, st.data())
def test_batch_matching_never_breaks_a_rule_and_explains_who_stays_unmatched(
    mentees, mentors, weights, data
):
    previous = previous_pairs_of(data, mentees, mentors)
    rows, columns, previous_pairs, eligible = instance(mentees, mentors, previous, weights)
    mentee_at = {mentee.pk: row for row, mentee in enumerate(mentees)}
    mentor_at = {mentor.pk: column for column, mentor in enumerate(mentors)}

    result = batch_result(rows, columns, previous_pairs, weights)

    pairs = [(mentee_at[p.mentee_id], mentor_at[p.mentor_id]) for p in result.proposals]
    assert_feasible(pairs, eligible, [mentor.free_slots for mentor in mentors])
    for proposal, (row, column) in zip(result.proposals, pairs, strict=True):
        expected = compatibility(mentees[row], mentors[column], weights)
        assert (proposal.score, proposal.explanation) == (expected.score, expected.explanation())
    placed = {p.mentee_id for p in result.proposals}
    assert [pk for pk, _ in result.unmatched] == [m.pk for m in mentees if m.pk not in placed]
    for pk, reason in result.unmatched:
        no_mentor = (
            NO_ELIGIBLE_TRAINED_MENTOR if weights.initial_training_required else NO_ELIGIBLE_MENTOR
        )
        assert reason == (NO_PLACE_LEFT if any(eligible[mentee_at[pk]]) else no_mentor)


@settings(deadline=None, max_examples=100)
@given(population(5), population(3), weights_with_bonuses, st.data())
def test_batch_matching_with_bonuses_reaches_the_brute_force_optimum(
    mentees, mentors, weights, data
):
    previous = previous_pairs_of(data, mentees, mentors)
    rows, columns, previous_pairs, eligible = instance(mentees, mentors, previous, weights)
    rows = with_priorities(data, rows)
    scores = [[compatibility(y, m, weights).score for m in mentors] for y in mentees]
    bonus = [single_bonus(rows, row, weights) for row in range(len(mentees))]

    result = batch_result(rows, columns, previous_pairs, weights)

    optimum, most_pairs = best_total(scores, eligible, [m.free_slots for m in mentors], bonus)
    assert (result.total, len(result.proposals)) == (optimum, most_pairs)
    at = {mentee.pk: row for row, mentee in enumerate(mentees)}
    for proposal in result.proposals:
        assert proposal.bonus == bonus[at[proposal.mentee_id]]
    # Each young person's explained priority is the bonus the optimisation used.
    explained = {pk: p["public_bonus"] + p["waiting_bonus"] for pk, p in result.priorities.items()}
    assert explained == {mentee.pk: bonus[row] for row, mentee in enumerate(mentees)}


@settings(deadline=None, max_examples=60)
@given(population(14), population(4), weights_with_bonuses, st.data())
def test_batch_matching_with_bonuses_equals_the_linear_programme_optimum(
    mentees, mentors, weights, data
):
    previous = previous_pairs_of(data, mentees, mentors)
    rows, columns, previous_pairs, eligible = instance(mentees, mentors, previous, weights)
    rows = with_priorities(data, rows)
    values = [
        [compatibility(y, m, weights).score + single_bonus(rows, row, weights) for m in mentors]
        for row, y in enumerate(mentees)
    ]

    result = batch_result(rows, columns, previous_pairs, weights)

    optimum = linear_programme_optimum(values, eligible, [m.free_slots for m in mentors])
    assert (result.total, len(result.proposals)) == optimum


# --- End to end on the database


@pytest.fixture
def weights_row(db):
    return MatchingWeights.load()


def mentor(**fields):
    values = {"approved": True, "postal_code": "93100", "civility": "mme"}
    return MentorFactory(**(values | fields))


def young_person(**fields):
    values = {"approved": True, "postal_code": "93200", "civility": "mme"}
    return MenteeFactory(**(values | fields))


@pytest.mark.django_db
def test_batch_matching_on_the_database_is_optimal_and_explained(weights_row):
    mentors = [
        mentor(capacity=1, help_topics=[HelpTopic.ALTERNANCE], availability=["weekend"]),
        mentor(capacity=2, help_topics=[HelpTopic.INTERNSHIP, HelpTopic.ALTERNANCE]),
        mentor(capacity=1, postal_code="75011", meeting_mode=MeetingMode.REMOTE),
    ]
    young_people = [
        young_person(needs=[HelpTopic.ALTERNANCE], availability=["weekend"]),
        young_person(needs=[HelpTopic.INTERNSHIP]),
        young_person(needs=[HelpTopic.ALTERNANCE, HelpTopic.INTERNSHIP]),
        young_person(needs=[HelpTopic.CV_INTERVIEW], meeting_mode=MeetingMode.REMOTE),
        young_person(needs=[HelpTopic.ORIENTATION], sectors_of_interest=[]),
    ]
    # Mentors already full or not validated take no part.
    full = mentor(capacity=1)
    MentorshipFactory(mentor=full, active=True)
    mentor(approved=False)
    verdicts = [[pair_evaluation(mentee=y, mentor=m) for m in mentors] for y in young_people]
    scores = [[compatibility.score for _, compatibility in row] for row in verdicts]
    eligible = [[not reasons for reasons, _ in row] for row in verdicts]

    result = batch_compute(mentee_ids=[y.pk for y in young_people])

    optimum, most_pairs = best_total(scores, eligible, [1, 2, 1])
    assert (result.total_score, len(result.proposals)) == (optimum, most_pairs)
    mentee_at = {y.pk: row for row, y in enumerate(young_people)}
    mentor_at = {m.pk: column for column, m in enumerate(mentors)}
    for proposal in result.proposals:
        reasons, compatibility = verdicts[mentee_at[proposal.mentee_id]][
            mentor_at[proposal.mentor_id]
        ]
        assert reasons == []
        assert proposal.explanation == compatibility.explanation()
    assert len(result.proposals) + len(result.unmatched) == len(young_people)
    assert {reason for _, reason in result.unmatched} <= {NO_PLACE_LEFT}


@pytest.mark.django_db
def test_batch_matching_leaves_out_whoever_does_not_await_a_mentor(weights_row):
    open_pair = MentorshipFactory(mentee=young_person())
    minor_without_consent = young_person(minor=True)
    pending = MenteeFactory(postal_code="93200")
    waiting = young_person()
    mentor(capacity=3)

    result = batch_compute()

    assert [p.mentee_id for p in result.proposals] == [waiting.pk]
    assert open_pair.mentee_id not in [pk for pk, _ in result.unmatched]
    assert {minor_without_consent.pk, pending.pk}.isdisjoint(pk for pk, _ in result.unmatched)


@pytest.mark.django_db
def test_batch_matching_says_who_stays_unmatched_and_why(weights_row):
    only_place = mentor(capacity=1)
    first, second = young_person(), young_person()
    minor = young_person(minor=True, with_consent=True)

    result = batch_compute(mentee_ids=[first.pk, second.pk, minor.pk])

    (proposal,) = result.proposals
    assert proposal.mentor_id == only_place.pk
    loser = second if proposal.mentee_id == first.pk else first
    assert sorted(result.unmatched) == sorted(
        [(loser.pk, NO_PLACE_LEFT), (minor.pk, NO_ELIGIBLE_MENTOR)]
    )


@pytest.mark.django_db
def test_batch_matching_with_nobody_to_match_proposes_nothing(weights_row):
    mentor()

    result = batch_compute(mentee_ids=[])

    assert (result.proposals, result.unmatched) == ([], [])


@pytest.mark.django_db
@pytest.mark.parametrize("young_people", [2, 12])
def test_batch_matching_takes_five_queries_whatever_the_size_of_the_batch(
    young_people, weights_row, django_assert_num_queries
):
    for _ in range(young_people):
        young_person()
    for capacity in itertools.islice(itertools.cycle([1, 2, 3]), young_people // 2):
        mentor(capacity=capacity)
    MentorshipFactory(mentor=mentor(), mentee=young_person(), declined=True)

    # 1. the weights (settings row)
    # 2. the young people awaiting a mentor, as columns, with their priority and wait
    # 3. the approved mentors with their open pairs and screening, as columns
    # 4. the pairs these young people already had with anybody
    # 5. the priority publics of these young people (to explain their priority)
    with django_assert_num_queries(5):
        result = batch_compute()

    assert result.proposals


@pytest.mark.django_db
def test_a_batch_takes_at_most_the_configured_number_of_young_people_first_registered_first(
    settings,
):
    from matching.batch import batch_compute
    from tests.mentees.factories import MenteeFactory
    from tests.mentors.factories import MentorFactory

    settings.MATCHING_BATCH_MAX_MENTEES = 2
    MentorFactory(approved=True, capacity=3, postal_code="93200", department="93")
    first, second, third = (
        MenteeFactory(approved=True, postal_code="93200", department="93") for _ in range(3)
    )

    result = batch_compute()

    assert {proposal.mentee_id for proposal in result.proposals} == {first.pk, second.pk}
    [(left_out, reason)] = result.unmatched
    assert left_out == third.pk
    assert "au plus 2 jeunes par lot" in reason
