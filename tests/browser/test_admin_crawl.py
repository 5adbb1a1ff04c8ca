"""Every admin page a staff role can open passes axe-core with no violation of any impact, on
the staff's screen (1366 px wide), and shows no technical or English label. The pages come
from the access matrix: each URL pattern of the project that the role is allowed to open (a
200 for that role in access_rules.py), filled with the matrix's world, so a new admin page is
crawled as soon as it has its rule. A superuser's, whom the matrix does not list, are those
of its admin patterns that answer them a 200: groups, login journals and the like."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.mentorat.access_matrix import rule_for, url_for
from tests.mentorat.access_patterns import discover
from tests.mentorat.access_world import ROLES, build_world
from tests.users.factories import UserFactory
from tests.users.staff import login_staff

from .conftest import accessibility_violations, describe_violation, log_in_to_the_admin

pytestmark = pytest.mark.browser

# Technical or English words that once showed in the admin's French pages.
NOT_FRENCH = (
    "OTP_TOTP",
    "TOTP",
    "AXES",
    "User :",
    "Par status",
    "Vous n'avez pas la permission",
    # The groups' permissions, as Django names them.
    "Can add",
    "Can view",
    "historical",
)
# What HTML forbids and axe does not look for: a list shown on no line at all.
INVALID_HTML = {'select[size="0"]': 'a list with size="0"'}

# Downloads and machine-readable answers are not pages a person reads.
NOT_PAGES = ("export", "jsi18n", "autocomplete", "_json", "ics", "qrcode")


def admin_routes(world):
    """The admin's pages with their rule, filled with the world's objects."""
    for route in discover():
        rule = rule_for(route)
        if rule is None or not (route.route.startswith("admin/") or route.name == "landing"):
            continue
        if any(word in (route.name or route.route) for word in NOT_PAGES):
            continue
        yield route, rule, url_for(route, rule, world)


def staff_pages(world, role: str) -> list[str]:
    index = ROLES.index(role)
    return sorted({url for _, rule, url in admin_routes(world) if rule.expected()[index] == "200"})


def audit(page, urls: list[str], who: str) -> list[str]:
    failures = []
    for url in urls:
        response = page.goto(url)
        assert response.status == 200, f"{url} as {who}: {response.status}"
        text = page.locator("body").inner_text()
        failures += [f"{url} shows « {word} »" for word in NOT_FRENCH if word in text]
        failures += [
            f"{url} has {what}"
            for selector, what in INVALID_HTML.items()
            if page.locator(selector).count()
        ]
        violations = accessibility_violations(page)
        failures += [f"{url}\n{describe_violation(v)}" for v in violations]
    return failures


@pytest.mark.parametrize("role", ["coordinator", "referent", "antenne_coordinator"])
def test_every_admin_page_of_a_staff_role_has_no_accessibility_violation(open_page, role):
    world = build_world()
    page = open_page("staff")
    log_in_to_the_admin(page, world.users[role])
    urls = staff_pages(world, role)
    assert len(urls) > 20, urls

    failures = audit(page, urls, role)

    assert not failures, f"{len(failures)} problem(s) as {role}:\n" + "\n".join(failures)


def superuser_pages(world, client) -> list[str]:
    """Every admin page the matrix knows that a superuser opens: those of no staff role too
    (groups, login journals, the authenticator apps' pages…)."""
    return sorted({url for _, _, url in admin_routes(world) if client.get(url).status_code == 200})


def test_every_admin_page_of_a_superuser_has_no_accessibility_violation(open_page):
    world = build_world()
    superuser = UserFactory(superuser=True, first_name="Sacha")
    page = open_page("staff")
    log_in_to_the_admin(page, superuser)
    urls = superuser_pages(world, login_staff(Client(), superuser))
    coordinator = set(staff_pages(world, "coordinator"))
    # The pages no staff role opens: the groups' (listed, added, changed) among them.
    assert {reverse("admin:auth_group_add"), reverse("admin:auth_group_changelist")} <= set(urls)
    assert len(set(urls) - coordinator) > 10, sorted(set(urls) - coordinator)

    failures = audit(page, urls, "superuser")

    assert not failures, f"{len(failures)} problem(s) as superuser:\n" + "\n".join(failures)
