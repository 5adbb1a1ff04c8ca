"""After the login form (and the code, for a coordinator) everybody lands on their own page:
the coordinator on the staff home, the référent on their follow-up, the others on their
space. A page asked for on this site wins; one elsewhere is ignored."""

from urllib.parse import urlencode

import pytest
from django.urls import reverse

from tests.matching.factories import MentorshipFactory
from tests.users.factories import DEFAULT_PASSWORD, UserFactory
from tests.users.staff import confirmed_device, current_code, make_coordinator, make_referent

pytestmark = pytest.mark.django_db

LOGIN = reverse("login")
LANDING = reverse("landing")
VERIFY = reverse("two_factor_verify")


def log_in(client, user, next_url=None):
    """The login form as a person fills it; the redirects followed to the end."""
    data = {"username": user.email, "password": DEFAULT_PASSWORD}
    url = LOGIN
    if next_url is not None:
        data["next"] = next_url
        url += "?" + urlencode({"next": next_url})
    return client.post(url, data, follow=True)


def landed_on(response) -> str:
    return response.redirect_chain[-1][0]


def test_a_coordinator_lands_on_the_staff_home_after_the_code(client):
    coordinator = make_coordinator()

    response = log_in(client, coordinator)

    assert landed_on(response) == f"{VERIFY}?{urlencode({'next': LANDING})}"
    response = client.post(
        landed_on(response), {"code": current_code(confirmed_device(coordinator))}, follow=True
    )
    assert landed_on(response) == reverse("admin:staff_home")
    assert response.status_code == 200
    assert "Que faire maintenant" in response.content.decode()


def test_a_referent_lands_on_their_follow_up(client):
    response = log_in(client, make_referent())

    assert landed_on(response) == reverse("admin:referent_home")
    assert response.status_code == 200


@pytest.mark.parametrize("side", ["mentor", "mentee"])
def test_a_member_lands_on_their_space(client, side):
    member = getattr(MentorshipFactory(active=True), side).user

    response = log_in(client, member)

    assert landed_on(response) == reverse("spaces:home")
    assert response.status_code == 200


def test_staff_with_no_role_land_on_the_space_page(client):
    response = log_in(client, UserFactory(staff=True))

    assert landed_on(response) == reverse("spaces:home")


def test_a_page_asked_for_on_this_site_wins(client):
    wanted = reverse("admin:matching_mentorship_changelist")

    response = log_in(client, make_referent(), next_url=wanted)

    assert landed_on(response) == wanted
    assert response.status_code == 200


def test_a_page_elsewhere_is_ignored(client):
    member = MentorshipFactory(active=True).mentee.user

    response = log_in(client, member, next_url="https://evil.example/")

    assert landed_on(response) == reverse("spaces:home")
    assert all("evil.example" not in url for url, _ in response.redirect_chain)


def test_the_landing_needs_a_login(client):
    response = client.get(LANDING)

    assert response.status_code == 302
    assert response.url.startswith(LOGIN)
