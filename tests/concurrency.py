"""Races between real transactions, for the tests of row locks (PostgreSQL only: SQLite
serialises writers on the whole file, so the race cannot happen there)."""

import threading
import time
from collections.abc import Callable

import pytest
from django.db import connection, transaction

# How long the first transaction keeps its write uncommitted: the other one is then certainly
# running while the first is still open, and only the row lock keeps it from reading the rows
# as they were before.
HOLD_SECONDS = 0.3
TIMEOUT_SECONDS = 30

postgresql_only = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="concurrent transactions with row locks need PostgreSQL (set DATABASE_URL)",
    ),
    pytest.mark.django_db(transaction=True),
]


def run_together(calls: list[Callable[[], object]], *, refused: type[Exception]) -> list:
    """Run each call in its own thread, hence its own database connection and transaction, all
    released at once; return each one's result, or the `refused` error it raised."""
    barrier = threading.Barrier(len(calls))
    outcomes: list = [None] * len(calls)

    def run(index: int, call: Callable[[], object]) -> None:
        try:
            with transaction.atomic():
                # The transaction is open (first statement done) before the race starts.
                connection.cursor().execute("SELECT 1")
                barrier.wait(timeout=TIMEOUT_SECONDS)
                try:
                    outcomes[index] = call()
                except refused as error:
                    outcomes[index] = error
                    return
                time.sleep(HOLD_SECONDS)
        except Exception as error:  # reported by the assertions of the test
            outcomes[index] = error
        finally:
            # Each thread has its own connection: close it, or the test database stays in use.
            connection.close()

    threads = [threading.Thread(target=run, args=item) for item in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=TIMEOUT_SECONDS)
    assert not any(thread.is_alive() for thread in threads), "a call never finished"
    return outcomes
