"""The mail server refuses (issue 16): a local SMTP server of the tests' own answers 4xx
(« try again later ») then 5xx (« no such address »). The e-mail is retried with backoff,
then marked failed with the reason, the address is flagged on the person, the staff home
counts it, and a coordinator resends it from the admin once the address is fixed."""

import datetime

import pytest
import time_machine
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from mentees.models import Mentee
from tests.mentees.factories import MenteeFactory
from tests.users.staff import login_staff, make_coordinator
from users.enums import OwedEmailStatus
from users.models import OwedEmail
from users.outbox import MAX_ATTEMPTS, owed_emails_dispatch
from users.services import registration_approve

pytestmark = pytest.mark.django_db

NOON = datetime.datetime(2026, 3, 16, 12, tzinfo=timezone.get_default_timezone())
TRY_LATER = "451 4.2.2 Boite pleine, reessayez plus tard"
NO_SUCH_ADDRESS = "550 5.1.1 <{address}>: adresse inconnue"


@pytest.fixture
def mail_server(smtp_server):
    with override_settings(**smtp_server.settings()):
        yield smtp_server


def approve(django_capture_on_commit_callbacks) -> Mentee:
    mentee = MenteeFactory(user__email="yanis.benali@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        registration_approve(registration=mentee, approved_by=make_coordinator())
    return mentee


def sweep_at(moment: datetime.datetime, django_capture_on_commit_callbacks) -> list[int]:
    with time_machine.travel(moment, tick=False), django_capture_on_commit_callbacks(execute=True):
        return owed_emails_dispatch()


def test_a_refused_email_is_retried_then_failed_then_resent_by_a_coordinator(
    client, mail_server, django_capture_on_commit_callbacks
):
    mail_server.refuse(TRY_LATER, NO_SUCH_ADDRESS)
    with time_machine.travel(NOON, tick=False):
        mentee = approve(django_capture_on_commit_callbacks)

    # 4xx: kept, retried a minute later.
    row = OwedEmail.objects.get()
    assert (row.status, row.attempts) == (OwedEmailStatus.PENDING, 1)
    assert row.last_error.startswith("SMTPRecipientsRefused: 451 4.2.2")
    assert row.next_attempt_at == NOON + datetime.timedelta(minutes=1)
    assert sweep_at(NOON + datetime.timedelta(seconds=59), django_capture_on_commit_callbacks) == []

    # 5xx: failed at once, with the reason, and the address flagged on the account.
    sweep_at(NOON + datetime.timedelta(minutes=1), django_capture_on_commit_callbacks)

    row.refresh_from_db()
    assert (row.status, row.attempts) == (OwedEmailStatus.FAILED, 2)
    assert row.last_error == ("SMTPRecipientsRefused: 550 5.1.1 <<destinataire>>: adresse inconnue")
    assert "yanis.benali" not in row.last_error
    assert row.recipient == mentee.user
    user = mentee.user
    user.refresh_from_db()
    assert user.email_refused_at is not None
    assert user.email_refused_reason == "550 5.1.1 <<destinataire>>: adresse inconnue"
    assert mail_server.delivered == []
    # Not tried again by the sweeps: it waits for a coordinator.
    assert sweep_at(NOON + datetime.timedelta(days=1), django_capture_on_commit_callbacks) == []

    # The coordinator sees it, on the staff home and in the failed list…
    coordinator = make_coordinator()
    login_staff(client, coordinator)
    home = client.get(reverse("admin:staff_home")).content.decode()
    failed_list = reverse("admin:users_owedemail_changelist") + "?status__exact=failed"
    assert failed_list.replace("&", "&amp;") in home
    assert "e-mail non distribué" in home
    page = client.get(failed_list)
    assert page.status_code == 200
    assert page.context["cl"].result_count == 1
    assert row.subject in page.content.decode()
    # … and on the person's page, why their e-mails do not arrive.
    person = client.get(reverse("admin:users_user_change", args=[user.pk])).content.decode()
    assert "adresse inconnue" in person

    # … and resends it (the address is right after all: the server takes it now).
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(
            failed_list, {"action": "resend", "_selected_action": [row.pk]}, follow=True
        )

    assert [str(m) for m in answer.context["messages"]] == ["1 e-mail(s) remis en file d'envoi."]
    row.refresh_from_db()
    assert row.status == OwedEmailStatus.SENT
    assert mail_server.recipients() == ["yanis.benali@example.org"]


def test_a_server_that_keeps_saying_later_is_tried_with_a_growing_backoff_then_failed(
    mail_server, django_capture_on_commit_callbacks
):
    mail_server.refuse(*[TRY_LATER] * MAX_ATTEMPTS)
    with time_machine.travel(NOON, tick=False):
        approve(django_capture_on_commit_callbacks)
    row = OwedEmail.objects.get()

    waits, tried_at = [], NOON
    while row.status == OwedEmailStatus.PENDING:
        waits.append(row.next_attempt_at - tried_at)
        tried_at = row.next_attempt_at
        sweep_at(tried_at, django_capture_on_commit_callbacks)
        row.refresh_from_db()

    assert [wait.total_seconds() / 60 for wait in waits] == [1, 2, 4, 8, 16, 32]
    assert (row.status, row.attempts) == (OwedEmailStatus.FAILED, MAX_ATTEMPTS)
    assert row.last_error.startswith("SMTPRecipientsRefused: 451 4.2.2")
    # Later is no refusal of the address.
    assert row.recipient.email_refused_at is None
    assert mail_server.delivered == []


def test_a_server_that_cannot_be_reached_is_retried_too(
    mail_server, django_capture_on_commit_callbacks
):
    mail_server.stop()
    with time_machine.travel(NOON, tick=False):
        approve(django_capture_on_commit_callbacks)

    row = OwedEmail.objects.get()
    assert (row.status, row.attempts) == (OwedEmailStatus.PENDING, 1)
    assert row.last_error.startswith("ConnectionRefusedError")
