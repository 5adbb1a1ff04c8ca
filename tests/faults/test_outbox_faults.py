"""The outbox against real faults (issue 16), with real worker processes on the test's own
redis-server and SMTP server: a worker killed with SIGKILL while it sends, and a broker down
while somebody registers. Each owed e-mail arrives, exactly once."""

import datetime
import time

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from matching.enums import CloseReason
from matching.services import mentorship_close
from tests.matching.factories import MentorshipFactory
from tests.mentees.form_data import mentee_form_data
from tests.users.factories import UserFactory
from tests.users.staff import make_coordinator, make_referent
from users.enums import OwedEmailStatus
from users.models import OwedEmail
from users.outbox import owed_emails_dispatch
from users.services import staff_account_setup

from .services import queued_tasks

WAIT_SECONDS = 60
# The worker's claim on a row it sends: short, for the test to outlive it.
CLAIM_SECONDS = 2

# Real processes commit for real.
pytestmark = pytest.mark.django_db(transaction=True)


def wait_until(condition, what: str, worker=None) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while not condition():
        if time.monotonic() > deadline:
            log = worker.log() if worker is not None else ""
            raise AssertionError(f"{what}: not after {WAIT_SECONDS} s\n{log}")
        time.sleep(0.1)


def status_of(task: str) -> str:
    return OwedEmail.objects.get(task=task).status


def test_a_worker_killed_while_it_sends_loses_nothing_and_sends_nothing_twice(
    broker, smtp_server, workers
):
    # Two owed e-mail tasks: a pair's closure (three e-mails: the young person, the mentor,
    # the mentor's référent) and a new référent's invitation.
    pair = MentorshipFactory(active=True, mentor__referent=make_referent())
    coordinator = make_coordinator()
    invited = UserFactory(without_password=True)
    mentorship_close(mentorship=pair, reason=CloseReason.MENTEE_WITHDREW, closed_by=coordinator)
    staff_account_setup(user=invited, role="referent", invited_by=coordinator)
    assert queued_tasks(broker) == ["users.tasks.send_owed_email"] * 2
    closure, invitation = "matching.tasks.send_closure_emails", "users.tasks.send_staff_invitation"
    mentee, mentor = pair.mentee.user.email, pair.mentor.user.email
    referent = pair.mentor.referent.email

    # The server is slow to accept the second e-mail (the mentor's): the worker is killed
    # while it waits for the answer.
    smtp_server.hold_message(2)
    worker = workers(OWED_EMAIL_CLAIM_SECONDS=str(CLAIM_SECONDS))
    assert smtp_server.holding.wait(WAIT_SECONDS), worker.log()
    worker.kill()
    smtp_server.release()

    # The young person's e-mail was accepted; the mentor's never was (its sender died first);
    # the row stays claimed by the dead worker; the invitation is still in the queue.
    wait_until(lambda: smtp_server.dropped == 1, "the held e-mail dropped")
    assert smtp_server.recipients() == [mentee]
    assert status_of(closure) == OwedEmailStatus.SENDING
    assert status_of(invitation) == OwedEmailStatus.PENDING

    # Restarted, the worker sends the invitation; once the dead worker's claim has expired,
    # the sweep gives it the closure again, which sends only what was not sent.
    worker = workers(OWED_EMAIL_CLAIM_SECONDS=str(CLAIM_SECONDS))
    wait_until(lambda: status_of(invitation) == OwedEmailStatus.SENT, "invitation", worker)
    time.sleep(CLAIM_SECONDS)
    assert owed_emails_dispatch() == [OwedEmail.objects.get(task=closure).pk]
    wait_until(lambda: status_of(closure) == OwedEmailStatus.SENT, "closure", worker)

    assert sorted(smtp_server.recipients()) == sorted([mentee, mentor, referent, invited.email])
    assert OwedEmail.objects.get(task=closure).attempts == 2


def test_an_email_owed_while_the_broker_was_down_is_sent_by_the_sweep_once_it_is_back(
    client, broker, smtp_server, workers
):
    broker.stop()

    answer = client.post(reverse("mentees:register"), mentee_form_data())

    assert answer.status_code == 302
    row = OwedEmail.objects.get()
    assert (row.task, row.status) == ("users.tasks.send_registration_email", "pending")

    # Redis back, and a worker: the sweep of a few minutes later sends it.
    broker.start()
    worker = workers()
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=3)):
        assert owed_emails_dispatch() == [row.pk]
    wait_until(lambda: status_of(row.task) == OwedEmailStatus.SENT, "acknowledgement", worker)

    assert smtp_server.recipients() == ["yanis.benali@example.org"]
    [delivered] = smtp_server.delivered
    assert delivered.subject == OwedEmail.objects.get().subject
