"""Matching stays within the antenne: a young person is suggested, proposed and batch-matched
with mentors of their own antenne (the national programme with national mentors), and only
the coordinator's widened search reaches the antennes of the young person's département and of
the bordering ones. The pairs an antenne coordinator sees are those of their antenne."""

import pytest

from matching.batch import batch_compute, batch_run, matching_batch_start
from matching.eligibility import antennes_within_reach
from matching.enums import BatchStatus, MentorshipStatus, Side
from matching.models import MatchingBatch
from matching.selectors import (
    mentorships_visible_to,
    pair_evaluation,
    suggest_mentees,
    suggest_mentors,
)
from matching.services import MatchingError, mentorship_propose, mentorship_respond
from mentees.models import Mentee
from mentors.models import Mentor
from tests.antennes.factories import make_antenne
from tests.matching.factories import MentorshipFactory
from tests.mentees.factories import MenteeFactory
from tests.mentors.factories import MentorFactory
from tests.users.factories import UserFactory
from tests.users.staff import (
    make_antenne_coordinator,
    make_antenne_referent,
    make_coordinator,
    make_referent,
)
from users.enums import MeetingMode

pytestmark = pytest.mark.django_db

# Lyon (69) borders the Ain (01); Marseille (13) borders neither.
LYON = "69003"
AIN = "01000"
MARSEILLE = "13001"


@pytest.fixture
def antennes():
    return {
        "lyon": make_antenne("Lyon", ["69"]),
        "ain": make_antenne("Ain", ["01"]),
        "marseille": make_antenne("Marseille", ["13"]),
    }


def young_person(antenne, postal_code=LYON, **fields) -> Mentee:
    return MenteeFactory(approved=True, postal_code=postal_code, antenne=antenne, **fields)


def mentor(antenne, postal_code=LYON, **fields) -> Mentor:
    """Meets anywhere remotely: only the antenne can keep them from a young person."""
    return MentorFactory(approved=True, postal_code=postal_code, antenne=antenne, **fields)


def coordinator():
    return UserFactory(staff=True)


def reasons(mentee, mentor, **kwargs) -> list[str]:
    return pair_evaluation(mentee=mentee, mentor=mentor, **kwargs)[0]


# --- The rule, in words


def test_a_mentor_of_another_antenne_is_refused_with_its_name(antennes):
    mentee = young_person(antennes["lyon"])

    assert reasons(mentee, mentor(antennes["ain"])) == [
        "le mentor appartient à une autre antenne (Ain)"
    ]
    assert reasons(mentee, mentor(antennes["lyon"])) == []


def test_a_young_person_of_the_national_programme_is_matched_with_national_mentors(antennes):
    mentee = young_person(None, postal_code="71000")

    assert reasons(mentee, mentor(None, postal_code="71000")) == []
    assert reasons(mentee, mentor(antennes["lyon"])) == [
        "le mentor appartient à une autre antenne (Lyon)"
    ]


def test_a_national_mentor_is_not_offered_to_an_antenne_s_young_person(antennes):
    mentee = young_person(antennes["lyon"])

    assert reasons(mentee, mentor(None)) == [
        "le mentor appartient au programme national (sans antenne)"
    ]


def test_the_widened_search_reaches_the_antennes_of_the_bordering_departements(antennes):
    mentee = young_person(antennes["lyon"])
    reach = antennes_within_reach(department="69", antenne_id=antennes["lyon"].pk)

    assert reach.ids == {antennes["lyon"].pk, antennes["ain"].pk}
    assert reach.added == ("Ain",)
    assert reasons(mentee, mentor(antennes["ain"], postal_code=AIN), antennes=reach.ids) == []
    assert reasons(
        mentee, mentor(antennes["marseille"], postal_code=MARSEILLE), antennes=reach.ids
    ) == ["le mentor appartient à une antenne qui n'est pas voisine (Marseille)"]
    # The national programme is no neighbour of an antenne's young person.
    assert reasons(mentee, mentor(None), antennes=reach.ids) == [
        "le mentor appartient au programme national (sans antenne)"
    ]


def test_the_widened_search_of_a_national_young_person_keeps_national_mentors(antennes):
    reach = antennes_within_reach(department="71", antenne_id=None)

    # Saône-et-Loire borders the Rhône and the Ain.
    assert reach.ids == {None, antennes["lyon"].pk, antennes["ain"].pk}
    assert reach.added == ("Ain", "Lyon")


def test_a_young_person_moved_to_another_antenne_reaches_their_departement_s_antenne(antennes):
    # A young person of Lyon moved to Marseille: widening reaches Lyon again, and its
    # neighbours.
    reach = antennes_within_reach(department="69", antenne_id=antennes["marseille"].pk)

    assert reach.ids == {antennes["marseille"].pk, antennes["lyon"].pk, antennes["ain"].pk}


# --- The suggestions


def test_the_suggestions_are_the_young_person_s_antenne_s_mentors(antennes):
    mentee = young_person(antennes["lyon"])
    own = mentor(antennes["lyon"])
    # Better placed (same département), but of another antenne or national.
    mentor(antennes["ain"])
    mentor(None)

    assert [s.mentor for s in suggest_mentors(mentee=mentee)] == [own]


def test_the_widened_suggestions_add_the_neighbouring_antennes_only(antennes):
    mentee = young_person(antennes["lyon"])
    own = mentor(antennes["lyon"])
    neighbour = mentor(antennes["ain"], postal_code=AIN)
    mentor(antennes["marseille"], postal_code=MARSEILLE, meeting_mode=MeetingMode.BOTH)
    mentor(None)
    reach = antennes_within_reach(department="69", antenne_id=antennes["lyon"].pk)

    suggested = {s.mentor for s in suggest_mentors(mentee=mentee, antennes=reach.ids)}

    assert suggested == {own, neighbour}


def test_a_mentor_is_suggested_the_young_people_of_their_antenne_only(antennes):
    lyon_mentor = mentor(antennes["lyon"])
    own = young_person(antennes["lyon"])
    young_person(antennes["ain"])
    young_person(None)

    assert [s.mentee for s in suggest_mentees(mentor=lyon_mentor)] == [own]


def test_a_national_mentor_is_suggested_the_national_young_people_only(antennes):
    national_mentor = mentor(None)
    national = young_person(None)
    young_person(antennes["lyon"])

    assert [s.mentee for s in suggest_mentees(mentor=national_mentor)] == [national]


# --- Proposing


def test_proposing_a_pair_across_antennes_is_refused_in_french(antennes):
    mentee = young_person(antennes["lyon"])
    other = mentor(antennes["ain"], postal_code=AIN)

    with pytest.raises(MatchingError) as refused:
        mentorship_propose(mentee=mentee, mentor=other, proposed_by=coordinator())

    assert str(refused.value) == (
        "Binôme impossible : le mentor appartient à une autre antenne (Ain)."
    )
    assert not mentee.mentorships.exists()


def test_the_widened_search_may_propose_a_neighbouring_antenne_s_mentor(antennes):
    mentee = young_person(antennes["lyon"])
    other = mentor(antennes["ain"], postal_code=AIN)

    pair = mentorship_propose(mentee=mentee, mentor=other, proposed_by=coordinator(), widened=True)

    assert pair.status == MentorshipStatus.PROPOSED
    assert (pair.mentee, pair.mentor) == (mentee, other)


def test_even_widened_a_far_antenne_s_mentor_is_refused(antennes):
    mentee = young_person(antennes["lyon"])
    far = mentor(antennes["marseille"], postal_code=MARSEILLE)

    with pytest.raises(MatchingError) as refused:
        mentorship_propose(mentee=mentee, mentor=far, proposed_by=coordinator(), widened=True)

    assert refused.value.reasons == [
        "le mentor appartient à une antenne qui n'est pas voisine (Marseille)"
    ]


def test_a_pair_proposed_across_neighbouring_antennes_may_start(antennes):
    mentee = young_person(antennes["lyon"])
    other = mentor(antennes["ain"], postal_code=AIN)
    pair = mentorship_propose(mentee=mentee, mentor=other, proposed_by=coordinator(), widened=True)

    mentorship_respond(mentorship=pair, side=Side.MENTOR, accept=True)
    started = mentorship_respond(mentorship=pair, side=Side.MENTEE, accept=True)

    assert started.status == MentorshipStatus.ACTIVE


# --- Batch matching


@pytest.fixture
def two_antennes(antennes):
    """In Lyon and in the Ain, a young person and a mentor each; the Ain's mentor would suit
    Lyon's young person better (same département) if antennes did not count."""
    return {
        "lyon_mentee": young_person(antennes["lyon"]),
        "lyon_mentor": mentor(antennes["lyon"], postal_code=AIN),
        "ain_mentee": young_person(antennes["ain"], postal_code=AIN),
        "ain_mentor": mentor(antennes["ain"], postal_code=LYON),
        "national_mentee": young_person(None, postal_code="71000"),
        "national_mentor": mentor(None, postal_code="71000"),
    }


def pairs_of(result) -> set[tuple[int, int]]:
    return {(p.mentee_id, p.mentor_id) for p in result.proposals}


def test_a_national_batch_matches_each_young_person_within_their_antenne(two_antennes):
    people = two_antennes

    result = batch_compute()

    assert pairs_of(result) == {
        (people["lyon_mentee"].pk, people["lyon_mentor"].pk),
        (people["ain_mentee"].pk, people["ain_mentor"].pk),
        (people["national_mentee"].pk, people["national_mentor"].pk),
    }


def test_an_antenne_s_batch_takes_its_own_people_only(antennes, two_antennes):
    people = two_antennes

    result = batch_compute(antenne_id=antennes["lyon"].pk)

    assert pairs_of(result) == {(people["lyon_mentee"].pk, people["lyon_mentor"].pk)}
    assert result.unmatched == []


def test_an_antenne_s_batch_leaves_out_selected_young_people_of_other_antennes(
    antennes, two_antennes
):
    people = two_antennes
    selected = [people["lyon_mentee"].pk, people["ain_mentee"].pk]

    result = batch_compute(mentee_ids=selected, antenne_id=antennes["ain"].pk)

    assert pairs_of(result) == {(people["ain_mentee"].pk, people["ain_mentor"].pk)}


def test_a_stored_batch_is_computed_for_its_antenne(
    antennes, two_antennes, django_capture_on_commit_callbacks
):
    people = two_antennes
    with django_capture_on_commit_callbacks(execute=False):
        batch = matching_batch_start(
            created_by=coordinator(), mentee_ids=None, antenne_id=antennes["ain"].pk
        )

    batch_run(batch_id=batch.pk)

    batch = MatchingBatch.objects.get(pk=batch.pk)
    assert batch.antenne == antennes["ain"]
    assert batch.status == BatchStatus.DONE
    assert [(p["mentee_id"], p["mentor_id"]) for p in batch.result["proposals"]] == [
        (people["ain_mentee"].pk, people["ain_mentor"].pk)
    ]


def test_a_young_person_whose_antenne_has_no_mentor_stays_unmatched(antennes):
    lonely = young_person(antennes["marseille"], postal_code=MARSEILLE)
    mentor(antennes["lyon"], postal_code=MARSEILLE)

    result = batch_compute()

    assert result.proposals == []
    assert [pk for pk, _ in result.unmatched] == [lonely.pk]


# --- Who sees which pair


@pytest.fixture
def pairs(antennes):
    lyon, ain = antennes["lyon"], antennes["ain"]
    return {
        "lyon": MentorshipFactory(mentee__antenne=lyon, mentor__antenne=lyon),
        # Widened: a young person of the Ain with a mentor of Lyon.
        "across": MentorshipFactory(mentee__antenne=ain, mentor__antenne=lyon),
        "ain": MentorshipFactory(mentee__antenne=ain, mentor__antenne=ain),
        "national": MentorshipFactory(),
    }


def test_an_antenne_coordinator_sees_the_pairs_with_a_member_of_their_antenne(antennes, pairs):
    visible = set(mentorships_visible_to(make_antenne_coordinator(antennes["lyon"])))

    assert visible == {pairs["lyon"], pairs["across"]}


def test_a_national_coordinator_sees_every_pair(antennes, pairs):
    assert set(mentorships_visible_to(make_coordinator())) == set(pairs.values())


def test_a_referent_of_an_antenne_sees_their_own_mentors_pairs_only(antennes, pairs):
    referent = make_antenne_referent(antennes["lyon"])
    Mentor.objects.filter(pk=pairs["ain"].mentor_id).update(referent=referent)

    # Their own mentors', whatever the antenne: not the antenne's other pairs.
    assert set(mentorships_visible_to(referent)) == {pairs["ain"]}


def test_a_national_referent_sees_their_own_mentors_pairs_only(antennes, pairs):
    referent = make_referent()
    Mentor.objects.filter(pk=pairs["national"].mentor_id).update(referent=referent)

    assert set(mentorships_visible_to(referent)) == {pairs["national"]}


def test_an_antenne_coordinator_who_is_also_a_member_sees_their_own_pair(antennes, pairs):
    coordinator = make_antenne_coordinator(antennes["ain"])
    own = MentorshipFactory(mentor__user=coordinator)

    assert own in set(mentorships_visible_to(coordinator))
