"""A coordinator matches a young person in the admin, in a real browser: logs in, opens the
young person's page, reads the suggestions and proposes the best mentor in one click."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from matching.enums import MentorshipStatus
from matching.models import Mentorship
from tests.browser.conftest import (
    AXE_TAGS,
    BLOCKING_IMPACTS,
    describe_violation,
    load_axe,
    log_in_to_the_admin,
)
from tests.mentees.factories import MenteeFactory
from tests.mentors.factories import MentorFactory
from tests.users.factories import UserFactory
from users.enums import MeetingMode

pytestmark = pytest.mark.browser


def assert_section_accessible(page, selector):
    """axe-core's WCAG 2.1 AA audit of one part of the page. The admin's own breadcrumbs fail
    `link-in-text-block` (white links in light-blue text, not underlined): a Django admin
    style, not this page's, so only the matching tools are audited here."""
    page.wait_for_load_state("load")
    load_axe(page)
    violations = page.evaluate(
        """([selector, tags]) => axe.run({include: [selector]},
            {runOnly: {type: 'tag', values: tags}}).then(results => results.violations)""",
        [selector, AXE_TAGS],
    )
    blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
    assert not blocking, "\n".join(describe_violation(v) for v in blocking)


def test_a_coordinator_proposes_the_best_mentor_from_a_young_persons_page(page, mailoutbox):
    coordinator = UserFactory(coordinator=True, first_name="Camille", last_name="Martin")
    mentee = MenteeFactory(
        approved=True, postal_code="93200", user__first_name="Yanis", user__last_name="Benali"
    )
    best = MentorFactory(
        approved=True,
        postal_code="93200",
        user__first_name="Sophie",
        user__last_name="Lemoine",
        employer="Orange",
    )
    # Remote only, from Lyon: a weaker match, listed second.
    MentorFactory(approved=True, postal_code="69003", meeting_mode=MeetingMode.REMOTE)

    log_in_to_the_admin(page, coordinator)
    page.goto(reverse("admin:mentees_mentee_change", args=[mentee.pk]))

    suggestions = page.get_by_role("table", name="Les 2 mentors les plus compatibles")
    expect(suggestions).to_be_visible()
    first = suggestions.get_by_role("row").nth(1)
    expect(first.get_by_role("rowheader")).to_contain_text("Sophie Lemoine")
    expect(first).to_contain_text("même département (93)")
    expect(first).to_contain_text("/100")
    expect(first).to_contain_text("2 sur 2")

    first.get_by_role("button", name="Proposer le binôme avec Sophie Lemoine").click()

    expect(page.locator(".messagelist")).to_contain_text(
        "Binôme proposé : Sophie Lemoine et Yanis Benali"
    )
    mentorship = Mentorship.objects.get()
    assert (mentorship.mentee, mentorship.mentor) == (mentee, best)
    assert mentorship.status == MentorshipStatus.PROPOSED
    assert mentorship.proposed_by == coordinator
    assert len(mailoutbox) == 2
    # Back on the page: the young person is no longer waiting, and the page says why.
    expect(page.get_by_text("Le jeune a déjà un binôme proposé ou actif")).to_be_visible()


def test_the_suggestions_and_the_hand_search_pass_the_accessibility_audit(page):
    coordinator = UserFactory(coordinator=True)
    mentee = MenteeFactory(approved=True, minor=True, with_consent=True, postal_code="93200")
    MentorFactory(approved=True, for_minors=True, postal_code="93200", employer="Orange")
    # Found by the search, but blocked: the reasons are listed instead of a button.
    MentorFactory(approved=True, postal_code="93200", employer="Orange Bank")
    log_in_to_the_admin(page, coordinator)

    page.goto(reverse("admin:mentees_mentee_change", args=[mentee.pk]))
    page.get_by_label("Nom, e-mail ou employeur du mentor").fill("orange")
    page.get_by_role("button", name="Chercher").click()

    results = page.get_by_role("table", name="Mentors trouvés pour « orange »")
    expect(results.get_by_role("row")).to_have_count(3)
    expect(results).to_contain_text("Le jeune est mineur et le mentor n'accepte pas les mineurs")
    expect(results.get_by_role("button")).to_have_count(1)
    assert_section_accessible(page, "#appariement")
