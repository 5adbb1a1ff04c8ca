"""Two tabs of the same young person sending the start questionnaire at once must leave one
response, submitted once: the unique (pair, moment) constraint settles the creation, and
`response_save` locks the response's row before reading its state.

Real concurrent transactions need a real database server: PostgreSQL only (SQLite serialises
writers on the whole file, so the race cannot happen there)."""

import threading

import pytest
from django.db import connection

from evaluations.enums import Moment, ResponseStatus
from evaluations.models import Response
from evaluations.services import QuestionnaireError, response_open, response_save
from tests.concurrency import postgresql_only
from tests.evaluations.test_services import complete_answers
from tests.matching.factories import MentorshipFactory

# Committed transactions are flushed after each test, the default questionnaire (a data
# migration) with them: the autouse fixture of tests/conftest.py puts it back.
pytestmark = postgresql_only

TABS = 2
TIMEOUT_SECONDS = 30


def together(action, count: int = TABS) -> list:
    """Run `action()` in `count` threads, hence as many database connections, released at once
    by a barrier; return each one's result or exception."""
    barrier = threading.Barrier(count)
    outcomes: list = [None] * count

    def run(index: int) -> None:
        try:
            barrier.wait(timeout=TIMEOUT_SECONDS)
            outcomes[index] = action()
        except Exception as error:  # reported by the assertions of the test
            outcomes[index] = error
        finally:
            # Each thread has its own connection: close it, or the test database stays in use.
            connection.close()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=TIMEOUT_SECONDS)
    assert not any(thread.is_alive() for thread in threads), "a tab never finished"
    return outcomes


@pytest.fixture
def pair():
    return MentorshipFactory(active=True)


def test_opening_the_questionnaire_in_two_tabs_at_once_creates_one_response(pair):
    outcomes = together(
        lambda: response_open(mentorship=pair, moment=Moment.START, author=pair.mentee.user)
    )

    assert all(isinstance(outcome, Response) for outcome in outcomes), outcomes
    assert Response.objects.filter(mentorship=pair).count() == 1
    # Both tabs go on with the same response.
    assert outcomes[0].pk == outcomes[1].pk


def test_submitting_in_two_tabs_at_once_keeps_one_submitted_response(pair):
    # The answers are read beforehand, as each tab's form holds them.
    first = response_open(mentorship=pair, moment=Moment.START, author=pair.mentee.user)
    answers = complete_answers(first)
    first.delete()

    def open_and_submit():
        response = response_open(mentorship=pair, moment=Moment.START, author=pair.mentee.user)
        return response_save(
            response=response, author=pair.mentee.user, answers=answers, submit=True
        )

    outcomes = together(open_and_submit)

    responses = Response.objects.filter(mentorship=pair)
    assert responses.count() == 1
    assert responses.get().status == ResponseStatus.SUBMITTED
    # One tab submitted; the other one waited for the lock, then found it already sent.
    submitted = [outcome for outcome in outcomes if isinstance(outcome, Response)]
    refused = [outcome for outcome in outcomes if isinstance(outcome, QuestionnaireError)]
    assert len(submitted) == 1, outcomes
    assert len(refused) == 1, outcomes
    assert "déjà envoyé" in refused[0].errors[None]
    assert responses.get().answers.count() == len(answers)
