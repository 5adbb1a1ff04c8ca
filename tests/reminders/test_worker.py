import datetime
import os
import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.utils import timezone

from mentorat.celery import app as celery_app
from reminders.enums import ReminderKind, ReminderStatus
from reminders.models import Reminder
from tests.matching.factories import MentorshipFactory
from tests.mentors.factories import MentorFactory
from tests.users.factories import UserFactory

try:
    from reminders.sweep import sweep_and_enqueue
except ImportError:  # the sweep is built alongside; the worker path is tested either way
    sweep_and_enqueue = None


@pytest.fixture
def real_worker():
    """A Celery worker consuming the real Redis broker, in a thread of this process."""
    if not os.environ.get("REDIS_URL"):
        pytest.skip("REDIS_URL is not set: no broker to run a real worker against")
    celery_app.conf.task_always_eager = False
    celery_app.control.purge()
    try:
        with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            yield
    finally:
        celery_app.conf.task_always_eager = True


def wait_until_sent(expected: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if Reminder.objects.filter(status=ReminderStatus.SENT).count() >= expected:
            return
        time.sleep(0.1)


# The worker reads the database from another thread: it only sees committed rows. Not
# serialized_rollback: after an earlier transactional test's flush has re-created the content
# types under new ids, reloading the serialized ones breaks their unique constraint; the
# default questionnaire is put back by tests/conftest.py instead.
@pytest.mark.django_db(transaction=True)
def test_the_sweep_enqueues_a_real_worker_sends_once_and_the_row_records_it(real_worker):
    referent = UserFactory(staff=True)
    pair = MentorshipFactory(
        active=True,
        started_on=timezone.localdate() - datetime.timedelta(days=60),
        mentor=MentorFactory(approved=True, referent=referent),
    )
    if sweep_and_enqueue is not None:
        sweep_and_enqueue()
        sweep_and_enqueue()  # a second beat: records nothing new, sends nothing twice
    else:
        row = Reminder.objects.create(
            kind=ReminderKind.MEETING_OVERDUE,
            target=f"mentorship:{pair.pk}",
            recipient=pair.mentor.user,
            recipient_email=pair.mentor.user.email,
            period="once",
        )
        from reminders.tasks import send_reminder

        send_reminder.delay(row.pk)
        send_reminder.delay(row.pk)  # a redelivered message

    rows = Reminder.objects.filter(target=f"mentorship:{pair.pk}")
    expected = rows.count()
    assert expected >= 1
    assert rows.filter(kind=ReminderKind.MEETING_OVERDUE, recipient=pair.mentor.user).exists()
    wait_until_sent(expected)
    time.sleep(0.5)  # let any duplicate the broker still held reach the outbox

    assert set(rows.values_list("status", flat=True)) == {ReminderStatus.SENT}
    assert all(row.sent_at and row.attempts == 1 for row in rows)
    assert len(mail.outbox) == expected
    sent_to = sorted((m.to[0], m.subject) for m in mail.outbox)
    assert len(set(sent_to)) == len(sent_to)
    assert (pair.mentor.user.email,) in {(to,) for to, _ in sent_to}
