"""Two coordinators proposing at the same moment must not over-fill a mentor nor give a young
person two mentors: `mentorship_propose` locks the mentor's row, then the young person's,
inside its transaction.

Real concurrent transactions need a real database server: PostgreSQL only (SQLite serialises
writers on the whole file, so the race cannot happen there)."""

from functools import partial

import pytest

from matching.models import MatchingWeights, Mentorship
from matching.services import MatchingError, mentorship_propose
from tests.concurrency import postgresql_only, run_together
from tests.matching.factories import MentorshipFactory
from tests.mentees.factories import MenteeFactory
from tests.mentors.factories import MentorFactory
from tests.users.factories import UserFactory

pytestmark = postgresql_only


def propose_together(proposals) -> list:
    """Each (young person, mentor, coordinator) proposal in its own transaction, at once."""
    calls = [
        partial(mentorship_propose, mentee=mentee, mentor=mentor, proposed_by=coordinator)
        for mentee, mentor, coordinator in proposals
    ]
    return run_together(calls, refused=MatchingError)


@pytest.fixture
def coordinators():
    # The settings row is read by both proposals: created beforehand, not raced for.
    MatchingWeights.load()
    return UserFactory(coordinator=True), UserFactory(coordinator=True)


def test_two_coordinators_racing_for_a_mentors_last_place_fill_it_once(coordinators):
    mentor = MentorFactory(approved=True, postal_code="93100", capacity=2)
    MentorshipFactory(mentor=mentor, active=True)
    first = MenteeFactory(approved=True, postal_code="93200")
    second = MenteeFactory(approved=True, postal_code="93200")

    outcomes = propose_together(
        [(first, mentor, coordinators[0]), (second, mentor, coordinators[1])]
    )

    created = [outcome for outcome in outcomes if isinstance(outcome, Mentorship)]
    refused = [outcome for outcome in outcomes if isinstance(outcome, MatchingError)]
    assert (len(created), len(refused)) == (1, 1), outcomes
    assert refused[0].reasons == ["le mentor n'a plus de place (2 binôme(s) pour 2 place(s))"]
    assert Mentorship.objects.open().filter(mentor=mentor).count() == mentor.capacity


def test_two_coordinators_proposing_one_young_person_to_two_mentors_make_one_pair(coordinators):
    mentee = MenteeFactory(approved=True, postal_code="93200")
    mentors = [MentorFactory(approved=True, postal_code="93100", capacity=1) for _ in range(2)]

    outcomes = propose_together(
        [(mentee, mentors[0], coordinators[0]), (mentee, mentors[1], coordinators[1])]
    )

    created = [outcome for outcome in outcomes if isinstance(outcome, Mentorship)]
    refused = [outcome for outcome in outcomes if isinstance(outcome, MatchingError)]
    assert (len(created), len(refused)) == (1, 1), outcomes
    assert refused[0].reasons == ["le jeune a déjà un binôme proposé ou actif"]
    assert Mentorship.objects.open().filter(mentee=mentee).count() == 1
