"""Where a young person and a mentor can meet in person: the same département, a neighbouring
one, or the mentor's whole region when they travel across it. First the data file, then the
rule as one pair sees it (score, explanation, hard constraint), then the SQL pre-filters of
the suggestions on both sides."""

import pytest

from matching.compatibility import Weights, compatibility
from matching.eligibility import pair_blocking_reasons
from matching.geography import (
    FAR,
    NEIGHBOUR,
    SAME,
    SAME_REGION,
    data,
    department_codes,
    neighbours,
    proximity,
    region_of,
)
from matching.profiles import Profile
from matching.selectors import pair_evaluation, suggest_mentees, suggest_mentors
from tests.mentees.factories import MenteeFactory
from tests.mentors.factories import MentorFactory
from users.enums import MeetingMode, RegistrationStatus
from users.geography import department_from_postal_code

CORSICA = {"2A", "2B"}
OVERSEAS = {"971", "972", "973", "974", "976"}


def product_departments() -> set[str]:
    """Every département a registration can have: those its postal code can give."""
    codes = {department_from_postal_code(f"{prefix:03d}00") for prefix in range(1000)}
    codes |= {department_from_postal_code("20000"), department_from_postal_code("20200")}
    return codes - {None}


# --- The data file


def test_every_departement_of_the_product_has_neighbours_and_a_region():
    assert set(department_codes()) == product_departments()
    assert len(department_codes()) == 101
    for code in department_codes():
        assert region_of(code) in data()["regions"]


def test_neighbourhood_is_symmetric_and_nobody_is_their_own_neighbour():
    for code in department_codes():
        assert code not in neighbours(code)
        for other in neighbours(code):
            assert code in neighbours(other), (code, other)


def test_corsica_and_overseas_have_no_mainland_neighbour():
    assert neighbours("2A") == ["2B"]
    assert neighbours("2B") == ["2A"]
    for code in OVERSEAS:
        assert neighbours(code) == []


@pytest.mark.parametrize(
    ("department", "known"),
    [
        ("75", {"92", "93", "94"}),
        ("93", {"77", "95", "75", "92", "94"}),
        ("13", {"84", "83", "04", "30"}),
        ("69", {"01", "38", "42", "71"}),
        ("2A", {"2B"}),
    ],
)
def test_known_neighbours(department, known):
    assert known <= set(neighbours(department))


def test_regions_follow_the_2016_map():
    assert {code for code in department_codes() if region_of(code) == region_of("75")} == {
        "75", "77", "78", "91", "92", "93", "94", "95",
    }  # fmt: skip
    assert region_of("2A") == region_of("2B") != region_of("13")
    assert len({region_of(code) for code in OVERSEAS}) == len(OVERSEAS)


# --- One pair


def person(department: str, *, whole_region: bool = False, modes: int = 1) -> Profile:
    """Someone who wants to meet in person only (unless told), matching on everything else."""
    return Profile(
        pk=1,
        topics=1,
        sectors=1,
        department=department,
        modes=modes,
        availability=1,
        languages=1,
        cleared_for_minors=True,
        free_slots=1,
        whole_region=whole_region,
    )


PLACES = [
    # young person, mentor, mentor travels the region, closeness, place explanation
    ("93", "93", False, SAME, "même département (93)"),
    ("93", "75", False, NEIGHBOUR, "département voisin (départements 93 et 75)"),
    ("93", "77", False, NEIGHBOUR, "département voisin (départements 93 et 77)"),
    ("13", "84", False, NEIGHBOUR, "département voisin (départements 13 et 84)"),
    ("2A", "2B", False, NEIGHBOUR, "département voisin (départements 2A et 2B)"),
    ("93", "78", False, FAR, None),
    ("93", "13", False, FAR, None),
    ("93", "78", True, SAME_REGION,
     "même région, le mentor s'y déplace (Île-de-France, départements 93 et 78)"),
    ("04", "06", True, NEIGHBOUR, "département voisin (départements 04 et 06)"),
    ("13", "06", True, SAME_REGION,
     "même région, le mentor s'y déplace (Provence-Alpes-Côte d'Azur, départements 13 et 06)"),
    ("13", "06", False, FAR, None),
    # The region is the mentor's: a mentor of another region never reaches in.
    ("93", "60", True, FAR, None),
    ("06", "2A", True, FAR, None),
    ("971", "971", False, SAME, "même département (971)"),
    ("971", "972", True, FAR, None),
    ("973", "13", True, FAR, None),
    ("", "", True, FAR, None),
]  # fmt: skip


@pytest.mark.parametrize(("mentee", "mentor", "whole_region", "closeness", "label"), PLACES)
def test_meeting_in_person_by_departement(mentee, mentor, whole_region, closeness, label):
    young, grown_up = person(mentee), person(mentor, whole_region=whole_region)

    assert proximity(mentee, mentor, whole_region) == closeness
    result = compatibility(young, grown_up, Weights(**ONLY_PLACE))
    blocking = pair_blocking_reasons(
        mentee=young,
        mentor=grown_up,
        mentor_status=RegistrationStatus.APPROVED,
        mentor_capacity=1,
        mentor_open_pairs=0,
        mentor_accepts_minors=True,
        previous_pair_status=None,
    )
    if label:
        assert result.score == 100
        assert {"label": label, "ok": True} in result.explanation()
        assert blocking == []
    else:
        assert result.score == 0
        assert blocking == [
            f"ils ne peuvent pas se rencontrer (départements {mentee} et {mentor}, pas de "
            "rencontre à distance acceptée par les deux)"
        ]


ONLY_PLACE = {
    "needs": 0,
    "sectors": 0,
    "place": 1,
    "availability": 0,
    "language": 0,
    "meeting_format": 0,
}


def test_far_apart_but_both_accepting_remote_meetings_is_half_the_place_points():
    result = compatibility(person("93", modes=3), person("13", modes=3), Weights(**ONLY_PLACE))

    assert result.score == 50
    assert {"label": "rencontres à distance (départements 93 et 13)", "ok": False} in (
        result.explanation()
    )


# --- The suggestions' SQL pre-filters, on both sides


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("mentee_postal_code", "mentor_postal_code", "whole_region", "suggested"),
    [
        ("93200", "93100", False, True),
        ("93200", "75011", False, True),
        ("93200", "77100", False, True),
        ("93200", "78000", False, False),
        ("93200", "78000", True, True),
        ("93200", "13001", True, False),
        ("20000", "20200", False, True),
        ("20000", "06000", True, False),
        ("97110", "97200", True, False),
    ],
)
def test_suggestions_reach_neighbours_and_the_mentors_region(
    mentee_postal_code, mentor_postal_code, whole_region, suggested
):
    mentee = MenteeFactory(
        approved=True, postal_code=mentee_postal_code, meeting_mode=MeetingMode.IN_PERSON
    )
    mentor = MentorFactory(
        approved=True,
        postal_code=mentor_postal_code,
        meeting_mode=MeetingMode.IN_PERSON,
        travels_whole_region=whole_region,
        civility=mentee.civility,
        for_minors=True,
    )

    assert (pair_evaluation(mentee=mentee, mentor=mentor)[0] == []) is suggested
    assert ([s.mentor for s in suggest_mentors(mentee=mentee)] == [mentor]) is suggested
    assert ([s.mentee for s in suggest_mentees(mentor=mentor)] == [mentee]) is suggested
