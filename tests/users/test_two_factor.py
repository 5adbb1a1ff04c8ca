"""The coordinators' second factor: a TOTP code after the password before any staff page."""

import re
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.matching.factories import MentorshipFactory
from tests.users.factories import DEFAULT_PASSWORD, UserFactory
from tests.users.staff import (
    confirmed_device,
    current_code,
    login_staff,
    make_coordinator,
    make_referent,
)

pytestmark = pytest.mark.django_db
ADMIN = reverse("admin:index")
VERIFY = reverse("two_factor_verify")
SETUP = reverse("two_factor_setup")
WRONG_CODE = "000000"


def final_url(response):
    return response.redirect_chain[-1][0] if response.redirect_chain else None


def wrong_code(device):
    return WRONG_CODE if current_code(device) != WRONG_CODE else "111111"


def test_a_coordinator_with_only_the_password_is_sent_to_the_code_page(client):
    client.force_login(make_coordinator())

    response = client.get(ADMIN, follow=True)

    assert final_url(response) == f"{VERIFY}?next=%2Fadmin%2F"
    assert response.status_code == 200
    assert "Code de vérification" in response.content.decode()


@pytest.mark.parametrize("page", ["admin:referent_home", "admin:dashboard"])
def test_no_staff_page_opens_before_the_code(client, page):
    client.force_login(make_coordinator())
    response = client.get(reverse(page), follow=True)
    assert final_url(response).startswith(f"{VERIFY}?next=")


def test_the_password_login_goes_on_to_the_code(client):
    coordinator = make_coordinator(email="camille.martin@example.org")

    response = client.post(
        reverse("login") + "?next=/admin/",
        {"username": coordinator.email, "password": DEFAULT_PASSWORD, "next": "/admin/"},
    )

    assert response.status_code == 302
    assert response.url == f"{VERIFY}?next=%2Fadmin%2F"


def test_the_admin_login_goes_on_to_the_code_too(client):
    coordinator = make_coordinator(email="camille.martin@example.org")

    response = client.post(
        reverse("admin:login") + "?next=/admin/",
        {"username": coordinator.email, "password": DEFAULT_PASSWORD, "next": "/admin/"},
        follow=True,
    )

    assert final_url(response) == f"{VERIFY}?next=%2Fadmin%2F"


def test_a_wrong_code_is_refused_in_french_beside_the_field(client):
    coordinator = make_coordinator()
    client.force_login(coordinator)

    response = client.post(VERIFY, {"code": wrong_code(confirmed_device(coordinator))})

    assert response.status_code == 200
    assert response.context["form"].errors["code"] == [
        "Ce code est incorrect ou a expiré. Saisissez le code affiché en ce moment."
    ]
    page = response.content.decode()
    assert re.search(r'<input[^>]*name="code"[^>]*aria-invalid="true"', page)
    assert client.get(ADMIN).status_code == 302


def test_a_malformed_code_is_explained(client):
    client.force_login(make_coordinator())
    response = client.post(VERIFY, {"code": "12ab"})
    assert response.context["form"].errors["code"] == ["Le code se compose de 6 chiffres."]


def test_the_right_code_opens_the_admin_and_the_pages_asked_for(client):
    coordinator = make_coordinator()
    client.force_login(coordinator)

    response = client.post(
        VERIFY, {"code": current_code(confirmed_device(coordinator)), "next": "/admin/dashboard/"}
    )

    assert response.status_code == 302
    assert response.url == "/admin/dashboard/"
    assert client.get(ADMIN).status_code == 200
    assert client.get(reverse("admin:dashboard")).status_code == 200


def test_codes_are_throttled_after_a_failure(client):
    coordinator = make_coordinator()
    device = confirmed_device(coordinator)
    client.force_login(coordinator)
    client.post(VERIFY, {"code": wrong_code(device)})

    # Even the right code waits: guessing 10^6 codes must take far too long.
    response = client.post(VERIFY, {"code": current_code(device)})

    assert response.context["form"].errors["code"] == [
        "Trop de codes erronés : attendez quelques secondes avant de réessayer."
    ]
    assert client.get(ADMIN).status_code == 302


def test_the_next_page_stays_on_this_site(client):
    coordinator = make_coordinator()
    client.force_login(coordinator)

    response = client.post(
        VERIFY,
        {"code": current_code(confirmed_device(coordinator)), "next": "https://evil.example/"},
    )

    assert response.url == resolve_url(settings.LOGIN_REDIRECT_URL)


def test_with_no_page_asked_for_the_code_leads_where_a_login_leads(client, settings):
    settings.LOGIN_REDIRECT_URL = "admin:dashboard"
    coordinator = make_coordinator()
    client.force_login(coordinator)

    response = client.post(VERIFY, {"code": current_code(confirmed_device(coordinator))})

    assert response.url == reverse("admin:dashboard")


def test_a_coordinator_without_an_app_is_sent_to_enrol_one(client):
    coordinator = make_coordinator()
    TOTPDevice.objects.filter(user=coordinator).delete()
    client.force_login(coordinator)

    response = client.get(ADMIN, follow=True)

    assert final_url(response) == f"{SETUP}?next=%2Fadmin%2F"
    page = response.content.decode()
    assert "Activer la double authentification" in page
    assert 'src="data:image/svg+xml;base64,' in page
    assert response.context["manual_key"] in page


def test_the_enrolment_confirms_the_app_with_a_first_code(client):
    coordinator = make_coordinator()
    TOTPDevice.objects.filter(user=coordinator).delete()
    client.force_login(coordinator)
    client.get(SETUP)
    [pending] = TOTPDevice.objects.filter(user=coordinator)
    assert not pending.confirmed
    # A reload shows the same secret: the QR code already scanned stays valid.
    client.get(SETUP)
    assert TOTPDevice.objects.filter(user=coordinator).count() == 1

    refused = client.post(SETUP, {"code": wrong_code(pending)})
    assert "Ce code est incorrect" in refused.content.decode()
    pending.refresh_from_db()
    assert not pending.confirmed

    pending.throttle_reset()
    response = client.post(SETUP, {"code": current_code(pending), "next": "/admin/"})

    assert response.url == ADMIN
    pending.refresh_from_db()
    assert pending.confirmed
    assert client.get(ADMIN).status_code == 200


def test_a_password_alone_cannot_enrol_another_app(client):
    coordinator = make_coordinator()
    client.force_login(coordinator)

    response = client.get(SETUP)

    assert response.status_code == 302
    assert response.url.startswith(VERIFY)
    assert TOTPDevice.objects.filter(user=coordinator, confirmed=False).count() == 0


def test_the_enrolment_page_puts_no_personal_data_in_any_address(client):
    coordinator = make_coordinator(email="sacha.dupont@example.org")
    TOTPDevice.objects.filter(user=coordinator).delete()
    client.force_login(coordinator)

    response = client.get(ADMIN, follow=True)

    page = response.content.decode()
    addresses = [url for url, _ in response.redirect_chain]
    # The programme's own contacts (footer) are the only mailto: links.
    addresses += [
        url
        for url in re.findall(r'(?:src|href|action)="([^"]*)"', page)
        if not url.startswith("mailto:")
    ]
    assert any(url.startswith("data:image/svg+xml") for url in addresses)
    for address in addresses:
        assert "sacha" not in address.lower()
        # The QR code is drawn here: no image from another site learns the secret.
        assert not address.startswith(("http://", "https://", "//"))
    assert parse_qs(urlsplit(final_url(response)).query)["next"] == ["/admin/"]


def test_a_referent_is_not_asked_for_a_code(client):
    client.force_login(make_referent())
    assert client.get(reverse("admin:referent_home")).status_code == 200


def test_referents_can_be_required_to_give_a_code_too(client, settings):
    settings.OTP_REQUIRED_FOR_REFERENTS = True
    client.force_login(make_referent())

    response = client.get(reverse("admin:referent_home"), follow=True)

    assert response.request["PATH_INFO"] == SETUP


def test_with_the_setting_off_a_coordinator_needs_no_code(client, settings):
    settings.OTP_REQUIRED_FOR_COORDINATORS = False
    client.force_login(make_coordinator())
    assert client.get(ADMIN).status_code == 200


def test_a_verified_coordinator_goes_straight_on(client):
    login_staff(client, make_coordinator())
    response = client.get(VERIFY + "?next=/admin/dashboard/")
    assert response.url == "/admin/dashboard/"


@pytest.mark.parametrize("url", [VERIFY, SETUP])
def test_the_pages_are_for_the_staff_only(client, url):
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404


def test_a_referent_may_enrol_an_app_of_their_own(client):
    referent = make_referent()
    client.force_login(referent)
    client.get(SETUP)
    [pending] = TOTPDevice.objects.filter(user=referent)

    response = client.post(SETUP, {"code": current_code(pending), "next": "/admin/"})

    assert response.url == ADMIN
    pending.refresh_from_db()
    assert pending.confirmed


# The second factor on every page (users/middleware.py): the member pages choose pairs by
# role, so a coordinator's password alone must not reach them either.


def code_page_for(url: str) -> str:
    return f"{VERIFY}?{urlencode({'next': url})}"


@pytest.mark.parametrize(
    "url",
    [
        "/espace/",
        "/",
        "/admin/",
        "/compte/connexion/",
        "/admin/login/?next=/admin/dashboard/",
        "/questionnaires/binome/1/?page=2",
    ],
)
def test_a_coordinator_with_only_the_password_is_sent_to_the_code_from_any_page(client, url):
    client.force_login(make_coordinator())

    response = client.get(url)

    assert response.status_code == 302
    assert response.url == code_page_for(url)


def test_a_coordinator_with_only_the_password_sees_nothing_of_a_pair(client):
    pair = MentorshipFactory(
        active=True,
        mentor__user__last_name="Vasseur-Secret",
        mentee__user__last_name="Ndiaye-Secret",
    )
    client.force_login(make_coordinator())

    response = client.get(reverse("spaces:pair", args=[pair.pk]), follow=True)

    assert final_url(response).startswith(f"{VERIFY}?next=")
    page = response.content.decode()
    assert "Vasseur-Secret" not in page
    assert "Ndiaye-Secret" not in page


def test_a_form_posted_before_the_code_is_not_handled(client):
    client.force_login(make_coordinator())

    response = client.post(reverse("reminders:preferences"), {"meeting_due_soon": "on"})

    assert response.status_code == 302
    assert response.url == code_page_for(resolve_url(settings.LOGIN_REDIRECT_URL))


def test_a_coordinator_without_an_app_is_sent_to_enrol_one_from_a_member_page(client):
    coordinator = make_coordinator()
    TOTPDevice.objects.filter(user=coordinator).delete()
    client.force_login(coordinator)

    response = client.get("/espace/")

    assert response.url == f"{SETUP}?next=%2Fespace%2F"


def test_before_the_code_the_health_check_static_files_and_logout_are_reached(client):
    client.force_login(make_coordinator())

    assert client.get(reverse("health")).status_code == 200
    # No static file is served in the tests: a 404 from the URLconf, not the code page.
    assert client.get(f"{settings.STATIC_URL}css/site.css").status_code == 404
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response.url == resolve_url(settings.LOGOUT_REDIRECT_URL)
    assert "_auth_user_id" not in client.session


def test_after_the_code_the_coordinator_reaches_the_page_asked_for(client):
    coordinator = make_coordinator()
    client.force_login(coordinator)
    code_page = client.get("/espace/").url

    response = client.post(
        code_page, {"code": current_code(confirmed_device(coordinator)), "next": "/espace/"}
    )

    assert response.url == "/espace/"
    assert client.get("/espace/").status_code == 200


def test_a_referent_is_not_redirected_when_their_code_is_not_required(client, settings):
    settings.OTP_REQUIRED_FOR_REFERENTS = False
    client.force_login(make_referent())
    assert client.get("/espace/").status_code == 200
    assert client.get(reverse("home")).status_code == 200


def test_a_referent_is_redirected_when_their_code_is_required(client, settings):
    settings.OTP_REQUIRED_FOR_REFERENTS = True
    referent = make_referent()
    confirmed_device(referent)
    client.force_login(referent)
    assert client.get("/espace/").url == code_page_for("/espace/")


@pytest.mark.parametrize("url", ["/", "/espace/", VERIFY])
def test_a_member_is_never_sent_to_the_code_page(client, url):
    pair = MentorshipFactory(active=True)
    client.force_login(pair.mentor.user)

    response = client.get(url)

    assert response.status_code in (200, 404)


WITHOUT_MIDDLEWARE = [
    name for name in settings.MIDDLEWARE if name != "users.middleware.SecondFactorMiddleware"
]


@pytest.mark.parametrize("middleware", ["with", "without"])
@pytest.mark.parametrize(
    ("who", "queries"),
    [
        # No session cookie: nothing to read.
        ("anonymous", 0),
        # The page reads the session and the user for its menu, middleware or not.
        ("member", 2),
        # The device from the session (django-otp), then the page's menu: the verified
        # coordinator owes no code, which costs no query on the groups.
        ("verified coordinator", 3),
    ],
)
def test_the_middleware_costs_no_query_to_who_owes_no_code(
    settings, django_assert_num_queries, middleware, who, queries
):
    client = Client()
    if who == "member":
        client.force_login(UserFactory())
    elif who == "verified coordinator":
        login_staff(client, make_coordinator())
    if middleware == "without":
        settings.MIDDLEWARE = WITHOUT_MIDDLEWARE

    with django_assert_num_queries(queries):
        assert client.get(reverse("privacy")).status_code == 200


# A lost app: a coordinator removes it in the admin, under its French name.


def test_a_coordinator_removes_a_lost_app_in_the_admin_of_authenticator_devices(client):
    referent = make_referent(first_name="Perrine")
    lost = confirmed_device(referent)
    login_staff(client, make_coordinator())

    listing = client.get(reverse("admin:users_authenticatordevice_changelist"))
    page = client.get(reverse("admin:users_authenticatordevice_delete", args=[lost.pk]))
    response = client.post(
        reverse("admin:users_authenticatordevice_delete", args=[lost.pk]), {"post": "yes"}
    )

    html = listing.content.decode()
    assert "Appareils d&#x27;authentification" in html and "Perrine" in html
    assert "TOTP" not in html + page.content.decode()
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(pk=lost.pk).exists()


def test_coordinators_may_read_and_remove_apps_but_never_add_or_change_one(client):
    coordinator = make_coordinator()
    device = confirmed_device(coordinator)
    login_staff(client, coordinator)

    granted = {
        codename
        for codename in coordinator.groups.values_list("permissions__codename", flat=True)
        if codename and codename.endswith(("authenticatordevice", "totpdevice"))
    }
    assert granted == {"view_authenticatordevice", "delete_authenticatordevice"}
    add = client.get(reverse("admin:users_authenticatordevice_add"))
    change = client.get(reverse("admin:users_authenticatordevice_change", args=[device.pk]))
    assert add.status_code == 403
    # Read-only: no secret, no setting, nothing to save.
    html = change.content.decode()
    assert change.status_code == 200
    assert device.key not in html
    assert 'name="_save"' not in html


def test_the_library_admin_of_devices_and_its_secret_pages_are_gone():
    from django.urls import NoReverseMatch

    for name in ["changelist", "config", "qrcode"]:
        with pytest.raises(NoReverseMatch):
            reverse(f"admin:otp_totp_totpdevice_{name}", args=[] if name == "changelist" else [1])
