"""The suggestions shown to coordinators: the ten best candidates in score order, explained,
with the mentor's remaining capacity, in a number of queries that does not grow with the
number of candidates."""

import itertools

import pytest
from django.utils import timezone

from matching.eligibility import with_matching_facts
from matching.models import MatchingWeights
from matching.profiles import mentee_table, mentor_table, profile_from_table
from matching.selectors import (
    SUGGESTIONS,
    pair_evaluation,
    profile_of_mentee,
    profile_of_mentor,
    suggest_mentees,
    suggest_mentors,
)
from mentees.models import Mentee
from mentors.models import Mentor
from tests.antennes.factories import make_antenne
from tests.matching.factories import MentorshipFactory
from tests.mentees.factories import MenteeFactory
from tests.mentors.factories import MentorFactory
from users.enums import Availability, HelpTopic, Language, MeetingMode, Sector

pytestmark = pytest.mark.django_db

# Varied offers, so that the candidates get different scores (and some equal ones).
TOPICS = [
    [HelpTopic.ALTERNANCE, HelpTopic.INTERNSHIP, HelpTopic.CV_INTERVIEW],
    [HelpTopic.ALTERNANCE, HelpTopic.INTERNSHIP],
    [HelpTopic.ALTERNANCE],
    [HelpTopic.SOFT_SKILLS],
]
AVAILABILITY = [[Availability.WEEKDAY_EVENING, Availability.WEEKEND], [Availability.WEEKEND]]
POSTAL_CODES = ["93100", "75011", "93300"]


@pytest.fixture(autouse=True)
def _weights():
    # The settings row exists on a live site; creating it would add queries to the first read.
    MatchingWeights.load()


def young_person(**fields) -> Mentee:
    values = {
        "approved": True,
        "postal_code": "93200",
        "needs": [HelpTopic.ALTERNANCE, HelpTopic.INTERNSHIP, HelpTopic.CV_INTERVIEW],
        "sectors_of_interest": [Sector.IT, Sector.HEALTH],
        "availability": [Availability.WEEKDAY_EVENING, Availability.WEEKEND],
    }
    return MenteeFactory(**(values | fields))


def varied_mentors(count: int) -> list[Mentor]:
    combinations = itertools.cycle(itertools.product(TOPICS, AVAILABILITY, POSTAL_CODES))
    return [
        MentorFactory(
            approved=True,
            help_topics=topics,
            availability=availability,
            postal_code=postal_code,
            capacity=2,
        )
        for topics, availability, postal_code in itertools.islice(combinations, count)
    ]


def varied_young_people(count: int) -> list[Mentee]:
    combinations = itertools.cycle(itertools.product(TOPICS, AVAILABILITY, POSTAL_CODES))
    return [
        young_person(needs=topics, availability=availability, postal_code=postal_code)
        for topics, availability, postal_code in itertools.islice(combinations, count)
    ]


def test_the_ten_best_mentors_are_suggested_in_score_order():
    mentee = young_person()
    mentors = varied_mentors(14)
    evaluated = sorted(
        ((pair_evaluation(mentee=mentee, mentor=m)[1].score, m.pk) for m in mentors),
        key=lambda item: (-item[0], item[1]),
    )

    suggestions = suggest_mentors(mentee=mentee)

    assert len(suggestions) == SUGGESTIONS == 10
    # Best first; equal scores by registration order (primary key), as the admin lists them.
    assert [(s.compatibility.score, s.mentor.pk) for s in suggestions] == evaluated[:10]
    assert len({score for score, _ in evaluated}) > 3


def test_each_suggested_mentor_comes_with_the_same_explanation_as_the_pair_evaluation():
    mentee = young_person()
    varied_mentors(6)

    for suggestion in suggest_mentors(mentee=mentee):
        _, compatibility = pair_evaluation(mentee=mentee, mentor=suggestion.mentor)
        assert suggestion.compatibility == compatibility
        labels = [reason.label for reason in suggestion.compatibility.reasons]
        assert "aide à trouver une alternance : oui" in labels
        assert any(label.startswith("disponibilités communes") for label in labels)


def test_a_suggestion_in_the_same_departement_says_so():
    mentee = young_person()
    MentorFactory(approved=True, postal_code="93300")

    (suggestion,) = suggest_mentors(mentee=mentee)

    assert {"label": "même département (93)", "ok": True} in suggestion.compatibility.explanation()


def test_a_suggested_mentor_shows_the_places_left_after_open_pairs():
    mentee = young_person()
    mentor = MentorFactory(approved=True, postal_code="93100", capacity=3)
    MentorshipFactory(mentor=mentor, active=True)
    # Neither a declined proposal nor a closed pair holds a place.
    MentorshipFactory(mentor=mentor, declined=True)
    MentorshipFactory(mentor=mentor, closed=True)
    other = MentorFactory(approved=True, postal_code="93100", capacity=2)
    MentorshipFactory(mentor=other)

    free = {s.mentor.pk: s.free_slots for s in suggest_mentors(mentee=mentee)}

    assert free == {mentor.pk: 2, other.pk: 1}


def test_the_ten_best_young_people_are_suggested_to_a_mentor_in_score_order():
    mentor = MentorFactory(
        approved=True,
        postal_code="93100",
        help_topics=[HelpTopic.ALTERNANCE, HelpTopic.INTERNSHIP],
        availability=[Availability.WEEKEND],
        languages=[Language.FRENCH],
        capacity=3,
    )
    MentorshipFactory(mentor=mentor, active=True)
    young_people = varied_young_people(14)
    evaluated = sorted(
        ((pair_evaluation(mentee=y, mentor=mentor)[1].score, y.pk) for y in young_people),
        key=lambda item: (-item[0], item[1]),
    )

    suggestions = suggest_mentees(mentor=mentor)

    assert [(s.compatibility.score, s.mentee.pk) for s in suggestions] == evaluated[:10]
    assert {s.free_slots for s in suggestions} == {2}
    for suggestion in suggestions:
        assert (
            suggestion.compatibility == pair_evaluation(mentee=suggestion.mentee, mentor=mentor)[1]
        )


def test_nobody_is_suggested_to_a_mentor_without_a_free_place():
    mentor = MentorFactory(approved=True, postal_code="93100", capacity=1)
    MentorshipFactory(mentor=mentor)
    young_person()

    assert suggest_mentees(mentor=mentor) == []


def test_the_candidates_read_as_columns_give_the_same_profiles_as_the_model_instances():
    # The ranking reads JSON lists as text and maps them to bitmasks in bulk: it must see
    # exactly what one model instance gives, on SQLite as on PostgreSQL.
    today = timezone.localdate()
    mentors = varied_mentors(5)
    MentorFactory(
        approved=True,
        for_minors=True,
        meeting_mode=MeetingMode.REMOTE,
        sectors_to_share=[Sector.HEALTH, Sector.LAW],
        languages=[Language.ARABIC, Language.FRENCH],
        civility="",
    )
    young_people = [*varied_young_people(4), young_person(minor=True, with_consent=True)]
    # Of an antenne (the others are of the national programme): its key in both readings.
    lyon = make_antenne("Lyon", ["69"])
    MentorFactory(approved=True, postal_code="69003", antenne=lyon)
    young_people.append(young_person(antenne=lyon))

    facts = with_matching_facts(Mentor.objects.order_by("pk"), today=today)
    table = mentor_table(facts)
    by_pk = {mentor.pk: profile_of_mentor(mentor) for mentor in facts}
    assert len(by_pk) == len(mentors) + 2
    for row, pk in enumerate(table["pk"]):
        assert profile_from_table(table, row) == by_pk[pk]

    table = mentee_table(Mentee.objects.all(), today=today)
    by_pk = {mentee.pk: profile_of_mentee(mentee, today=today) for mentee in young_people}
    for row, pk in enumerate(table["pk"]):
        assert profile_from_table(table, row) == by_pk[pk]


@pytest.mark.parametrize("candidates", [3, 30])
def test_suggesting_mentors_takes_four_queries_whatever_the_number_of_candidates(
    candidates, django_assert_num_queries
):
    mentee = young_person()
    varied_mentors(candidates)

    # 1. does the young person already have an open pair (why nobody would be suggested)
    # 2. the weights (settings row)
    # 3. the candidates' scoring columns, hard constraints filtered in SQL
    # 4. the ten best mentors, with their user and their open pairs and screening
    with django_assert_num_queries(4):
        suggestions = suggest_mentors(mentee=mentee)
        # What the admin shows of each suggestion costs no further query.
        shown = [(s.mentor.user.get_full_name(), s.free_slots) for s in suggestions]

    assert len(shown) == min(candidates, SUGGESTIONS)


@pytest.mark.parametrize("candidates", [3, 30])
def test_suggesting_young_people_takes_five_queries_whatever_the_number_of_candidates(
    candidates, django_assert_num_queries
):
    mentor = MentorFactory(approved=True, postal_code="93100", capacity=2)
    varied_young_people(candidates)

    # 1. the mentor with their open pairs and screening (and their user)
    # 2. the weights (settings row)
    # 3. the candidates' scoring columns, hard constraints filtered in SQL
    # 4. the ten best young people, with their user, wait and rematch
    # 5. their priority publics (the bonus shown beside each score)
    with django_assert_num_queries(5):
        suggestions = suggest_mentees(mentor=mentor)
        shown = [
            (s.mentee.user.get_full_name(), s.mentor.user.get_full_name(), s.free_slots)
            for s in suggestions
        ]

    assert len(shown) == min(candidates, SUGGESTIONS)
