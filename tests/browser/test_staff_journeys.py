"""Each role, from the public home page, logs in and reaches each of its pages by clicking
only: no URL typed after the first page, no « permission » message on the way, and every page
clean for axe-core (staff at 1366 px, members on a phone)."""

import datetime
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from evaluations.enums import Moment
from tests.matching.factories import MentorshipFactory
from tests.mentees.factories import MenteeFactory
from tests.mentors.factories import MentorFactory
from tests.sessions.factories import SessionFactory
from tests.spaces.questionnaires import respond
from tests.users.factories import DEFAULT_PASSWORD
from tests.users.staff import confirmed_device, current_code, make_coordinator, make_referent

from .conftest import accessibility_violations, describe_violation

pytestmark = pytest.mark.browser

REFUSALS = ("permission", "Permission", "Page non trouvée", "Erreur serveur")


class Walk:
    """A person's walk through the site: each step is a click, each page is checked."""

    def __init__(self, page):
        self.page = page
        self.seen = []

    def check(self, heading: str | None = None):
        page = self.page
        page.wait_for_load_state("load")
        if heading:
            expect(page.get_by_role("heading", name=heading).first).to_be_visible()
        body = page.locator("body").inner_text()
        refused = [word for word in REFUSALS if word in body]
        assert not refused, f"{page.url} shows {refused}"
        violations = accessibility_violations(page)
        assert not violations, f"{page.url}:\n" + "\n".join(map(describe_violation, violations))
        self.seen.append(page.url)

    def paths(self) -> set[str]:
        return {urlsplit(url).path for url in self.seen}

    def click(self, name: str, *, role: str = "link", heading: str | None = None, within=None):
        scope = self.page.locator(within) if within else self.page
        scope.get_by_role(role, name=name, exact=True).first.click()
        self.check(heading)

    def log_in(self, user, *, code_of=None):
        page = self.page
        page.goto(reverse("home"))
        self.click("Se connecter")
        page.get_by_label("Adresse e-mail").fill(user.email)
        page.get_by_label("Mot de passe").fill(DEFAULT_PASSWORD)
        page.get_by_role("button", name="Se connecter").click()
        if code_of is not None:
            page.get_by_label("Code à 6 chiffres").fill(current_code(code_of))
            page.get_by_role("button", name="Valider").click()
        page.wait_for_load_state("load")


STAFF_NAV = "nav.staff-nav"
TO_READ = "section[aria-labelledby=questionnaires]"


def test_a_coordinator_reaches_each_of_their_pages_by_clicking(open_page):
    coordinator = make_coordinator(first_name="Camille")
    referent = make_referent(first_name="Romane", last_name="Lefort")
    pair = MentorshipFactory(
        active=True,
        started_on=datetime.date.today() - datetime.timedelta(days=120),
        mentor=MentorFactory(approved=True, referent=referent),
    )
    SessionFactory(mentorship=pair)
    young_person = MenteeFactory(user__first_name="Inès", user__last_name="Attente")
    MentorFactory(approved=True, user__first_name="Karim", user__last_name="Libre")
    walk = Walk(open_page("staff"))

    walk.log_in(coordinator, code_of=confirmed_device(coordinator))

    # Login lands on the staff home: what to do now.
    walk.check("Que faire maintenant")
    walk.click("Tableau de bord", within=STAFF_NAV)
    walk.click("Appariement par lot", within=STAFF_NAV)
    walk.click("Exports", within=STAFF_NAV)
    walk.click("Mentors à examiner", within=STAFF_NAV)
    walk.click("Jeunes à examiner", within=STAFF_NAV)
    # The young person waiting for review, then their matching page, then back to the form.
    walk.click("Inès Attente")
    walk.click("Trouver un mentor")
    walk.click("Modifier la fiche")
    # Approved from their page: the list of registrations to review no longer holds them.
    walk.click("Valider l'inscription", role="button")
    expect(walk.page.locator(".messagelist")).to_contain_text("validée")
    walk.click("Jeunes à examiner", within=STAFF_NAV)
    expect(walk.page.get_by_role("link", name="Inès Attente", exact=True)).to_have_count(0)
    walk.click("Accueil", within=STAFF_NAV, heading="Que faire maintenant")
    walk.click("Toutes les données du programme")
    walk.click("Binômes", within="#content-main th[scope=row]")
    assert {
        reverse("admin:staff_home"),
        reverse("admin:dashboard"),
        reverse("admin:matching_matchingbatch_start"),
        reverse("admin:mentors_mentor_changelist"),
        reverse("admin:mentees_mentee_changelist"),
        reverse("admin:mentees_mentee_matching", args=[young_person.pk]),
        reverse("admin:mentees_mentee_change", args=[young_person.pk]),
        reverse("admin:index"),
        reverse("admin:matching_mentorship_changelist"),
    } <= walk.paths()


def test_a_referent_reaches_each_of_their_pages_by_clicking(open_page):
    referent = make_referent(first_name="Romane", last_name="Lefort")
    pair = MentorshipFactory(
        active=True,
        started_on=datetime.date.today() - datetime.timedelta(days=60),
        mentor=MentorFactory(approved=True, referent=referent, user__last_name="Suivi"),
    )
    SessionFactory(mentorship=pair)
    questionnaire = respond(pair, Moment.START)
    walk = Walk(open_page("staff"))

    walk.log_in(referent)

    walk.check()
    assert walk.page.url.endswith(reverse("admin:referent_home"))
    # A questionnaire to read: once opened, it leaves « Questionnaires à lire ».
    to_read = walk.page.locator(TO_READ)
    walk.click(f"{questionnaire.get_moment_display().capitalize()} — {pair}", within=TO_READ)
    walk.page.go_back()
    walk.page.reload()
    expect(to_read.get_by_text("Aucun questionnaire à lire.")).to_be_visible()
    walk.click("Mes binômes", within=STAFF_NAV)
    walk.click(str(pair.mentor))
    walk.click("Mes séances à suivre", within=STAFF_NAV)
    walk.click("Exports", within=STAFF_NAV)
    walk.click("Mon suivi", within=STAFF_NAV)
    walk.click("Mentorat — administration")
    assert {
        reverse("admin:referent_home"),
        reverse("admin:matching_mentorship_changelist"),
        reverse("admin:matching_mentorship_change", args=[pair.pk]),
        reverse("admin:mentoring_sessions_session_changelist"),
        reverse("admin:index"),
    } <= walk.paths()


@pytest.mark.parametrize("member", ["mentor", "mentee"])
def test_a_member_lands_on_their_space_on_a_phone(open_page, member):
    pair = MentorshipFactory(active=True)
    user = pair.mentor.user if member == "mentor" else pair.mentee.user
    walk = Walk(open_page("phone"))

    walk.log_in(user)

    walk.check("Mon espace")
    assert walk.page.url.endswith(reverse("spaces:home"))
