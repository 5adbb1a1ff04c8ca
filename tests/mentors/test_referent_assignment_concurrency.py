"""Two coordinators giving a référent their last free place at the same moment must not take
them over the caseload cap: `mentor_assign_referent` locks the référent's row before it
counts, inside its transaction, so the second assignment counts after the first commits.

Real concurrent transactions need a real database server: PostgreSQL only (SQLite serialises
writers on the whole file, so the race cannot happen there). CI runs on PostgreSQL, where
this test runs (a skip there is turned into a failure by tests/conftest.py)."""

from functools import partial

from django.test import override_settings

from mentors.models import Mentor
from mentors.services import mentor_assign_referent, referent_caseload
from tests.concurrency import postgresql_only, run_together
from tests.mentors.factories import MentorFactory
from tests.users.staff import make_coordinator, make_referent
from users.services import RegistrationError

pytestmark = postgresql_only

CAP = 3


def assign_together(assignments) -> list:
    """Each (mentor, référent, coordinator) assignment in its own transaction, at once."""
    calls = [
        partial(mentor_assign_referent, mentor=mentor, referent=referent, assigned_by=coordinator)
        for mentor, referent, coordinator in assignments
    ]
    return run_together(calls, refused=RegistrationError)


@override_settings(REFERENT_CASELOAD_CAP=CAP)
def test_two_coordinators_racing_for_a_referents_last_place_fill_it_once():
    referent = make_referent(first_name="Rémi", last_name="Référent")
    MentorFactory.create_batch(CAP - 1, approved=True, referent=referent)
    first, second = MentorFactory.create_batch(2, approved=True)
    coordinators = make_coordinator(), make_coordinator()

    outcomes = assign_together(
        [(first, referent, coordinators[0]), (second, referent, coordinators[1])]
    )

    assigned = [outcome for outcome in outcomes if isinstance(outcome, Mentor)]
    refused = [outcome for outcome in outcomes if isinstance(outcome, RegistrationError)]
    assert (len(assigned), len(refused)) == (1, 1), outcomes
    loser = second if assigned[0].pk == first.pk else first
    assert str(refused[0]) == (
        f"{loser.user.get_full_name()} : Rémi Référent accompagne déjà {CAP} mentors, "
        "le maximum par référent."
    )
    assert referent_caseload(referent) == CAP
    loser.refresh_from_db()
    assert loser.referent is None
