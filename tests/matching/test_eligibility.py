"""Hard constraints: a pair that breaks one is never proposed, whatever its score.

Each scenario builds a young person and a mentor who would be a perfect match but for one
rule. The rule must be stated in French by `pair_evaluation` and respected by every path that
proposes pairs: the suggestions on both sides and batch matching. Next to the blocked mentor
stands a poorer but eligible one, so that "not suggested" means excluded, not outranked.

Then two properties: the SQL pre-filter of the suggestions (`mentor_candidates`) and the
matrix rules of batch matching (`eligible_mask`) agree with the pure rules
(`pair_blocking_reasons`) on random populations, antennes (and the widened search) drawn
too."""

import datetime
from collections.abc import Callable

import numpy as np
import pytest
from django.conf import settings as django_settings
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from matching.batch import batch_compute, score_and_eligibility
from matching.compatibility import Weights
from matching.eligibility import (
    antennes_within_reach,
    mentor_candidates,
    pair_blocking_reasons,
)
from matching.enums import MentorshipStatus
from matching.geography import neighbours
from matching.models import OPEN_STATUSES
from matching.profiles import Profile
from matching.selectors import (
    pair_evaluation,
    profile_of_mentee,
    suggest_mentees,
    suggest_mentors,
)
from mentees.models import Mentee
from mentors.models import Mentor
from tests.antennes.factories import make_antenne
from tests.matching.factories import MentorshipFactory
from tests.mentees.factories import MenteeFactory
from tests.mentors.factories import (
    MentorFactory,
    ScreeningRecordFactory,
    TrainingRegistrationFactory,
)
from users.enums import Availability, HelpTopic, MeetingMode, RegistrationStatus, Sector

pytestmark = pytest.mark.django_db


def young_person(**fields) -> Mentee:
    """An approved adult of Seine-Saint-Denis looking for an alternance in IT."""
    return MenteeFactory(approved=True, postal_code="93200", civility="mme", **fields)


def perfect_mentor(**fields) -> Mentor:
    """Everything the young person asks for, in the same département."""
    values = {
        "approved": True,
        "postal_code": "93100",
        "civility": "mme",
        "capacity": 1,
        "help_topics": [HelpTopic.ALTERNANCE],
        "sector": Sector.IT,
    }
    return MentorFactory(**(values | fields))


def lesser_mentor() -> Mentor:
    """Eligible for every young person of these scenarios (minors included, same civility,
    same département) but a poor match: the one who must be suggested instead."""
    return MentorFactory(
        approved=True,
        for_minors=True,
        postal_code="93300",
        civility="mme",
        capacity=3,
        help_topics=[HelpTopic.SOFT_SKILLS],
        sector=Sector.LAW,
        sectors_to_share=[],
        # One availability in common with the young person's: a required one, not a good one.
        availability=[Availability.WEEKEND, Availability.WEEKDAY_EVENING],
    )


def expired_screening(mentor: Mentor) -> None:
    days = django_settings.SCREENING_VALIDITY_DAYS + 1
    ScreeningRecordFactory(
        mentor=mentor, checked_on=timezone.localdate() - datetime.timedelta(days=days)
    )


# Each scenario: (young person, mentor, the one French reason that blocks them).
Scenario = Callable[[], tuple[Mentee, Mentor, str]]


def mentor_not_approved():
    return (
        young_person(),
        perfect_mentor(approved=False),
        "l'inscription du mentor n'est pas validée",
    )


def mentor_rejected():
    return (
        young_person(),
        perfect_mentor(approved=False, rejected=True),
        "l'inscription du mentor n'est pas validée",
    )


def mentor_full_with_an_active_pair():
    mentor = perfect_mentor(capacity=1)
    MentorshipFactory(mentor=mentor, active=True)
    return young_person(), mentor, "le mentor n'a plus de place (1 binôme(s) pour 1 place(s))"


def mentor_full_with_an_active_and_a_proposed_pair():
    mentor = perfect_mentor(capacity=2)
    MentorshipFactory(mentor=mentor, active=True)
    MentorshipFactory(mentor=mentor)
    return young_person(), mentor, "le mentor n'a plus de place (2 binôme(s) pour 2 place(s))"


def minor_with_a_mentor_who_does_not_accept_minors():
    return (
        young_person(minor=True, with_consent=True),
        perfect_mentor(accepts_minors=False),
        "le jeune est mineur et le mentor n'accepte pas les mineurs",
    )


def minor_with_a_mentor_without_screening():
    return (
        young_person(minor=True, with_consent=True),
        perfect_mentor(accepts_minors=True),
        "le jeune est mineur et le mentor n'a pas de contrôle d'honorabilité valide",
    )


def minor_with_a_mentor_whose_screening_expired():
    mentor = perfect_mentor(accepts_minors=True)
    expired_screening(mentor)
    return (
        young_person(minor=True, with_consent=True),
        mentor,
        "le jeune est mineur et le mentor n'a pas de contrôle d'honorabilité valide",
    )


def minor_without_guardian_consent():
    return (
        young_person(minor=True),
        perfect_mentor(for_minors=True),
        "le jeune est mineur et son représentant légal n'a pas donné son accord",
    )


def young_person_not_approved():
    return (
        MenteeFactory(postal_code="93200", civility="mme"),
        perfect_mentor(),
        "l'inscription du jeune n'est pas validée",
    )


def wants_a_mentor_of_the_same_gender():
    return (
        young_person(wants_same_gender_mentor=True),
        perfect_mentor(civility="m"),
        "le jeune souhaite un mentor du même genre",
    )


def wants_a_mentor_of_the_same_gender_without_giving_a_civility():
    # Nobody can tell which mentor would suit: no mentor at all, rather than a guess.
    return (
        MenteeFactory(
            approved=True, postal_code="93200", civility="", wants_same_gender_mentor=True
        ),
        perfect_mentor(civility=""),
        "le jeune souhaite un mentor du même genre",
    )


def young_person_already_in_an_active_pair():
    mentee = young_person()
    MentorshipFactory(mentee=mentee, active=True)
    return mentee, perfect_mentor(), "le jeune a déjà un binôme proposé ou actif"


def young_person_already_in_a_proposed_pair():
    mentee = young_person()
    MentorshipFactory(mentee=mentee)
    return mentee, perfect_mentor(), "le jeune a déjà un binôme proposé ou actif"


def the_same_two_already_proposed():
    mentee, mentor = young_person(), perfect_mentor(capacity=2)
    MentorshipFactory(mentee=mentee, mentor=mentor)
    return mentee, mentor, "ces deux personnes forment déjà un binôme proposé ou actif"


def the_same_two_had_a_closed_pair():
    mentee, mentor = young_person(), perfect_mentor()
    MentorshipFactory(mentee=mentee, mentor=mentor, closed=True)
    return mentee, mentor, "ces deux personnes ont déjà formé un binôme, aujourd'hui terminé"


def the_same_two_declined_a_proposal():
    mentee, mentor = young_person(), perfect_mentor()
    MentorshipFactory(mentee=mentee, mentor=mentor, declined=True)
    return mentee, mentor, "ce binôme a déjà été proposé puis refusé"


def cannot_meet_in_person_nor_remotely():
    return (
        young_person(meeting_mode=MeetingMode.BOTH),
        perfect_mentor(postal_code="13001", meeting_mode=MeetingMode.IN_PERSON),
        "ils ne peuvent pas se rencontrer (départements 93 et 13, pas de rencontre à distance "
        "acceptée par les deux)",
    )


def cannot_meet_as_the_young_person_wants_in_person_only():
    return (
        young_person(meeting_mode=MeetingMode.IN_PERSON),
        perfect_mentor(postal_code="13001", meeting_mode=MeetingMode.BOTH),
        "ils ne peuvent pas se rencontrer (départements 93 et 13, pas de rencontre à distance "
        "acceptée par les deux)",
    )


def mentor_of_another_antenne():
    # The young person is of the national programme, as the lesser mentor.
    return (
        young_person(),
        perfect_mentor(antenne=make_antenne("Lille", ["59"])),
        "le mentor appartient à une autre antenne (Lille)",
    )


def young_person_of_an_antenne_with_a_national_mentor():
    return (
        young_person(antenne=make_antenne("Île-de-France", ["93"])),
        perfect_mentor(),
        "le mentor appartient au programme national (sans antenne)",
    )


SCENARIOS: list[Scenario] = [
    mentor_not_approved,
    mentor_rejected,
    mentor_full_with_an_active_pair,
    mentor_full_with_an_active_and_a_proposed_pair,
    minor_with_a_mentor_who_does_not_accept_minors,
    minor_with_a_mentor_without_screening,
    minor_with_a_mentor_whose_screening_expired,
    minor_without_guardian_consent,
    young_person_not_approved,
    wants_a_mentor_of_the_same_gender,
    wants_a_mentor_of_the_same_gender_without_giving_a_civility,
    young_person_already_in_an_active_pair,
    young_person_already_in_a_proposed_pair,
    the_same_two_already_proposed,
    the_same_two_had_a_closed_pair,
    the_same_two_declined_a_proposal,
    cannot_meet_in_person_nor_remotely,
    cannot_meet_as_the_young_person_wants_in_person_only,
    mentor_of_another_antenne,
    young_person_of_an_antenne_with_a_national_mentor,
]
blocked = pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda scenario: scenario.__name__)
# The young person themselves cannot be matched with anybody in these scenarios: they do not
# await a mentor.
MENTEE_BLOCKED = {
    minor_without_guardian_consent,
    young_person_not_approved,
    young_person_already_in_an_active_pair,
    young_person_already_in_a_proposed_pair,
    the_same_two_already_proposed,
}
# Awaiting a mentor, but no mentor may take them (the lesser mentor, national, included).
NOBODY_FITS = {
    wants_a_mentor_of_the_same_gender_without_giving_a_civility,
    young_person_of_an_antenne_with_a_national_mentor,
}
AWAITING = [scenario for scenario in SCENARIOS if scenario not in MENTEE_BLOCKED]


@blocked
def test_pair_evaluation_states_the_one_broken_rule_in_french(scenario):
    mentee, mentor, reason = scenario()

    reasons, compatibility = pair_evaluation(mentee=mentee, mentor=mentor)

    assert reasons == [reason]
    # Excluded whatever the score: the blocked mentor matches the needs perfectly.
    assert "aide à trouver une alternance : oui" in [r.label for r in compatibility.reasons]


@blocked
def test_the_suggestions_for_the_young_person_leave_the_mentor_out(scenario):
    mentee, mentor, _ = scenario()
    lesser = lesser_mentor()

    suggested = [suggestion.mentor for suggestion in suggest_mentors(mentee=mentee)]

    assert mentor not in suggested
    assert suggested == ([] if scenario in MENTEE_BLOCKED | NOBODY_FITS else [lesser])


@blocked
def test_the_suggestions_for_the_mentor_leave_the_young_person_out(scenario):
    mentee, mentor, _ = scenario()

    suggested = [suggestion.mentee for suggestion in suggest_mentees(mentor=mentor)]

    assert mentee not in suggested


@blocked
def test_batch_matching_never_proposes_the_pair(scenario):
    mentee, mentor, _ = scenario()
    lesser = lesser_mentor()

    result = batch_compute(mentee_ids=[mentee.pk])

    pairs = [(p.mentee_id, p.mentor_id) for p in result.proposals]
    assert (mentee.pk, mentor.pk) not in pairs
    if scenario in MENTEE_BLOCKED:
        # Not awaiting a mentor: not even part of the batch.
        assert pairs == [] and result.unmatched == []
    elif scenario in NOBODY_FITS:
        assert pairs == [] and [pk for pk, _ in result.unmatched] == [mentee.pk]
    else:
        assert pairs == [(mentee.pk, lesser.pk)]


@pytest.mark.parametrize("scenario", AWAITING, ids=lambda scenario: scenario.__name__)
def test_batch_matching_says_why_a_young_person_whose_only_mentor_is_blocked_stays_unmatched(
    scenario,
):
    mentee, _, _ = scenario()

    result = batch_compute(mentee_ids=[mentee.pk])

    assert result.proposals == []
    assert result.unmatched == [
        (
            mentee.pk,
            "aucun mentor disponible ne remplit les conditions "
            "(lieu, mineurs, genre, disponibilités)",
        )
    ]


# --- What does not block


def test_declined_and_closed_pairs_do_not_take_a_mentors_place():
    mentor = perfect_mentor(capacity=1)
    MentorshipFactory(mentor=mentor, declined=True)
    MentorshipFactory(mentor=mentor, closed=True)
    mentee = young_person()

    reasons, _ = pair_evaluation(mentee=mentee, mentor=mentor)

    assert reasons == []
    assert [s.mentor for s in suggest_mentors(mentee=mentee)] == [mentor]
    assert [s.mentee for s in suggest_mentees(mentor=mentor)] == [mentee]
    assert [(p.mentee_id, p.mentor_id) for p in batch_compute().proposals] == [
        (mentee.pk, mentor.pk)
    ]


def test_a_minor_with_consent_may_be_matched_with_a_screened_mentor_who_accepts_minors():
    mentee = young_person(minor=True, with_consent=True)
    mentor = perfect_mentor(for_minors=True)

    assert pair_evaluation(mentee=mentee, mentor=mentor)[0] == []
    assert [s.mentor for s in suggest_mentors(mentee=mentee)] == [mentor]
    assert [s.mentee for s in suggest_mentees(mentor=mentor)] == [mentee]


def test_a_same_gender_wish_is_met_by_a_mentor_of_the_same_civility():
    mentee = young_person(wants_same_gender_mentor=True)
    mentor = perfect_mentor(civility="mme")

    assert pair_evaluation(mentee=mentee, mentor=mentor)[0] == []
    assert [s.mentee for s in suggest_mentees(mentor=mentor)] == [mentee]


def test_people_of_different_departements_may_meet_remotely():
    mentee = young_person(meeting_mode=MeetingMode.REMOTE)
    mentor = perfect_mentor(postal_code="69003", meeting_mode=MeetingMode.BOTH)

    reasons, compatibility = pair_evaluation(mentee=mentee, mentor=mentor)

    assert reasons == []
    assert "rencontres à distance (départements 93 et 69)" in [
        r.label for r in compatibility.reasons
    ]
    assert [s.mentor for s in suggest_mentors(mentee=mentee)] == [mentor]


# --- The SQL pre-filter and the matrix rules agree with the pure rules

# Same, neighbouring (75, 77), same region only (78), far (13), Corsica and overseas.
PLACES = {
    "93": "93200",
    "75": "75011",
    "77": "77100",
    "78": "78000",
    "13": "13001",
    "2A": "20000",
    "971": "97110",
}
MODES = [MeetingMode.IN_PERSON, MeetingMode.REMOTE, MeetingMode.BOTH]
CIVILITIES = ["", "mme", "m"]
PREVIOUS = [None, *MentorshipStatus]
TRAINING_FACTS = ["none", "initial_attended", "initial_absent", "workshop_attended", "had_pair"]
# The facts that leave a mentor to be trained before a first pair.
NEEDS_TRAINING = {"none", "initial_absent", "workshop_attended"}
# The antennes of the drawn people (None: the national programme) and their départements:
# the widened search from 93 reaches Est (93) and Seine-et-Marne (77, a neighbour), not Sud.
ANTENNES = {"Est": ["93"], "Seine-et-Marne": ["77"], "Sud": ["13"]}
ANTENNE_CHOICES = [None, *ANTENNES]

mentee_specs = st.fixed_dictionaries(
    {
        "department": st.sampled_from(list(PLACES)),
        "meeting_mode": st.sampled_from(MODES),
        "civility": st.sampled_from(CIVILITIES),
        "wants_same_gender_mentor": st.booleans(),
        "minor": st.booleans(),
        # Drawn apart from the département: a coordinator may move a person to any antenne.
        "antenne": st.sampled_from(ANTENNE_CHOICES),
    }
)
mentor_specs = st.fixed_dictionaries(
    {
        "status": st.sampled_from(list(RegistrationStatus)),
        "department": st.sampled_from(list(PLACES)),
        "meeting_mode": st.sampled_from(MODES),
        "civility": st.sampled_from(CIVILITIES),
        "capacity": st.integers(1, 3),
        "accepts_minors": st.booleans(),
        "whole_region": st.booleans(),
        "screening": st.sampled_from([None, "valid", "expired"]),
        # Pairs with other young people; only the open ones take a place.
        "others": st.lists(st.sampled_from(list(MentorshipStatus)), max_size=3),
        "previous": st.sampled_from(PREVIOUS),
        # What the training rule reads: an initial training attended (or signed up and
        # absent), a workshop only, or a pair that started with somebody else.
        "training": st.sampled_from(TRAINING_FACTS),
        "antenne": st.sampled_from(ANTENNE_CHOICES),
    }
)


def build_mentor(spec: dict, mentee: Mentee, antennes: dict) -> Mentor:
    mentor = MentorFactory(
        antenne=antennes[spec["antenne"]],
        status=spec["status"],
        postal_code=PLACES[spec["department"]],
        meeting_mode=spec["meeting_mode"],
        civility=spec["civility"],
        capacity=spec["capacity"],
        accepts_minors=spec["accepts_minors"],
        travels_whole_region=spec["whole_region"],
    )
    if spec["screening"] == "valid":
        ScreeningRecordFactory(mentor=mentor)
    elif spec["screening"] == "expired":
        expired_screening(mentor)
    for status in spec["others"]:
        MentorshipFactory(mentor=mentor, status=status)
    if spec["previous"]:
        MentorshipFactory(mentor=mentor, mentee=mentee, status=spec["previous"])
    training = spec["training"]
    if training in {"initial_attended", "initial_absent"}:
        TrainingRegistrationFactory(
            mentor=mentor, session__past=True, attended=training == "initial_attended"
        )
    elif training == "workshop_attended":
        TrainingRegistrationFactory(
            mentor=mentor, session__past=True, session__workshop=True, attended=True
        )
    elif training == "had_pair":
        MentorshipFactory(mentor=mentor, closed=True)
    return mentor


# A young person of 93 and mentors who would suit them but for their antenne.
WIDENING_MENTEE = {
    "department": "93",
    "meeting_mode": MeetingMode.BOTH,
    "civility": "mme",
    "wants_same_gender_mentor": False,
    "minor": False,
}
WIDENING_MENTORS = [
    {
        "status": RegistrationStatus.APPROVED,
        "department": "77",
        "meeting_mode": MeetingMode.BOTH,
        "civility": "mme",
        "capacity": 1,
        "accepts_minors": False,
        "whole_region": False,
        "screening": None,
        "others": [],
        "previous": None,
        "training": "initial_attended",
        "antenne": antenne,
    }
    for antenne in ["Seine-et-Marne", "Sud", None, "Est"]
]


def expected_reach(mentee_spec: dict, antennes: dict) -> frozenset:
    """The antennes of the widened search, from the drawn facts and the adjacency data: the
    young person's and those covering their département or a bordering one."""
    nearby = {mentee_spec["department"], *neighbours(mentee_spec["department"])}
    return frozenset(
        {antennes[mentee_spec["antenne"]] and antennes[mentee_spec["antenne"]].pk}
        | {antennes[name].pk for name, departments in ANTENNES.items() if nearby & {*departments}}
    )


def expected_blocking(
    spec: dict,
    mentee_side: Profile,
    mentor: Mentor,
    *,
    training_required: bool = False,
    antennes: dict,
    reach: frozenset | None = None,
) -> list[str]:
    """The pure rules, fed with the facts of the generated spec rather than with the database
    annotations the pre-filter uses."""
    cleared = spec["accepts_minors"] and spec["screening"] == "valid"
    mentor_side = Profile(
        pk=mentor.pk,
        topics=0,
        sectors=0,
        department=spec["department"],
        modes={MeetingMode.IN_PERSON: 1, MeetingMode.REMOTE: 2, MeetingMode.BOTH: 3}[
            spec["meeting_mode"]
        ],
        availability=0,
        languages=0,
        civility=spec["civility"],
        cleared_for_minors=cleared,
        whole_region=spec["whole_region"],
        needs_initial_training=spec["training"] in NEEDS_TRAINING,
        antenne=antennes[spec["antenne"]] and antennes[spec["antenne"]].pk,
    )
    return pair_blocking_reasons(
        mentee=mentee_side,
        mentor=mentor_side,
        mentor_status=spec["status"],
        mentor_capacity=spec["capacity"],
        mentor_open_pairs=sum(status in OPEN_STATUSES for status in spec["others"]),
        mentor_accepts_minors=spec["accepts_minors"],
        previous_pair_status=spec["previous"],
        initial_training_required=training_required,
        antennes=reach,
    )


@settings(
    deadline=None,
    max_examples=25,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    mentee_spec=mentee_specs,
    specs=st.lists(mentor_specs, min_size=1, max_size=5),
    training_required=st.booleans(),
    widened=st.booleans(),
)
# Where the widening decides, always tried: a neighbouring antenne's mentor, a far one's and
# a national one, for a young person of an antenne and for one of the national programme.
@example(
    mentee_spec=WIDENING_MENTEE | {"antenne": "Est"},
    specs=WIDENING_MENTORS,
    training_required=False,
    widened=True,
)
@example(
    mentee_spec=WIDENING_MENTEE | {"antenne": None},
    specs=WIDENING_MENTORS,
    training_required=False,
    widened=True,
)
def test_the_sql_prefilter_keeps_exactly_the_mentors_the_pair_rules_allow(
    mentee_spec, specs, training_required, widened
):
    # A young person holds one open pair at most: only the first generated one stays open.
    specs = [dict(spec) for spec in specs]
    open_pairs = [spec for spec in specs if spec["previous"] in OPEN_STATUSES]
    for spec in open_pairs[1:]:
        spec["previous"] = MentorshipStatus.CLOSED
    # Each example in its own savepoint, rolled back: the examples share one test database.
    with transaction.atomic():
        antennes = {None: None} | {
            name: make_antenne(name, departments) for name, departments in ANTENNES.items()
        }
        mentee = MenteeFactory(
            antenne=antennes[mentee_spec["antenne"]],
            approved=True,
            postal_code=PLACES[mentee_spec["department"]],
            meeting_mode=mentee_spec["meeting_mode"],
            civility=mentee_spec["civility"],
            wants_same_gender_mentor=mentee_spec["wants_same_gender_mentor"],
            minor=mentee_spec["minor"],
            with_consent=mentee_spec["minor"],
        )
        mentors = [build_mentor(spec, mentee, antennes) for spec in specs]
        today = timezone.localdate()
        mentee_side = profile_of_mentee(mentee, today=today)
        reach = expected_reach(mentee_spec, antennes) if widened else None
        searched = (
            antennes_within_reach(department=mentee.department, antenne_id=mentee.antenne_id).ids
            if widened
            else None
        )

        prefiltered = set(
            mentor_candidates(
                mentee=mentee_side,
                today=today,
                initial_training_required=training_required,
                antennes=searched,
            ).values_list("pk", flat=True)
        )
        allowed = {
            mentor.pk
            for spec, mentor in zip(specs, mentors, strict=True)
            if not expected_blocking(
                spec,
                mentee_side,
                mentor,
                training_required=training_required,
                antennes=antennes,
                reach=reach,
            )
        }
        assert searched == reach
        assert prefiltered == allowed
        transaction.set_rollback(True)


profile_strategy = st.builds(
    Profile,
    pk=st.integers(1, 10_000),
    topics=st.just(0),
    sectors=st.just(0),
    department=st.sampled_from(list(PLACES)),
    modes=st.sampled_from([1, 2, 3]),
    # Empty sometimes, and often nothing in common with the other side.
    availability=st.integers(0, 2 ** len(Availability) - 1),
    languages=st.just(0),
    civility=st.sampled_from(CIVILITIES),
    is_minor=st.booleans(),
    wants_same_gender=st.booleans(),
    cleared_for_minors=st.booleans(),
    free_slots=st.integers(0, 3),
    whole_region=st.booleans(),
    needs_initial_training=st.booleans(),
    # Two antennes and the national programme (None).
    antenne=st.sampled_from([None, 1, 2]),
)


@settings(deadline=None, max_examples=100)
@given(
    mentees=st.lists(profile_strategy, min_size=1, max_size=5, unique_by=lambda p: p.pk),
    mentors=st.lists(profile_strategy, min_size=1, max_size=5, unique_by=lambda p: p.pk),
    availability_required=st.booleans(),
    training_required=st.booleans(),
    data=st.data(),
)
def test_the_batch_matrix_rules_agree_with_the_pair_rules(
    mentees, mentors, availability_required, training_required, data
):
    previous = {
        mentee.pk: set(data.draw(st.lists(st.sampled_from([m.pk for m in mentors]), max_size=2)))
        for mentee in mentees
    }
    weights = Weights(
        availability_required=availability_required, initial_training_required=training_required
    )
    _, eligible = score_and_eligibility(mentees, mentors, previous, weights)

    expected = np.array(
        [
            [
                not pair_blocking_reasons(
                    mentee=mentee,
                    mentor=mentor,
                    mentor_status=RegistrationStatus.APPROVED,
                    mentor_capacity=3,
                    mentor_open_pairs=3 - mentor.free_slots,
                    mentor_accepts_minors=mentor.cleared_for_minors,
                    previous_pair_status=(
                        MentorshipStatus.CLOSED if mentor.pk in previous[mentee.pk] else None
                    ),
                    availability_required=availability_required,
                    initial_training_required=training_required,
                )
                for mentor in mentors
            ]
            for mentee in mentees
        ]
    )
    np.testing.assert_array_equal(eligible, expected)
