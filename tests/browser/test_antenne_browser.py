"""An antenne's coordinator, in a real browser, from where their login lands and only by
clicking: their lists hold their antenne's people only, the matching page suggests their
antenne's mentors only and proposes one, and their dashboard is their antenne's, without the
national table « Par antenne » that a national coordinator reads."""

import re

import pytest
from playwright.sync_api import expect

from matching.enums import MentorshipStatus
from matching.models import Mentorship
from tests.antennes.factories import make_antenne
from tests.mentees.factories import MenteeFactory
from tests.mentors.factories import MentorFactory
from tests.users.staff import confirmed_device, make_antenne_coordinator, make_coordinator

from .test_staff_journeys import STAFF_NAV, Walk

pytestmark = pytest.mark.browser

APPARIEMENT = "section[aria-labelledby=taches-appariement]"
# The task's count is cached for a while (mentorat/staff/home.py): the link is found by its words.
WAITING_TASK = re.compile(r"^\d+ jeunes? en attente d'un mentor$")


def young_person(first_name, last_name, antenne, postal_code, **fields):
    return MenteeFactory(
        postal_code=postal_code,
        antenne=antenne,
        user__first_name=first_name,
        user__last_name=last_name,
        **fields,
    )


def mentor(first_name, last_name, antenne, postal_code):
    return MentorFactory(
        approved=True,
        postal_code=postal_code,
        antenne=antenne,
        user__first_name=first_name,
        user__last_name=last_name,
    )


@pytest.fixture
def programme():
    """Lyon's, Lille's and the national programme's people: each to review, waiting for a
    mentor, and a mentor with room. The national ones live in Lyon's département, so that only
    the antenne keeps them out of a Lyon coordinator's pages."""
    lyon = make_antenne("Lyon", ["69"])
    lille = make_antenne("Lille", ["59"])
    return {
        "lyon": lyon,
        "lille": lille,
        "lyon_to_review": young_person("Inès", "Rhône", lyon, "69003"),
        "lille_to_review": young_person("Louis", "Flandre", lille, "59000"),
        "national_to_review": young_person("Nora", "Nation", None, "69003"),
        "lyon_waiting": young_person("Yanis", "Croixrousse", lyon, "69003", approved=True),
        "lille_waiting": young_person("Lina", "Roubaix", lille, "59000", approved=True),
        "national_waiting": young_person("Noé", "Partout", None, "69003", approved=True),
        "lyon_mentor": mentor("Sophie", "Fourvière", lyon, "69003"),
        "lille_mentor": mentor("Lucas", "Vauban", lille, "59000"),
        "national_mentor": mentor("Nadia", "Centrale", None, "69003"),
    }


def assert_absent(page, *names):
    for name in names:
        expect(page.get_by_role("link", name=name, exact=True)).to_have_count(0)


def test_an_antenne_coordinator_works_on_their_antenne_only_by_clicking(open_page, programme):
    coordinator = make_antenne_coordinator(programme["lyon"], first_name="Camille")
    walk = Walk(open_page("staff"))
    page = walk.page

    walk.log_in(coordinator, code_of=confirmed_device(coordinator))

    # Login lands on their staff home, which names their antenne.
    walk.check("Accueil de la coordination : antenne Lyon")
    walk.click("Jeunes à examiner", within=STAFF_NAV)
    expect(page.get_by_role("link", name="Inès Rhône", exact=True)).to_be_visible()
    assert_absent(page, "Louis Flandre", "Nora Nation")

    # The young people waiting for a mentor, from the home's task: Lyon's only.
    walk.click("Accueil", within=STAFF_NAV, heading="Que faire maintenant")
    page.locator(APPARIEMENT).get_by_role("link", name=WAITING_TASK).click()
    walk.check()
    expect(page.get_by_role("link", name="Yanis Croixrousse", exact=True)).to_be_visible()
    assert_absent(page, "Lina Roubaix", "Noé Partout")

    # Their matching page suggests Lyon's mentors only; one click proposes the pair.
    walk.click("Yanis Croixrousse")
    walk.click("Trouver un mentor", heading="Appariement : Yanis Croixrousse")
    suggestions = page.get_by_role("table", name=re.compile("mentors? les plus compatibles"))
    expect(suggestions.get_by_role("rowheader")).to_have_count(1)
    expect(suggestions.get_by_role("rowheader")).to_contain_text("Sophie Fourvière")
    expect(suggestions).not_to_contain_text("Lucas Vauban")
    expect(suggestions).not_to_contain_text("Nadia Centrale")
    walk.click("Proposer le binôme avec Sophie Fourvière", role="button")
    expect(page.locator(".messagelist")).to_contain_text(
        "Binôme proposé : Sophie Fourvière et Yanis Croixrousse"
    )
    pair = Mentorship.objects.get()
    assert (pair.mentee, pair.mentor) == (programme["lyon_waiting"], programme["lyon_mentor"])
    assert pair.status == MentorshipStatus.PROPOSED
    assert pair.proposed_by == coordinator

    # Their dashboard is Lyon's: no antenne to choose, no table of the antennes.
    walk.click("Tableau de bord", within=STAFF_NAV, heading="Tableau de bord de l'antenne Lyon")
    expect(page.locator("#content-main")).to_contain_text(
        "Les chiffres, les listes et les exports de cette page sont ceux de votre antenne : Lyon."
    )
    expect(page.get_by_label("Antenne", exact=True)).to_have_count(0)
    expect(page.get_by_role("heading", name="Par antenne")).to_have_count(0)
    expect(page.get_by_role("table", name=re.compile("^Par antenne"))).to_have_count(0)


def test_a_national_coordinator_reads_the_figures_by_antenne_on_their_dashboard(
    open_page, programme
):
    coordinator = make_coordinator(first_name="Dominique")
    walk = Walk(open_page("staff"))
    page = walk.page

    walk.log_in(coordinator, code_of=confirmed_device(coordinator))

    walk.check("Accueil de la coordination")
    walk.click("Tableau de bord", within=STAFF_NAV)
    expect(page.get_by_role("heading", name="Par antenne")).to_be_visible()
    table = page.get_by_role("table", name=re.compile("^Par antenne"))
    rows = table.locator("tbody").get_by_role("rowheader")
    expect(rows.filter(has_text="Lyon")).to_have_count(1)
    expect(rows.filter(has_text="Lille")).to_have_count(1)
    expect(page.get_by_label("Antenne", exact=True)).to_be_visible()
