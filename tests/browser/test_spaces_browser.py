"""The personal spaces in a real browser: a young person on a phone defines the pair's first
objective from their space; the mentor's space, the young person's space and the pair's page
pass axe-core's WCAG 2.1 AA audit."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from matching.enums import ObjectiveStatus, Side
from matching.models import Objective
from matching.services import objective_create
from tests.matching.factories import MentorshipFactory
from tests.sessions.factories import (
    PlannedMeetingFactory,
    SessionEvaluationFactory,
    SessionFactory,
)

from .test_matching_pages import log_in

pytestmark = pytest.mark.browser


def days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def assert_fits_the_screen(page):
    """Nothing wider than the screen: a phone would otherwise zoom the whole page out."""
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert page.evaluate("window.innerWidth") == page.viewport_size["width"]


def a_new_pair():
    return MentorshipFactory(
        active=True,
        started_on=days_ago(3),
        mentor__user__first_name="Sophie",
        mentor__job_title="Cheffe de projet",
        mentor__employer="Orange",
        mentee__user__first_name="Yanis",
    )


def a_pair_under_way():
    """Objectives, a session under 90 minutes, one evaluation, a planned meeting: every part
    of the spaces is on the page."""
    pair = MentorshipFactory(
        active=True,
        started_on=days_ago(60),
        # A meeting of at least 1h30 forty days ago keeps the rhythm: the next is due soon.
        last_session_on=days_ago(40),
        last_qualifying_session_on=days_ago(40),
        mentor__user__first_name="Sophie",
        mentee__user__first_name="Yanis",
    )
    objective = objective_create(
        mentorship=pair, title="Trouver une alternance", author=pair.mentee.user
    )
    Objective.objects.filter(pk=objective.pk).update(status=ObjectiveStatus.IN_PROGRESS)
    objective_create(mentorship=pair, title="Préparer un entretien", author=pair.mentor.user)
    session = SessionFactory(mentorship=pair, held_on=days_ago(40), duration_minutes=60)
    SessionEvaluationFactory(session=session, side=Side.MENTOR)
    SessionFactory(mentorship=pair, held_on=days_ago(50))
    PlannedMeetingFactory(mentorship=pair)
    return pair


def test_a_young_person_defines_the_first_objective_from_their_space_on_a_phone(
    phone_page, assert_accessible
):
    pair = a_new_pair()
    log_in(phone_page, pair.mentee.user)

    phone_page.goto(reverse("spaces:home"))

    expect(phone_page.get_by_role("heading", level=1)).to_have_text("Mon espace")
    waiting = phone_page.locator("section[aria-labelledby=ce-qui-vous-attend] li")
    # The start questionnaire comes first (evaluations), the objectives right after it.
    expect(waiting.first).to_contain_text("Remplir le questionnaire de début")
    expect(waiting.nth(1)).to_contain_text("Définir tes objectifs")
    expect(phone_page.get_by_role("heading", name="Ton mentor : Sophie")).to_be_visible()
    assert_accessible(phone_page)

    phone_page.get_by_role("link", name="Définir tes objectifs").click()
    expect(phone_page.get_by_role("heading", level=1)).to_have_text("Ajouter un objectif")
    # Sent empty first: the error is beside the field and what was typed stays.
    phone_page.get_by_label("Précisions").fill("Dans le numérique, en Seine-Saint-Denis")
    phone_page.get_by_role("button", name="Ajouter l'objectif").click()
    expect(phone_page.locator("#id_title_error")).to_contain_text("Donnez un titre")
    expect(phone_page.get_by_label("Précisions")).to_have_value(
        "Dans le numérique, en Seine-Saint-Denis"
    )
    assert_accessible(phone_page)
    phone_page.get_by_label("Objectif").fill("Trouver une alternance")
    phone_page.get_by_role("button", name="Ajouter l'objectif").click()

    expect(phone_page.get_by_text("Objectif ajouté : « Trouver une alternance ».")).to_be_visible()
    expect(
        phone_page.get_by_role("heading", name="Trouver une alternance", level=3)
    ).to_be_visible()
    objective = Objective.objects.get()
    assert objective.mentorship == pair
    assert objective.created_by == pair.mentee.user
    assert objective.description == "Dans le numérique, en Seine-Saint-Denis"
    assert_accessible(phone_page)

    phone_page.goto(reverse("spaces:home"))
    expect(phone_page.get_by_text("Définir tes objectifs")).to_have_count(0)


@pytest.mark.parametrize("screen", ["desktop", "phone"])
def test_the_mentors_space_and_the_pair_page_are_accessible(open_page, assert_accessible, screen):
    pair = a_pair_under_way()
    page = open_page(screen)
    log_in(page, pair.mentor.user)

    page.goto(reverse("spaces:home"))
    expect(page.get_by_role("heading", name="Binôme avec Yanis")).to_be_visible()
    expect(page.get_by_text("Rencontre à prévoir sous 7 jours").first).to_be_visible()
    assert_accessible(page)

    assert_fits_the_screen(page)
    page.goto(reverse("spaces:pair", args=[pair.pk]))
    expect(page.get_by_role("heading", level=1)).to_have_text("Binôme avec Yanis")
    assert_fits_the_screen(page)
    expect(page.get_by_text("Moins de 1h30 : ne compte pas pour le rythme")).to_be_visible()
    assert_accessible(page)


def test_the_young_persons_space_and_pair_page_are_accessible_and_a_state_changes(
    phone_page, assert_accessible
):
    pair = a_pair_under_way()
    log_in(phone_page, pair.mentee.user)

    phone_page.goto(reverse("spaces:home"))
    expect(phone_page.get_by_role("heading", name="Ton mentor : Sophie")).to_be_visible()
    assert_accessible(phone_page)

    assert_fits_the_screen(phone_page)
    phone_page.goto(reverse("spaces:pair", args=[pair.pk]))
    assert_fits_the_screen(phone_page)
    assert_accessible(phone_page)
    phone_page.get_by_label("État de « Préparer un entretien »").select_option(
        ObjectiveStatus.ACHIEVED
    )
    phone_page.get_by_role("button", name="Enregistrer l'état de « Préparer un entretien »").click()

    expect(
        phone_page.get_by_text("Objectif mis à jour : « Préparer un entretien ».")
    ).to_be_visible()
    assert Objective.objects.get(title="Préparer un entretien").status == ObjectiveStatus.ACHIEVED
