"""A double-submitted first evaluation (two tabs, a double tap on a phone) must record one
evaluation, not fail on the one-per-side constraint: `session_evaluate` locks the session's
row before it looks for the evaluation.

PostgreSQL only: SQLite serialises writers on the whole file, so the race cannot happen there."""

import threading
import time

from django.db import connection, transaction

from matching.enums import Side
from sessions.models import Session, SessionEvaluation
from sessions.services import session_evaluate
from tests.concurrency import postgresql_only
from tests.sessions.factories import SessionFactory

pytestmark = postgresql_only

# The first transaction keeps its evaluation uncommitted this long: the second submit is then
# certainly running while the first one is still open.
HOLD_SECONDS = 0.3
TIMEOUT_SECONDS = 30


def test_a_double_submitted_first_evaluation_records_one_evaluation():
    session = SessionFactory()
    mentee = session.mentorship.mentee.user
    barrier = threading.Barrier(2)
    outcomes: list = [None, None]

    def submit(index: int, rating: int) -> None:
        try:
            with transaction.atomic():
                # The transaction is open (first statement done) before the race starts.
                Session.objects.exists()
                barrier.wait(timeout=TIMEOUT_SECONDS)
                outcomes[index] = session_evaluate(session=session, author=mentee, rating=rating)
                time.sleep(HOLD_SECONDS)
        except Exception as error:  # reported by the assertions below
            outcomes[index] = error
        finally:
            # Each thread has its own connection: close it, or the test database stays in use.
            connection.close()

    threads = [threading.Thread(target=submit, args=(i, 3 + i)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=TIMEOUT_SECONDS)

    assert all(isinstance(outcome, SessionEvaluation) for outcome in outcomes), outcomes
    evaluation = SessionEvaluation.objects.get()
    assert evaluation.side == Side.MENTEE
    assert evaluation.rating in (3, 4)
