"""Two mentors asking for the last seat of a training at the same moment: `training_sign_up`
locks the session's row before it counts the seats, inside its transaction, so the second
one counts after the first commits and is refused.

PostgreSQL only (SQLite serialises writers on the whole file, so the race cannot happen there);
CI runs on PostgreSQL, where a skip is turned into a failure by tests/conftest.py."""

from functools import partial

from mentors.errors import MentorError
from mentors.models import TrainingRegistration
from mentors.services_training import training_sign_up
from tests.concurrency import postgresql_only, run_together
from tests.mentors.factories import (
    MentorFactory,
    TrainingRegistrationFactory,
    TrainingSessionFactory,
)

pytestmark = postgresql_only


def test_two_mentors_racing_for_the_last_seat_take_it_once():
    session = TrainingSessionFactory(capacity=3)
    TrainingRegistrationFactory.create_batch(2, session=session)
    first, second = MentorFactory.create_batch(2, approved=True)

    outcomes = run_together(
        [
            partial(training_sign_up, session=session, mentor=first),
            partial(training_sign_up, session=session, mentor=second),
        ],
        refused=MentorError,
    )

    seats = [outcome for outcome in outcomes if isinstance(outcome, TrainingRegistration)]
    refused = [outcome for outcome in outcomes if isinstance(outcome, MentorError)]
    assert (len(seats), len(refused)) == (1, 1), outcomes
    assert str(refused[0]) == "Cette session est complète : choisissez-en une autre."
    assert TrainingRegistration.objects.filter(session=session).count() == 3
