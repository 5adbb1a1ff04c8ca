"""A real Chromium, driven by Playwright, against pytest-django's live server; and an axe-core
audit that every page must pass."""

import os
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.users.factories import DEFAULT_PASSWORD
from tests.users.staff import confirmed_device, current_code
from users.two_factor import second_factor_required

CHROMIUM = Path("/usr/bin/chromium")
AXE_SCRIPT = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENS = {
    "desktop": {"viewport": {"width": 1280, "height": 900}},
    # The staff's usual laptop screen.
    "staff": {"viewport": {"width": 1366, "height": 768}},
    # An ordinary recent phone: young people mostly register from one.
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
}
# The WCAG 2.1 A and AA rules: what French public-service accessibility (RGAA) builds on.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# Every impact fails a page: a "minor" violation still shuts somebody out.
BLOCKING_IMPACTS = {"minor", "moderate", "serious", "critical"}
ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"


def pytest_collection_modifyitems(items):
    # Once started, the session's browser keeps Playwright's asyncio loop running in the main
    # thread until the end of the run; every test after the first browser test runs beside
    # it. Running the browser tests last keeps the other tests out of that loop.
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium).")
    if not AXE_SCRIPT.exists():
        pytest.skip(f"axe-core is missing at {AXE_SCRIPT} (run npm ci).")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an asyncio loop running in the test thread, and Django then
    # refuses ORM calls from that thread (test data, the database flush between tests) unless
    # allowed. Set only while the browser runs: a process-wide setting would leak into the
    # subprocesses other tests start, where `check --deploy` rightly rejects it.
    previous = os.environ.get(ASYNC_UNSAFE)
    os.environ[ASYNC_UNSAFE] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
            )
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            del os.environ[ASYNC_UNSAFE]
        else:
            os.environ[ASYNC_UNSAFE] = previous


@pytest.fixture
def open_page(browser, live_server):
    """Opens a page on the live server in a fresh browser context (no cookies shared between
    tests), on one of SCREENS, in French and on Paris time like the people who use the site."""
    contexts = []

    def open_page(screen="desktop"):
        context = browser.new_context(
            base_url=live_server.url, locale="fr-FR", timezone_id="Europe/Paris", **SCREENS[screen]
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(open_page):
    return open_page()


@pytest.fixture
def phone_page(open_page):
    return open_page("phone")


def load_axe(page):
    """axe-core in the page. Not as a <script> tag: the Content-Security-Policy rightly blocks
    that inline script; Playwright's evaluation is the browser's own and is not subject to it."""
    page.evaluate(AXE_SCRIPT.read_text(encoding="utf-8"))


def accessibility_violations(page) -> list[dict]:
    """axe-core's WCAG 2.1 AA violations of the page as it is now, whatever their impact."""
    # A locator-less audit of a half-loaded page would pass on an empty document.
    page.wait_for_load_state("load")
    load_axe(page)
    return page.evaluate(
        """tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})
            .then(results => results.violations)""",
        AXE_TAGS,
    )


def assert_no_accessibility_violations(page):
    """Run axe-core on the page as it is now and fail on any WCAG 2.1 AA violation, whatever
    its impact, naming each rule and the elements it found."""
    blocking = [v for v in accessibility_violations(page) if v["impact"] in BLOCKING_IMPACTS]
    if blocking:
        pytest.fail(
            f"axe found {len(blocking)} violation(s) on {page.url}:\n"
            + "\n".join(describe_violation(v) for v in blocking),
            pytrace=False,
        )


def describe_violation(violation):
    lines = [f"- {violation['id']} ({violation['impact']}): {violation['help']}"]
    for node in violation["nodes"]:
        # axe's own check message carries the measured values (contrast ratio, colours…).
        checks = node["any"] or node["all"] or node["none"]
        detail = f" — {checks[0]['message']}" if checks else ""
        lines.append(f"    {' '.join(map(str, node['target']))}{detail}")
    return "\n".join(lines)


@pytest.fixture
def assert_accessible():
    return assert_no_accessibility_violations


def log_in_to_the_admin(page, user):
    """The admin's login form, then, where it is required, the second factor's code."""
    device = confirmed_device(user) if second_factor_required(user) else None
    page.goto(reverse("admin:login"))
    page.get_by_label("Adresse e-mail").fill(user.email)
    page.get_by_label("Mot de passe").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    if device is not None:
        page.get_by_label("Code à 6 chiffres").fill(current_code(device))
        page.get_by_role("button", name="Valider").click()
    expect(page.get_by_role("button", name="Déconnexion")).to_be_visible()
