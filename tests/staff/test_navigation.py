"""The back office's navigation: in the header, each role's own pages (the current one
marked); on the admin index, what the role works with, the technical models in one French
section for whoever may see them, and never Django's « no permission » message to a
référent."""

import re
from html import unescape

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.urls import reverse

from mentorat.admin_site import TECHNICAL_TITLE
from mentorat.staff.navigation import staff_nav, staff_roles
from tests.users.factories import UserFactory
from tests.users.staff import login_staff, make_coordinator, make_referent, staff_groups

pytestmark = pytest.mark.django_db

INDEX = reverse("admin:index")
NO_PERMISSION = "Vous n’avez pas la permission"


def nav_links(html: str) -> list[tuple[str, str, bool]]:
    """(label, url, current) of each link of the staff's navigation."""
    nav = re.search(r'<nav class="staff-nav" aria-label="[^"]+">(.*?)</nav>', html, re.S)
    if nav is None:
        return []
    return [
        (label, url.replace("&amp;", "&"), bool(current))
        for url, current, label in re.findall(
            r'<a href="([^"]+)"( aria-current="page")?>([^<]+)</a>', nav.group(1)
        )
    ]


def section_names(html: str) -> list[str]:
    return [
        unescape(name)
        for name in re.findall(r'<a href="[^"]+" class="section" title="[^"]*">([^<]+)</a>', html)
    ]


@pytest.fixture
def coordinator(client):
    return login_staff(client, make_coordinator())


@pytest.fixture
def referent(client):
    user = make_referent()
    login_staff(client, user)
    return user


def test_a_coordinator_has_their_pages_in_the_header_the_current_one_marked(client, coordinator):
    html = client.get(reverse("admin:staff_home")).content.decode()

    links = nav_links(html)
    assert [label for label, _, _ in links] == [
        "Accueil",
        "Tableau de bord",
        "Bilan",
        "Appariement par lot",
        "Jeunes à examiner",
        "Mentors à examiner",
        "Formations",
        "Exports",
    ]
    assert [label for label, _, current in links if current] == ["Accueil"]
    urls = {label: url for label, url, _ in links}
    assert urls["Tableau de bord"] == reverse("admin:dashboard")
    assert urls["Bilan"] == reverse("admin:bilan")
    assert urls["Appariement par lot"] == reverse("admin:matching_matchingbatch_start")
    assert urls["Jeunes à examiner"] == (
        reverse("admin:mentees_mentee_changelist") + "?a_examiner=oui"
    )
    assert urls["Formations"] == reverse("admin:mentors_trainingsession_changelist")
    assert urls["Exports"] == reverse("admin:dashboard") + "#exports"
    assert 'aria-label="Pages de la coordination"' in html


def test_the_dashboards_export_section_is_where_the_link_leads(client, coordinator):
    html = client.get(reverse("admin:dashboard")).content.decode()

    assert 'id="exports"' in html
    assert [label for label, _, current in nav_links(html) if current] == ["Tableau de bord"]


def test_a_filtered_list_marks_its_link(client, coordinator):
    url = reverse("admin:mentors_mentor_changelist")

    assert [label for label, _, c in nav_links(client.get(url).content.decode()) if c] == []
    filtered = client.get(url, {"a_examiner": "oui", "o": "3"}).content.decode()
    assert [label for label, _, current in nav_links(filtered) if current] == ["Mentors à examiner"]


def test_a_coordinator_who_is_also_a_referent_has_their_follow_up_too(client):
    user = make_coordinator()
    user.groups.add(staff_groups()[1])
    login_staff(client, user)

    labels = [label for label, _, _ in nav_links(client.get(INDEX).content.decode())]

    assert "Mon suivi de référent" in labels


def test_a_referent_has_their_pages_in_the_header(client, referent):
    html = client.get(reverse("admin:referent_home")).content.decode()

    links = nav_links(html)
    assert [label for label, _, _ in links] == [
        "Mon suivi",
        "Mes binômes",
        "Mes séances à suivre",
        "Exports",
    ]
    assert [label for label, _, current in links if current] == ["Mon suivi"]
    urls = {label: url for label, url, _ in links}
    assert urls["Mes binômes"] == reverse("admin:matching_mentorship_changelist")
    assert urls["Exports"] == reverse("admin:referent_home") + "#exports"
    assert 'aria-label="Pages du référent"' in html
    assert f'href="{reverse("admin:dashboard")}"' not in html
    assert f'href="{reverse("admin:staff_home")}"' not in html


def test_each_referent_link_opens(client, referent):
    html = client.get(INDEX).content.decode()

    for label, url, _ in nav_links(html):
        page = client.get(url)
        assert page.status_code == 200, label
    sessions = reverse("admin:mentoring_sessions_session_changelist")
    queue = client.get(f"{sessions}?suivi=attente&o=2")
    assert [label for label, _, c in nav_links(queue.content.decode()) if c] == [
        "Mes séances à suivre"
    ]


def test_staff_with_no_role_have_no_navigation_and_a_word_on_what_to_do(client):
    login_staff(client, UserFactory(staff=True))

    html = client.get(INDEX).content.decode()

    assert nav_links(html) == []
    assert NO_PERMISSION not in html
    assert "demandez à la coordination" in html


def test_the_roles_cost_one_query_per_request_and_none_for_a_superuser(
    django_assert_num_queries,
):
    request = RequestFactory().get(INDEX)
    request.user = make_referent()
    with django_assert_num_queries(1):
        assert staff_roles(request).referent
        staff_nav(request)
        staff_nav(request)

    request = RequestFactory().get(INDEX)
    request.user = UserFactory(staff=True, is_superuser=True)
    with django_assert_num_queries(0):
        assert staff_roles(request).coordinator
        assert staff_nav(request)

    request = RequestFactory().get(INDEX)
    request.user = AnonymousUser()
    with django_assert_num_queries(0):
        assert staff_nav(request) == []


# The admin index


def test_a_referent_sees_only_what_they_work_with(client, referent):
    html = client.get(INDEX).content.decode()

    assert NO_PERMISSION not in html
    assert reverse("admin:referent_home") in html  # their home, in a sentence
    for name in [
        "matching_mentorship",
        "mentoring_sessions_session",
        "mentors_mentor",
        "mentees_mentee",
        "evaluations_response",
        "mentors_exchange",
    ]:
        assert reverse(f"admin:{name}_changelist") in html, name
    for name in ["evaluations_questionnaire", "mentoring_sessions_plannedmeeting"]:
        assert reverse(f"admin:{name}_changelist") not in html, name
    assert TECHNICAL_TITLE not in html


def test_a_coordinator_finds_the_staff_home_and_the_technical_models_they_may_use(
    client, coordinator
):
    html = client.get(INDEX).content.decode()

    assert 'class="staff-shortcut"><a href="{}"'.format(reverse("admin:staff_home")) in html
    names = section_names(html)
    assert names[:3] == ["Jeunes", "Mentors", "Binômes"]
    # Unlocking an account and removing a lost app are theirs (users/0004); the groups and
    # the login journal are not.
    assert names[-1] == TECHNICAL_TITLE
    assert reverse("admin:axes_accessattempt_changelist") in html
    assert reverse("admin:users_authenticatordevice_changelist") in html
    assert reverse("admin:auth_group_changelist") not in html
    assert reverse("admin:axes_accesslog_changelist") not in html
    assert not {"Axes", "Otp_Totp"} & set(names)


def test_a_superuser_finds_the_technical_models_in_one_french_section_last(admin_client):
    html = admin_client.get(INDEX).content.decode()

    names = section_names(html)
    assert names[-1] == TECHNICAL_TITLE
    assert not {"Axes", "Otp_Totp", "Authentification et autorisation"} & set(names)
    technical = ["axes_accessattempt", "axes_accesslog", "users_authenticatordevice", "auth_group"]
    for model in technical:
        assert reverse(f"admin:{model}_changelist") in html, model
    assert "Appareils d'authentification" in unescape(html)
    # The RGPD traces have their own section, not the technical one.
    assert reverse("admin:privacy_erasurerecord_changelist") in html


@pytest.mark.parametrize("app_label", ["technique", "axes", "auth", "users"])
def test_the_technical_sections_page_opens_for_a_superuser(admin_client, app_label):
    url = (
        reverse("admin:technical_index")
        if app_label == "technique"
        else reverse("admin:app_list", args=[app_label])
    )

    page = admin_client.get(url)

    assert page.status_code == 200
    assert TECHNICAL_TITLE in unescape(page.content.decode())


def test_the_technical_sections_page_is_a_404_for_a_referent(client, referent):
    assert client.get(reverse("admin:technical_index")).status_code == 404


def test_a_programme_sections_page_still_opens(admin_client):
    page = admin_client.get(reverse("admin:app_list", args=["matching"]))

    assert page.status_code == 200
    assert [app["app_label"] for app in page.context["app_list"]] == ["matching"]
