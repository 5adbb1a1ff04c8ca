from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from reminders.enums import ReminderFrequency, ReminderKind, ReminderStatus
from reminders.models import Reminder, ReminderPreference
from tests.users.factories import UserFactory


def sent(user, kind=ReminderKind.MEETING_OVERDUE, period="1", status=ReminderStatus.SENT):
    return Reminder.objects.create(
        kind=kind,
        target="mentorship:1",
        recipient=user,
        recipient_email=user.email,
        period=period,
        status=status,
        sent_at=timezone.now() if status == ReminderStatus.SENT else None,
    )


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["reminders:preferences", "reminders:received"])
def test_the_pages_require_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert reverse("login") in response.url


@pytest.mark.django_db
def test_a_person_chooses_the_frequency_and_is_told_the_essential_ones_are_always_sent(client):
    user = UserFactory()
    client.force_login(user)

    page = client.get(reverse("reminders:preferences")).content.decode()
    assert page.count("<h1") == 1
    assert "Les rappels indispensables arrivent toujours" in page
    assert "Fréquence des rappels facultatifs" in page
    assert 'for="id_frequency_0"' in page

    response = client.post(
        reverse("reminders:preferences"), {"frequency": ReminderFrequency.ESSENTIAL_ONLY}
    )
    assert response.status_code == 302
    assert user.reminder_preference.frequency == ReminderFrequency.ESSENTIAL_ONLY

    client.post(reverse("reminders:preferences"), {"frequency": ReminderFrequency.WEEKLY})
    assert ReminderPreference.objects.get(user=user).frequency == ReminderFrequency.WEEKLY


@pytest.mark.django_db
def test_an_invalid_choice_is_refused(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("reminders:preferences"), {"frequency": "never"})
    assert response.status_code == 200
    assert not ReminderPreference.objects.filter(user=user).exists()


@pytest.mark.django_db
def test_the_received_list_shows_only_what_was_sent_to_me_in_constant_queries(client):
    user = UserFactory()
    client.force_login(user)
    sent(user, period="1")
    sent(user, kind=ReminderKind.LOG_SESSION, period="2", status=ReminderStatus.PENDING)
    sent(UserFactory(), kind=ReminderKind.EVALUATE_SESSION)

    with CaptureQueriesContext(connection) as few:
        page = client.get(reverse("reminders:received")).content.decode()
    assert "Rencontre en retard" in page
    assert "Séance à enregistrer" not in page  # not sent yet
    assert "Séance à évaluer" not in page  # somebody else's
    assert page.count("<h1") == 1

    for period in range(3, 30):
        sent(user, kind=ReminderKind.START_QUESTIONNAIRE, period=str(period))
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("reminders:received"))
    assert len(many) == len(few)


@pytest.mark.django_db
def test_the_admin_lists_reminders_and_resends_failed_ones(admin_client):
    user = UserFactory()
    failed = sent(user, period="1", status=ReminderStatus.FAILED)
    done = sent(user, period="2")
    Reminder.objects.filter(pk=failed.pk).update(last_error="SMTPException: 451")

    changelist = reverse("admin:reminders_reminder_changelist")
    assert admin_client.get(changelist, {"status__exact": "failed"}).status_code == 200
    assert admin_client.get(changelist, {"q": user.email}).status_code == 200
    assert (
        admin_client.get(reverse("admin:reminders_reminder_change", args=[failed.pk])).status_code
        == 200
    )

    with mock.patch("reminders.admin.send_reminder.delay_on_commit") as enqueue:
        response = admin_client.post(
            changelist, {"action": "resend", "_selected_action": [failed.pk, done.pk]}
        )
    assert response.status_code == 302
    enqueue.assert_called_once_with(failed.pk)
    failed.refresh_from_db()
    assert failed.status == ReminderStatus.PENDING
    assert failed.last_error == "SMTPException: 451"  # kept: why it failed before
    done.refresh_from_db()
    assert done.status == ReminderStatus.SENT


@pytest.mark.django_db
def test_the_preference_admin_opens(admin_client):
    ReminderPreference.objects.create(user=UserFactory())
    response = admin_client.get(reverse("admin:reminders_reminderpreference_changelist"))
    assert response.status_code == 200
