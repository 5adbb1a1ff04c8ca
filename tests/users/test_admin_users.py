import pytest
from django.urls import reverse

from tests.users.factories import UserFactory
from users.models import User

pytestmark = pytest.mark.django_db


def test_a_coordinator_creates_an_account_by_email(admin_client):
    response = admin_client.post(
        reverse("admin:users_user_add"),
        {
            "email": "nouvelle.referente@example.org",
            "first_name": "Aïcha",
            "last_name": "Diallo",
            "usable_password": "false",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    user = User.objects.get(email="nouvelle.referente@example.org")
    assert not user.has_usable_password()


def test_the_account_pages_open(admin_client):
    user = UserFactory()
    assert admin_client.get(reverse("admin:users_user_changelist")).status_code == 200
    assert admin_client.get(reverse("admin:users_user_change", args=[user.pk])).status_code == 200


@pytest.mark.parametrize(
    "name",
    [
        "admin:users_consent_changelist",
        "admin:mentors_mentor_changelist",
        "admin:mentees_mentee_changelist",
    ],
)
def test_the_screening_lists_open_for_a_coordinator(admin_client, name):
    assert admin_client.get(reverse(name)).status_code == 200


def test_a_registration_history_page_opens(admin_client):
    from tests.mentors.factories import MentorFactory

    mentor = MentorFactory()
    response = admin_client.get(reverse("admin:mentors_mentor_history", args=[mentor.pk]))
    assert response.status_code == 200


def test_a_coordinator_creates_a_referent_who_is_emailed_a_link_to_choose_a_password(
    admin_client, django_capture_on_commit_callbacks
):
    from django.core import mail

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:users_user_add"),
            {
                "email": "referente@example.org",
                "first_name": "Inès",
                "last_name": "Moreau",
                "role": "referent",
                "usable_password": "false",
            },
        )

    assert response.status_code == 302
    user = User.objects.get(email="referente@example.org")
    assert user.is_staff and not user.is_superuser
    assert list(user.groups.values_list("name", flat=True)) == ["référents"]
    [message] = mail.outbox
    assert message.to == ["referente@example.org"]
    assert "Inès" not in message.subject
    assert "/compte/mot-de-passe/choisir/" in message.body


def test_an_account_created_without_a_role_is_not_staff_and_gets_no_invitation(
    admin_client, django_capture_on_commit_callbacks
):
    from django.core import mail

    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            reverse("admin:users_user_add"),
            {
                "email": "simple@example.org",
                "first_name": "A",
                "last_name": "B",
                "usable_password": "false",
            },
        )

    assert not User.objects.get(email="simple@example.org").is_staff
    assert mail.outbox == []
