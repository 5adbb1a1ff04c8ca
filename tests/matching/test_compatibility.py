"""The compatibility score: each criterion, the weights, the 0–100 range, the French
explanation, and the matrix path of batch matching giving exactly the single-pair score.

No database: the profiles are read from unsaved model instances, as the selectors read saved
ones."""

import dataclasses

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matching.batch import score_and_eligibility
from matching.compatibility import WEIGHT_NAMES, Weights, compatibility
from matching.profiles import Profile, mentee_profile, mentor_profile
from mentees.models import Mentee
from mentors.models import Mentor
from users.enums import Availability, HelpTopic, Language, MeetingMode, Sector

# All the weight on one criterion: the score is then that criterion's share, in %.
ALL_WEIGHT_ON = {
    name: Weights(**{other: int(other == name) for other in WEIGHT_NAMES}) for name in WEIGHT_NAMES
}


def young(**fields) -> Profile:
    """A young person of Seine-Saint-Denis who needs help to find an alternance in IT."""
    values = {
        "needs": [HelpTopic.ALTERNANCE],
        "sectors_of_interest": [Sector.IT],
        "department": "93",
        "meeting_mode": MeetingMode.BOTH,
        "availability": [Availability.WEEKDAY_EVENING],
        "languages": [Language.FRENCH],
        "civility": "mme",
    }
    return mentee_profile(Mentee(pk=1, **(values | fields)), is_minor=False)


def mentor(**fields) -> Profile:
    """A mentor of the same département who matches that young person on every criterion."""
    values = {
        "help_topics": [HelpTopic.ALTERNANCE, HelpTopic.ORIENTATION],
        "sector": Sector.IT,
        "sectors_to_share": [],
        "department": "93",
        "meeting_mode": MeetingMode.BOTH,
        "availability": [Availability.WEEKDAY_EVENING, Availability.WEEKEND],
        "languages": [Language.FRENCH, Language.ENGLISH],
        "civility": "mme",
    }
    return mentor_profile(Mentor(pk=1, **(values | fields)), cleared_for_minors=False, free_slots=1)


def only(criterion: str, mentee: Profile, mentor_side: Profile) -> int:
    return compatibility(mentee, mentor_side, ALL_WEIGHT_ON[criterion]).score


def labels(mentee: Profile, mentor_side: Profile) -> dict[str, bool]:
    reasons = compatibility(mentee, mentor_side, Weights()).reasons
    return {reason.label: reason.ok for reason in reasons}


def test_a_mentor_who_matches_on_every_criterion_scores_100_and_says_why():
    result = compatibility(young(), mentor(), Weights())

    assert result.score == 100
    assert result.explanation() == [
        {"label": "aide à trouver une alternance : oui", "ok": True},
        {"label": "secteurs en commun : informatique, numérique", "ok": True},
        {"label": "même département (93)", "ok": True},
        {"label": "disponibilités communes : soir en semaine", "ok": True},
        {"label": "langue commune : français", "ok": True},
        {"label": "format de rencontre accepté par le mentor", "ok": True},
    ]


def test_a_mentor_who_matches_on_nothing_scores_0():
    mentee = young(
        needs=[HelpTopic.INTERNSHIP],
        meeting_mode=MeetingMode.IN_PERSON,
        availability=[Availability.WEEKEND],
        languages=[Language.ARABIC],
    )
    far = mentor(
        sector=Sector.HEALTH,
        department="75",
        meeting_mode=MeetingMode.REMOTE,
        availability=[Availability.WEEKDAY_DAYTIME],
    )

    assert compatibility(mentee, far, Weights()).score == 0
    assert not any(labels(mentee, far).values())


# --- Needs


def test_needs_score_the_share_of_the_young_persons_needs_the_mentor_helps_with():
    mentee = young(needs=[HelpTopic.ALTERNANCE, HelpTopic.INTERNSHIP])

    both = mentor(help_topics=[HelpTopic.INTERNSHIP, HelpTopic.ALTERNANCE])

    assert only("needs", mentee, mentor()) == 50
    assert only("needs", mentee, both) == 100
    assert only("needs", mentee, mentor(help_topics=[HelpTopic.SOFT_SKILLS])) == 0


def test_each_need_is_explained_as_covered_or_not():
    mentee = young(needs=[HelpTopic.ALTERNANCE, HelpTopic.INTERNSHIP, HelpTopic.CV_INTERVIEW])

    explained = labels(mentee, mentor(help_topics=[HelpTopic.ALTERNANCE]))

    assert explained["aide à trouver une alternance : oui"] is True
    assert explained["aide à trouver un stage : non"] is False
    assert explained["aide pour le CV et l'entretien : non"] is False


# --- Sectors


def test_sectors_score_the_share_of_the_young_persons_sectors_the_mentor_knows():
    mentee = young(sectors_of_interest=[Sector.IT, Sector.HEALTH])

    assert only("sectors", mentee, mentor()) == 50
    assert only("sectors", mentee, mentor(sectors_to_share=[Sector.HEALTH])) == 100
    assert only("sectors", mentee, mentor(sector=Sector.LAW)) == 0


def test_the_mentors_own_sector_counts_as_a_sector_they_can_talk_about():
    mentee = young(sectors_of_interest=[Sector.HEALTH])

    assert only("sectors", mentee, mentor(sector=Sector.HEALTH, sectors_to_share=[])) == 100


def test_sectors_are_explained_by_name_or_as_missing():
    mentee = young(sectors_of_interest=[Sector.IT, Sector.HEALTH, Sector.LAW])
    shared = labels(mentee, mentor(sectors_to_share=[Sector.LAW]))
    assert shared["secteurs en commun : informatique, numérique, droit, justice"] is True

    none_shared = labels(young(), mentor(sector=Sector.LAW))
    assert none_shared["aucun secteur d'intérêt en commun"] is False


# --- Meeting place


def test_same_departement_in_person_gets_all_the_place_points():
    assert only("place", young(), mentor()) == 100
    assert labels(young(), mentor())["même département (93)"] is True


def test_meeting_only_remotely_gets_half_the_place_points():
    far = mentor(department="13")
    assert only("place", young(), far) == 50
    assert labels(young(), far)["rencontres à distance (départements 93 et 13)"] is False

    # Same département, but the young person only wants remote meetings.
    remote_only = young(meeting_mode=MeetingMode.REMOTE)
    assert only("place", remote_only, mentor()) == 50
    assert "rencontres à distance (départements 93 et 93)" in labels(remote_only, mentor())


def test_no_meeting_possible_gets_no_place_points():
    in_person_only = mentor(department="13", meeting_mode=MeetingMode.IN_PERSON)

    assert only("place", young(), in_person_only) == 0
    assert (
        labels(young(), in_person_only)[
            "pas de rencontre possible (départements 93 et 13, pas de rencontre à distance)"
        ]
        is False
    )


# --- Availability, language, format


def test_availability_scores_the_share_of_the_young_persons_slots_the_mentor_shares():
    mentee = young(availability=[Availability.WEEKDAY_EVENING, Availability.WEEKDAY_DAYTIME])

    assert only("availability", mentee, mentor()) == 50
    assert labels(mentee, mentor())["disponibilités communes : soir en semaine"] is True

    daytime = mentor(availability=[Availability.WEEKDAY_DAYTIME, Availability.WEEKEND])
    assert only("availability", young(), daytime) == 0
    assert labels(young(), daytime)["aucune disponibilité commune"] is False


def test_every_shared_slot_is_named():
    mentee = young(availability=list(Availability))
    everything = mentor(availability=list(Availability))

    assert labels(mentee, everything)[
        "disponibilités communes : journée en semaine, soir en semaine, week-end"
    ]


def test_one_shared_language_is_enough_for_all_the_language_points():
    mentee = young(languages=[Language.ARABIC, Language.TURKISH])
    assert only("language", mentee, mentor(languages=[Language.TURKISH])) == 100
    assert labels(mentee, mentor(languages=[Language.TURKISH]))["langue commune : turc"] is True

    assert only("language", mentee, mentor()) == 0
    assert labels(mentee, mentor())["aucune langue commune"] is False


def test_format_scores_the_share_of_the_wanted_formats_the_mentor_accepts():
    both = young(meeting_mode=MeetingMode.BOTH)
    in_person = mentor(meeting_mode=MeetingMode.IN_PERSON)

    assert only("meeting_format", both, mentor()) == 100
    assert only("meeting_format", both, in_person) == 50
    assert (
        labels(both, in_person)["format de rencontre en partie seulement accepté par le mentor"]
        is False
    )
    assert only("meeting_format", young(meeting_mode=MeetingMode.IN_PERSON), in_person) == 100


# --- Unknown is not a match

UNKNOWNS = [
    # criterion, young person's empty field, mentor's empty field, subject of the explanation
    ("needs", {"needs": []}, {"help_topics": []}, "besoins d'aide non renseignés"),
    (
        "sectors",
        {"sectors_of_interest": []},
        {"sector": "", "sectors_to_share": []},
        "secteurs d'intérêt non renseignés",
    ),
    (
        "availability",
        {"availability": []},
        {"availability": []},
        "disponibilités non renseignées",
    ),
    ("language", {"languages": []}, {"languages": []}, "langues non renseignées"),
    (
        "meeting_format",
        {"meeting_mode": ""},
        {"meeting_mode": ""},
        "format de rencontre non renseigné",
    ),
]
SIDES = [
    # young person left it empty, mentor left it empty, who the explanation names
    (True, False, "le jeune"),
    (False, True, "le mentor"),
    (True, True, "le jeune et le mentor"),
]


@pytest.mark.parametrize(("criterion", "mentee_empty", "mentor_empty", "subject"), UNKNOWNS)
@pytest.mark.parametrize(("young_empty", "mentor_side_empty", "who"), SIDES)
def test_a_criterion_one_side_left_empty_is_not_given_and_scores_nothing(
    criterion, mentee_empty, mentor_empty, subject, young_empty, mentor_side_empty, who
):
    mentee = young(**(mentee_empty if young_empty else {}))
    mentor_side = mentor(**(mentor_empty if mentor_side_empty else {}))

    assert only(criterion, mentee, mentor_side) == 0
    assert labels(mentee, mentor_side)[f"{subject} (par {who})"] is None


def test_a_criterion_not_given_is_neither_a_match_nor_a_mismatch_in_the_explanation():
    explained = compatibility(young(sectors_of_interest=[]), mentor(), Weights()).explanation()

    assert {"label": "secteurs d'intérêt non renseignés (par le jeune)", "ok": None} in explained
    # Everything else still matches; the unknown criterion alone costs its points.
    assert all(reason["ok"] for reason in explained if reason["ok"] is not None)
    assert compatibility(young(sectors_of_interest=[]), mentor(), Weights()).score == 85


def test_without_a_meeting_format_the_place_is_not_given_either():
    mentee = young(meeting_mode="")

    assert only("place", mentee, mentor()) == 0
    assert labels(mentee, mentor())["lieu de rencontre non renseigné (par le jeune)"] is None


# --- Weights


def test_a_zero_weight_removes_its_criterion_from_the_score():
    no_common_language = mentor(languages=[Language.ENGLISH])
    assert compatibility(young(), no_common_language, Weights()).score < 100

    without_language = Weights(language=0)

    assert compatibility(young(), no_common_language, without_language).score == 100


def test_only_the_proportions_of_the_weights_matter():
    # Needs fully covered, place half (far département, remote meetings).
    pair = (young(), mentor(department="13"))
    equal = Weights(needs=1, place=1, sectors=0, availability=0, language=0, meeting_format=0)
    doubled = Weights(needs=2, place=2, sectors=0, availability=0, language=0, meeting_format=0)
    needs_first = dataclasses.replace(equal, needs=3)

    assert compatibility(*pair, equal).score == 75
    assert compatibility(*pair, doubled).score == 75
    # (3 × 100 + 1 × 50) / 4 = 87.5, rounded half up.
    assert compatibility(*pair, needs_first).score == 88


def test_all_weights_at_zero_give_a_score_of_zero_rather_than_an_error():
    nothing = Weights(**dict.fromkeys(WEIGHT_NAMES, 0))

    assert compatibility(young(), mentor(), nothing).score == 0


# --- Properties over random profiles

TOPICS = st.integers(0, 2 ** len(HelpTopic) - 1)
SECTORS = st.integers(0, 2 ** len(Sector) - 1)
SLOTS = st.integers(0, 2 ** len(Availability) - 1)
LANGUAGES = st.integers(0, 2 ** len(Language) - 1)
# Same, neighbouring (75, 77), same region only (78), far (13), Corsica, overseas, unknown.
DEPARTMENTS = st.sampled_from(["93", "75", "77", "78", "13", "2A", "2B", "971", "972", ""])
MODES = st.sampled_from([0, 1, 2, 3])
CIVILITIES = st.sampled_from(["", "mme", "m"])
WEIGHTS = st.builds(Weights, **dict.fromkeys(WEIGHT_NAMES, st.integers(0, 100)))


def profiles(pk: st.SearchStrategy[int]) -> st.SearchStrategy[Profile]:
    return st.builds(
        Profile,
        pk=pk,
        topics=TOPICS,
        sectors=SECTORS,
        department=DEPARTMENTS,
        modes=MODES,
        availability=SLOTS,
        languages=LANGUAGES,
        civility=CIVILITIES,
        is_minor=st.booleans(),
        wants_same_gender=st.booleans(),
        cleared_for_minors=st.booleans(),
        free_slots=st.integers(1, 3),
        whole_region=st.booleans(),
    )


def population(size: int) -> st.SearchStrategy[list[Profile]]:
    return st.lists(
        profiles(st.integers(1, 10_000)), min_size=1, max_size=size, unique_by=lambda p: p.pk
    )


@settings(deadline=None, max_examples=150)
@given(profiles(st.just(1)), profiles(st.just(2)), WEIGHTS)
def test_the_score_is_always_between_0_and_100(mentee, mentor_side, weights):
    result = compatibility(mentee, mentor_side, weights)

    assert 0 <= result.score <= 100
    assert isinstance(result.score, int)
    assert result.reasons


@settings(deadline=None, max_examples=60)
@given(population(6), population(5), WEIGHTS)
def test_the_batch_matrix_gives_exactly_the_score_of_each_single_pair(mentees, mentors, weights):
    scores, _ = score_and_eligibility(mentees, mentors, {}, weights)

    expected = np.array(
        [[compatibility(mentee, m, weights).score for m in mentors] for mentee in mentees]
    )
    np.testing.assert_array_equal(scores, expected)
