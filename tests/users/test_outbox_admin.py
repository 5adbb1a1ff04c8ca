"""The coordinators' side of the outbox: the list of e-mails (the failed ones first in mind),
its « Renvoyer » action, a refused address on the person's page, cleared once fixed."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.users.factories import OwedEmailFactory, UserFactory
from tests.users.staff import login_staff, make_coordinator
from users.enums import OwedEmailStatus
from users.models import OwedEmail

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:users_owedemail_changelist")
FAILED = f"{CHANGELIST}?status__exact=failed"


@pytest.fixture
def coordinator(client):
    user = make_coordinator()
    login_staff(client, user)
    return user


def change_form_data(client, user, **changes) -> dict:
    """The person's admin form as shown (its consents' inline included), with `changes`."""
    page = client.get(reverse("admin:users_user_change", args=[user.pk]))
    data = {
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "is_active": "on",
        "date_joined_0": user.date_joined.strftime("%d/%m/%Y"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
    }
    for inline in page.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        data |= {management.add_prefix(name): value for name, value in management.initial.items()}
    return data | changes


@pytest.mark.parametrize("size", [1, 8])
def test_the_failed_list_costs_the_same_queries_whatever_its_size(
    client, coordinator, size, django_assert_num_queries
):
    OwedEmailFactory.create_batch(size, failed=True)
    OwedEmailFactory.create_batch(size, status=OwedEmailStatus.SENT)

    # The staff's usual (session, user, second factor, their scope, permissions…), then the
    # page's: the rows with their recipients in one query, the count, the date hierarchy.
    with django_assert_num_queries(10):
        page = client.get(FAILED)

    assert page.status_code == 200
    assert page.context["cl"].result_count == size


def test_the_list_speaks_french_and_says_why_an_email_failed(client, coordinator):
    row = OwedEmailFactory(failed=True)

    html = client.get(FAILED).content.decode()

    for label in ("Objet", "Destinataire", "Statut", "Tentatives", "Dernière erreur"):
        assert label in html
    assert "En échec" in html
    assert row.subject in html
    assert "550 5.1.1" in html
    assert "Renvoyer les e-mails en échec" in html


def test_resending_puts_back_only_the_failed_emails_and_says_so(
    client, coordinator, django_capture_on_commit_callbacks
):
    failed = OwedEmailFactory(failed=True, recipient__email="sophie.lemoine@example.org")
    sent = OwedEmailFactory(status=OwedEmailStatus.SENT, done_at=timezone.now())

    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(
            CHANGELIST, {"action": "resend", "_selected_action": [failed.pk, sent.pk]}, follow=True
        )

    assert [str(message) for message in answer.context["messages"]] == [
        "1 e-mail(s) remis en file d'envoi.",
        "1 e-mail(s) ignoré(s) : seuls les e-mails en échec sont renvoyés.",
    ]
    failed.refresh_from_db()
    sent.refresh_from_db()
    # Sent again at once (tasks run in-process in the tests), the attempts counted anew.
    assert (failed.status, failed.attempts) == (OwedEmailStatus.SENT, 1)
    assert sent.status == OwedEmailStatus.SENT


def test_nobody_adds_changes_or_deletes_an_owed_email_by_hand(client, coordinator):
    row = OwedEmailFactory(failed=True)

    page = client.get(reverse("admin:users_owedemail_change", args=[row.pk]))

    assert page.status_code == 200
    assert not page.context["has_change_permission"]
    assert client.get(reverse("admin:users_owedemail_add")).status_code == 403
    assert client.get(reverse("admin:users_owedemail_delete", args=[row.pk])).status_code == 403
    assert OwedEmail.objects.count() == 1


def test_a_new_address_clears_the_refusal_recorded_for_the_old_one(client, coordinator):
    refused = timezone.now() - datetime.timedelta(days=1)
    user = UserFactory(
        email="yanis.benal@example.org",
        email_refused_at=refused,
        email_refused_reason="550 5.1.1 <destinataire>: adresse inconnue",
    )
    url = reverse("admin:users_user_change", args=[user.pk])
    assert "adresse inconnue" in client.get(url).content.decode()

    answer = client.post(url, change_form_data(client, user, email="yanis.benali@example.org"))

    assert answer.status_code == 302, answer.context["adminform"].form.errors
    user.refresh_from_db()
    assert user.email == "yanis.benali@example.org"
    assert (user.email_refused_at, user.email_refused_reason) == (None, "")


def test_other_changes_keep_the_refusal(client, coordinator):
    refused = timezone.now() - datetime.timedelta(days=1)
    user = UserFactory(email_refused_at=refused, email_refused_reason="550 adresse inconnue")
    url = reverse("admin:users_user_change", args=[user.pk])

    answer = client.post(url, change_form_data(client, user, first_name="Yanis"))

    assert answer.status_code == 302

    user.refresh_from_db()
    assert user.first_name == "Yanis"
    assert user.email_refused_at == refused
