"""Two sweeps at the same moment (two beats, or a beat and `send_reminders`) record each
reminder once: the unique key and `ON CONFLICT DO NOTHING` decide, not the sweeps.

Real concurrent transactions need a real database server: PostgreSQL only (SQLite serialises
writers on the whole file, so the race cannot happen there)."""

import datetime
import threading

from django.db import connection, transaction
from django.utils import timezone

from reminders.models import Reminder
from reminders.sweep import sweep
from tests.concurrency import postgresql_only
from tests.matching.factories import MentorshipFactory
from tests.sessions.factories import SessionFactory

# The flush that ends a transactional test removes the default questionnaire; the
# autouse fixture of tests/conftest.py puts it back for the next tests.
pytestmark = postgresql_only

TODAY = datetime.date(2026, 3, 2)
TIMEOUT_SECONDS = 30


def test_two_concurrent_sweeps_record_each_reminder_once():
    for _ in range(5):
        pair = MentorshipFactory(active=True, started_on=TODAY - datetime.timedelta(days=46))
        held_on = TODAY - datetime.timedelta(days=5)
        SessionFactory(
            mentorship=pair,
            held_on=held_on,
            logged_at=timezone.make_aware(datetime.datetime.combine(held_on, datetime.time(18))),
        )
    barrier = threading.Barrier(2)
    outcomes: list = [None, None]

    def run(index: int) -> None:
        try:
            with transaction.atomic():
                # Both transactions are open (first statement done) before the race starts.
                Reminder.objects.exists()
                barrier.wait(timeout=TIMEOUT_SECONDS)
                outcomes[index] = sweep(today=TODAY)
        except Exception as error:  # reported by the assertions below
            outcomes[index] = error
        finally:
            # Each thread has its own connection: close it, or the test database stays in use.
            connection.close()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=TIMEOUT_SECONDS)
    assert not any(thread.is_alive() for thread in threads), "a sweep never finished"
    assert not any(isinstance(outcome, Exception) for outcome in outcomes), outcomes

    rows = list(Reminder.objects.values_list("kind", "target", "recipient_email", "period"))
    # 5 pairs: both members overdue, and each session to evaluate by both members.
    assert len(rows) == 5 * 2 * 2
    assert len(set(rows)) == len(rows)
    # The second sweep waited for the first one's keys and handed back the same rows.
    assert {row.pk for row in outcomes[0]} == {row.pk for row in outcomes[1]}
