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
