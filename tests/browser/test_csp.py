"""The Content-Security-Policy, in a real browser: every page runs under it without a single
violation, and the admin's scripts (actions, autocomplete) still work."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.conftest import log_in_to_the_admin
from tests.browser.test_matching_pages import log_in
from tests.matching.factories import MentorshipFactory
from tests.sessions.factories import SessionFactory
from tests.users.factories import DEFAULT_PASSWORD, UserFactory
from tests.users.staff import make_coordinator

pytestmark = pytest.mark.browser

# Injected by Playwright before the page's own scripts, and not subject to the page's policy:
# it records every violation the browser reports, whatever blocked element caused it.
RECORD_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}`);
});
"""


class Violations:
    """What the browser reported on the pages of one test: the event above, read from each
    page before leaving it, and Chromium's own console messages across navigations."""

    def __init__(self, page):
        self.page = page
        self.console = []
        page.add_init_script(RECORD_VIOLATIONS)
        page.on(
            "console",
            lambda message: (
                "Content Security Policy" in message.text and self.console.append(message.text)
            ),
        )

    def visit(self, url):
        response = self.page.goto(url)
        self.page.wait_for_load_state("load")
        return response

    def on_this_page(self):
        return self.page.evaluate("window.cspViolations")

    def assert_none(self, url):
        response = self.visit(url)
        assert response.status == 200, url
        policy = response.headers.get("content-security-policy", "")
        assert "script-src 'self'" in policy, url
        assert self.on_this_page() == [], url
        assert self.console == [], url


@pytest.fixture
def violations(page):
    return Violations(page)


def test_the_detector_sees_a_blocked_inline_script(violations, live_server):
    # The proof that an empty list below means something: an inline script is reported.
    violations.visit(reverse("home"))
    violations.page.evaluate(
        """() => {
            const script = document.createElement("script");
            script.textContent = "window.ranInline = true";
            document.body.append(script);
        }"""
    )
    violations.page.wait_for_function("window.cspViolations.length > 0")
    assert violations.page.evaluate("window.ranInline") is None
    assert "script-src" in violations.on_this_page()[0]


@pytest.mark.parametrize(
    "name",
    ["home", "privacy", "mentors:register", "mentees:register", "login", "password_reset"],
)
def test_the_public_pages_break_no_rule(violations, name):
    violations.assert_none(reverse(name))


def test_a_mentors_space_breaks_no_rule(violations):
    pair = MentorshipFactory(active=True)
    SessionFactory(mentorship=pair)
    log_in(violations.page, pair.mentor.user)

    violations.assert_none(reverse("spaces:home"))
    violations.assert_none(reverse("spaces:pair", args=[pair.pk]))


def test_the_admin_pages_break_no_rule_and_their_scripts_still_run(violations):
    coordinator = make_coordinator(email="camille.admin@example.org", is_superuser=True)
    pair = MentorshipFactory(active=True)
    SessionFactory.create_batch(2, mentorship=pair)
    page = violations.page
    # The password and then the code page, under the policy too.
    log_in_to_the_admin(page, coordinator)
    assert violations.on_this_page() == []

    for url in [
        reverse("admin:index"),
        reverse("admin:referent_home"),
        reverse("admin:dashboard"),
        reverse("admin:mentoring_sessions_session_change", args=[pair.sessions.first().pk]),
    ]:
        violations.assert_none(url)

    # The changelist's "select all" box is the admin's actions.js at work.
    violations.assert_none(reverse("admin:mentoring_sessions_session_changelist"))
    page.locator("#action-toggle").check()
    expect(page.locator("input.action-select:checked")).to_have_count(2)
    expect(page.locator(".action-counter")).to_contain_text("2 sur 2")

    # The autocomplete widget is select2 (jQuery): it opens and searches.
    UserFactory(first_name="Yanis", last_name="Autocomplete", email="yanis.a@example.org")
    violations.assert_none(reverse("admin:reminders_reminderpreference_add"))
    page.locator(".select2-selection").first.click()
    page.locator(".select2-search__field").fill("Autocomplete")
    expect(page.locator(".select2-results__option")).to_contain_text(["Yanis Autocomplete"])
    assert violations.on_this_page() == []
    assert violations.console == []


def test_the_second_factor_pages_break_no_rule_and_show_the_qr_code(violations, assert_accessible):
    coordinator = UserFactory(email="sacha.dupont@example.org", coordinator=True)
    page = violations.page
    page.goto(reverse("login"))
    page.get_by_label("Adresse e-mail").fill(coordinator.email)
    page.get_by_label("Mot de passe").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Activer la double authentification")
    qr_code = page.get_by_role("img", name="QR code à scanner avec votre application")
    expect(qr_code).to_be_visible()
    assert qr_code.evaluate("image => image.naturalWidth") > 0
    assert violations.on_this_page() == []
    assert_accessible(page)

    page.get_by_role("button", name="Activer").click()
    expect(page.get_by_text("Saisissez le code à 6 chiffres affiché")).to_be_visible()
    assert_accessible(page)
    assert violations.console == []
