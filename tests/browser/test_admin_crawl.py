"""Every admin page a staff role can open passes axe-core with no violation of any impact, on
the staff's screen (1366 px wide), and shows no technical or English label. The pages come
from the access matrix: each URL pattern of the project that the role is allowed to open (a
200 for that role in access_rules.py), filled with the matrix's world, so a new admin page is
crawled as soon as it has its rule."""

import pytest

from tests.mentorat.access_matrix import rule_for, url_for
from tests.mentorat.access_patterns import discover
from tests.mentorat.access_world import ROLES, build_world

from .conftest import accessibility_violations, describe_violation, log_in_to_the_admin

pytestmark = pytest.mark.browser

# Technical or English words that once showed in the admin's French pages.
NOT_FRENCH = ("OTP_TOTP", "AXES", "User :", "Par status", "Vous n'avez pas la permission")

# Downloads and machine-readable answers are not pages a person reads.
NOT_PAGES = ("export", "jsi18n", "autocomplete", "_json", "ics", "qrcode")


def staff_pages(world, role: str) -> list[str]:
    index = ROLES.index(role)
    urls = []
    for route in discover():
        rule = rule_for(route)
        if rule is None or not (route.route.startswith("admin/") or route.name == "landing"):
            continue
        if any(word in (route.name or route.route) for word in NOT_PAGES):
            continue
        if rule.expected()[index] == "200":
            urls.append(url_for(route, rule, world))
    return sorted(set(urls))


@pytest.mark.parametrize("role", ["coordinator", "referent"])
def test_every_admin_page_of_a_staff_role_has_no_accessibility_violation(open_page, role):
    world = build_world()
    page = open_page("staff")
    log_in_to_the_admin(page, world.users[role])
    urls = staff_pages(world, role)
    assert len(urls) > 20, urls

    failures = []
    for url in urls:
        response = page.goto(url)
        assert response.status == 200, f"{url} as {role}: {response.status}"
        text = page.locator("body").inner_text()
        failures += [f"{url} shows « {word} »" for word in NOT_FRENCH if word in text]
        violations = accessibility_violations(page)
        failures += [f"{url}\n{describe_violation(v)}" for v in violations]

    assert not failures, f"{len(failures)} problem(s) as {role}:\n" + "\n".join(failures)
