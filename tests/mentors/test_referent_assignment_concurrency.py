"""Two coordinators giving a référent their last free place at the same moment must not take
them over the caseload cap: `mentor_assign_referent` locks the référent's row before it
counts, inside its transaction, so the second assignment counts after the first commits.

Real concurrent transactions need a real database server: PostgreSQL only (SQLite serialises
writers on the whole file, so the race cannot happen there). CI runs on PostgreSQL, where
this test runs (a skip there is turned into a failure by tests/conftest.py)."""

import threading
import time

import pytest
from django.db import connection, transaction
from django.test import override_settings

from mentors.models import Mentor
from mentors.services import mentor_assign_referent, referent_caseload
from tests.mentors.factories import MentorFactory
from tests.users.staff import make_coordinator, make_referent
from users.services import RegistrationError

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="concurrent transactions with row locks need PostgreSQL (set DATABASE_URL)",
    ),
    pytest.mark.django_db(transaction=True),
]

CAP = 3
# How long the first transaction keeps its assignment uncommitted: the other one is then
# certainly running while the first is still open, and only the row lock keeps it from
# counting the caseload as it was before.
HOLD_SECONDS = 0.3
TIMEOUT_SECONDS = 30


def assign_together(assignments) -> list:
    """Run each (mentor, référent, coordinator) assignment in its own thread, hence its own
    database connection, all released at once; return each one's mentor or RegistrationError."""
    barrier = threading.Barrier(len(assignments))
    outcomes: list = [None] * len(assignments)

    def run(index: int, mentor, referent, coordinator) -> None:
        try:
            with transaction.atomic():
                # The transaction is open (first statement done) before the race starts.
                Mentor.objects.exists()
                barrier.wait(timeout=TIMEOUT_SECONDS)
                try:
                    outcomes[index] = mentor_assign_referent(
                        mentor=mentor, referent=referent, assigned_by=coordinator
                    )
                except RegistrationError as error:
                    outcomes[index] = error
                    return
                time.sleep(HOLD_SECONDS)
        except Exception as error:  # reported by the assertions of the test
            outcomes[index] = error
        finally:
            # Each thread has its own connection: close it, or the test database stays in use.
            connection.close()

    threads = [
        threading.Thread(target=run, args=(index, *assignment))
        for index, assignment in enumerate(assignments)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=TIMEOUT_SECONDS)
    assert not any(thread.is_alive() for thread in threads), "an assignment never finished"
    return outcomes


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
