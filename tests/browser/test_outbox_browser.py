"""The failed e-mails, in a real browser, by clicking only: a coordinator goes from the staff
home to « e-mails non distribués », reads why, and sends them again. Every page passes
axe-core's WCAG 2.1 AA audit."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_staff_journeys import Walk
from tests.users.factories import OwedEmailFactory, UserFactory
from tests.users.staff import confirmed_device, make_coordinator
from users.enums import OwedEmailStatus

pytestmark = pytest.mark.browser


def test_a_coordinator_resends_a_failed_email_from_the_staff_home(open_page):
    coordinator = make_coordinator(first_name="Camille")
    row = OwedEmailFactory(
        failed=True, recipient=UserFactory(first_name="Karim", last_name="Refusé", staff=True)
    )
    walk = Walk(open_page("staff"))

    walk.log_in(coordinator, code_of=confirmed_device(coordinator))

    walk.check("Que faire maintenant")
    walk.click("1 e-mail non distribué")
    page = walk.page
    expect(page.get_by_text("adresse inconnue").first).to_be_visible()
    page.get_by_role("row").filter(has_text="Refusé").get_by_role("checkbox").check()
    page.get_by_role("combobox", name="Action").select_option(label="Renvoyer les e-mails en échec")
    walk.click("Envoyer", role="button")

    expect(page.locator(".messagelist")).to_be_visible()
    row.refresh_from_db()
    # Back in the queue (sent at once where tasks run in the web process).
    assert row.status != OwedEmailStatus.FAILED
    assert row.status in (OwedEmailStatus.PENDING, OwedEmailStatus.SENT)
