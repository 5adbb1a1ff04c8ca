"""« Pas de premier binôme avant la formation initiale »: with the switch on the weights page,
a mentor who never attended an initial training (attendance recorded by staff) and never had a
pair that started is excluded, with the same French reason in a single pair's evaluation, the
suggestions (both ways), the batch and « pourquoi pas ce mentor ? ». Off by default."""

import pytest
from django.urls import reverse

from matching.admin_matching_page import mentor_suggestion_blockers, search_mentors
from matching.batch import batch_compute
from matching.compatibility import Weights
from matching.eligibility import with_matching_facts
from matching.models import MatchingWeights
from matching.selectors import (
    current_weights,
    pair_evaluation,
    suggest_mentees,
    suggest_mentors,
)
from matching.services import MatchingError, mentorship_propose
from mentors.models import Mentor
from tests.matching.factories import MentorshipFactory
from tests.mentees.factories import MenteeFactory
from tests.mentors.factories import MentorFactory, TrainingRegistrationFactory
from tests.users.factories import UserFactory
from users.scopes import StaffScope

pytestmark = pytest.mark.django_db

# A national coordinator's scope: the search reaches every mentor.
NATIONAL_SCOPE = StaffScope(coordinator=True)

NOT_TRAINED = "le mentor n'a pas encore suivi la formation initiale, exigée avant un premier binôme"
ON, OFF = Weights(initial_training_required=True), Weights(initial_training_required=False)


def initial(mentor, *, attended=True):
    TrainingRegistrationFactory(mentor=mentor, session__past=True, attended=attended)


def workshop(mentor):
    TrainingRegistrationFactory(
        mentor=mentor, session__past=True, session__workshop=True, attended=True
    )


def signed_up_for_a_coming_one(mentor):
    TrainingRegistrationFactory(mentor=mentor)


def had_a_closed_pair(mentor):
    MentorshipFactory(mentor=mentor, closed=True)


def has_a_pending_proposal(mentor):
    MentorshipFactory(mentor=mentor)


def nothing(mentor):
    pass


CASES = {
    # name: what the mentor did, switch, excluded
    "never_trained_switch_on": (nothing, ON, True),
    "never_trained_switch_off": (nothing, OFF, False),
    "initial_attended": (initial, ON, False),
    "initial_absent": (lambda m: initial(m, attended=False), ON, True),
    "attendance_not_yet_recorded": (lambda m: initial(m, attended=None), ON, True),
    "only_signed_up_for_a_coming_one": (signed_up_for_a_coming_one, ON, True),
    "only_a_workshop": (workshop, ON, True),
    "already_had_a_pair": (had_a_closed_pair, ON, False),
    "a_proposal_that_never_started": (has_a_pending_proposal, ON, True),
}  # fmt: skip


def people():
    mentee = MenteeFactory(approved=True, postal_code="93200")
    # Room for a proposal of their own and the pair under test.
    mentor = MentorFactory(
        approved=True, postal_code="93100", capacity=3, employer="Ateliers Formation"
    )
    return mentee, mentor


@pytest.mark.parametrize(("history", "weights", "excluded"), list(CASES.values()), ids=list(CASES))
def test_an_untrained_mentor_is_kept_from_a_first_pair_only_when_required(
    history, weights, excluded
):
    mentee, mentor = people()
    history(mentor)
    expected = [NOT_TRAINED] if excluded else []

    reasons, _ = pair_evaluation(mentee=mentee, mentor=mentor, weights=weights)
    assert reasons == expected
    # The suggestions, both ways, and the batch apply the same rule.
    assert [s.mentor for s in suggest_mentors(mentee=mentee, weights=weights)] == (
        [] if excluded else [mentor]
    )
    assert [s.mentee for s in suggest_mentees(mentor=mentor, weights=weights)] == (
        [] if excluded else [mentee]
    )
    proposals = batch_compute(mentee_ids=[mentee.pk], weights=weights).proposals
    assert [p.mentor_id for p in proposals] == ([] if excluded else [mentor.pk])
    # « Pourquoi pas ce mentor ? » says it in the same words.
    results, _ = search_mentors(
        mentee=mentee,
        query="Formation",
        today=mentee.created_at.date(),
        weights=weights,
        scope=NATIONAL_SCOPE,
    )
    assert [result.reasons for result in results] == [expected]


def test_the_mentors_page_says_why_nobody_is_suggested():
    _, mentor = people()
    facts = with_matching_facts(
        Mentor.objects.filter(pk=mentor.pk), today=mentor.created_at.date()
    ).get()

    assert mentor_suggestion_blockers(facts, free_slots=3, weights=ON) == [NOT_TRAINED]
    assert mentor_suggestion_blockers(facts, free_slots=3, weights=OFF) == []


def test_a_proposal_to_an_untrained_mentor_is_refused_with_the_reason():
    mentee, mentor = people()
    MatchingWeights.objects.update_or_create(pk=1, defaults={"initial_training_required": True})

    with pytest.raises(MatchingError) as refused:
        mentorship_propose(mentee=mentee, mentor=mentor, proposed_by=UserFactory(coordinator=True))

    assert NOT_TRAINED in str(refused.value)


def test_the_batch_says_the_training_is_among_the_conditions_when_nobody_is_eligible():
    mentee, _ = people()

    result = batch_compute(mentee_ids=[mentee.pk], weights=ON)

    assert result.unmatched == [
        (
            mentee.pk,
            "aucun mentor disponible ne remplit les conditions "
            "(lieu, mineurs, genre, disponibilités, formation initiale)",
        )
    ]


def test_the_switch_is_off_by_default_and_read_from_the_weights_page():
    assert MatchingWeights.load().initial_training_required is False
    assert current_weights().initial_training_required is False

    MatchingWeights.objects.update(initial_training_required=True)

    assert current_weights().initial_training_required is True


def test_the_weights_page_offers_the_switch_with_its_explanation(admin_client):
    MatchingWeights.load()

    response = admin_client.get(reverse("admin:matching_matchingweights_change", args=[1]))

    html = response.content.decode()
    assert 'name="initial_training_required"' in html
    assert "xiger la formation initiale avant un premier binôme" in html
    assert "recommande une formation obligatoire" in html
