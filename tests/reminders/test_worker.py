import datetime
import time

import pytest
from django.core import mail
from django.utils import timezone

from reminders.enums import ReminderKind, ReminderStatus
from reminders.models import Reminder
from reminders.sweep import sweep_and_enqueue
from tests.matching.factories import MentorshipFactory
from tests.mentors.factories import MentorFactory
from tests.users.factories import UserFactory


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
    sweep_and_enqueue()
    sweep_and_enqueue()  # a second beat: records nothing new, sends nothing twice

    pair_rows = Reminder.objects.filter(target=f"mentorship:{pair.pk}")
    digest_rows = Reminder.objects.filter(
        kind=ReminderKind.REFERENT_OVERDUE_DIGEST, recipient=referent
    )
    # The référent's alert for this pair is not an e-mail of its own: their digest lists it.
    covered = pair_rows.filter(kind=ReminderKind.MEETING_OVERDUE_REFERENT)
    own_emails = [*pair_rows.exclude(pk__in=covered), *digest_rows]
    assert pair_rows.filter(kind=ReminderKind.MEETING_OVERDUE, recipient=pair.mentor.user).exists()
    assert covered.exists() and digest_rows.count() == 1
    wait_until_sent(pair_rows.count() + digest_rows.count())
    time.sleep(0.5)  # let any duplicate the broker still held reach the outbox

    for row in own_emails:
        row.refresh_from_db()
        assert (row.status, row.attempts, bool(row.sent_at)) == (ReminderStatus.SENT, 1, True)
    [digest] = digest_rows
    assert {(row.status, row.sent_at) for row in covered} == {(ReminderStatus.SENT, digest.sent_at)}
    assert len(mail.outbox) == len(own_emails)
    sent_to = sorted(message.to[0] for message in mail.outbox)
    assert sent_to == sorted(row.recipient_email for row in own_emails)
    assert {pair.mentor.user.email, referent.email} <= set(sent_to)
