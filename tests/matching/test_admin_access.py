"""Every matching page of the admin is for staff with the right permission, and an unknown id
is a 404, never a crash nor someone else's page."""

import pytest
from django.urls import reverse

from matching.models import MatchingBatch, Mentorship
from tests.matching.factories import MentorshipFactory
from tests.mentees.factories import MenteeFactory
from tests.mentors.factories import MentorFactory
from tests.users.factories import UserFactory

pytestmark = pytest.mark.django_db

UNKNOWN = 999_999
# (url name, method, posted data): every custom admin URL that takes an id.
WITH_ID = [
    pytest.param("admin:mentees_mentee_propose", "post", {"mentor": 1}, id="propose-mentee"),
    pytest.param("admin:mentors_mentor_propose", "post", {"mentee": 1}, id="propose-mentor"),
    pytest.param("admin:matching_mentorship_activate", "get", {}, id="activate-get"),
    pytest.param(
        "admin:matching_mentorship_activate",
        "post",
        {"started_on": "2026-01-05"},
        id="activate-post",
    ),
    pytest.param("admin:matching_matchingbatch_result", "get", {}, id="batch-result"),
    pytest.param("admin:matching_matchingbatch_confirm", "post", {"pair": "1-1"}, id="confirm"),
    pytest.param("admin:matching_matchingbatch_change", "get", {}, id="batch-change"),
]


@pytest.fixture
def existing(admin_user):
    """One existing object per URL, for the access tests (the 404 tests use unknown ids)."""
    mentorship = MentorshipFactory()
    return {
        "admin:mentees_mentee_propose": MenteeFactory(approved=True).pk,
        "admin:mentors_mentor_propose": MentorFactory(approved=True).pk,
        "admin:matching_mentorship_activate": mentorship.pk,
        "admin:matching_matchingbatch_result": MatchingBatch.objects.create(
            created_by=admin_user
        ).pk,
        "admin:matching_matchingbatch_confirm": MatchingBatch.objects.create(
            created_by=admin_user
        ).pk,
        "admin:matching_matchingbatch_change": MatchingBatch.objects.create(
            created_by=admin_user
        ).pk,
    }


def request(client, method, url, data):
    return getattr(client, method)(url, data)


@pytest.mark.parametrize(("url_name", "method", "data"), WITH_ID)
def test_an_unknown_id_is_a_404(admin_client, url_name, method, data):
    response = request(admin_client, method, reverse(url_name, args=[UNKNOWN]), data)
    assert response.status_code == 404


@pytest.mark.parametrize(("url_name", "method", "data"), WITH_ID)
def test_a_member_who_is_not_staff_is_sent_to_the_admin_login(
    client, existing, url_name, method, data
):
    client.force_login(UserFactory())
    url = reverse(url_name, args=[existing[url_name]])

    response = request(client, method, url, data)

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))
    assert not Mentorship.objects.exclude(status="proposed").exists()
    assert Mentorship.objects.count() == 1


@pytest.mark.parametrize("method", ["get", "post"])
def test_the_batch_start_is_for_staff_only(client, method):
    client.force_login(UserFactory())

    response = request(client, method, reverse("admin:matching_matchingbatch_start"), {})

    assert response.url.startswith(reverse("admin:login"))
    assert not MatchingBatch.objects.exists()


def test_an_anonymous_visitor_is_sent_to_the_admin_login(client, existing):
    url_name = "admin:matching_matchingbatch_result"
    url = reverse(url_name, args=[existing[url_name]])
    response = client.get(url)
    assert response.url.startswith(reverse("admin:login"))


@pytest.mark.parametrize(("url_name", "method", "data"), WITH_ID[:-1])
def test_staff_without_the_matching_permissions_are_refused(
    client, existing, url_name, method, data
):
    client.force_login(UserFactory(staff=True))
    url = reverse(url_name, args=[existing[url_name]])

    response = request(client, method, url, data)

    assert response.status_code == 403
    assert Mentorship.objects.count() == 1


def test_staff_without_the_matching_permission_cannot_start_a_batch(client):
    client.force_login(UserFactory(staff=True))

    response = client.post(reverse("admin:matching_matchingbatch_start"))

    assert response.status_code == 403
    assert not MatchingBatch.objects.exists()
