"""Closure both ways, in a real browser, by clicking only: a young person and a mentor, each
on a 390 px phone, go from « Mon espace » to their closure questionnaire, are told what is
missing, then send it; a référent goes from their home to a closed pair's « entretien de
fin », is told what is wrong, then records it. Every page passes axe-core's WCAG 2.1 AA audit."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from evaluations.enums import InterviewWith, QuestionKind, ResponseStatus
from evaluations.models import ClosureInterview, Response
from matching.enums import CloseReason, Side
from tests.browser.test_staff_journeys import Walk
from tests.matching.factories import MentorshipFactory
from tests.mentors.factories import MentorFactory
from tests.users.staff import make_referent

pytestmark = pytest.mark.browser

TASKS = "section[aria-labelledby=ce-qui-vous-attend]"


def closed_pair(**kwargs):
    return MentorshipFactory(
        closed=True,
        started_on=datetime.date(2025, 1, 6),
        ended_on=datetime.date(2025, 8, 29),
        close_reason=CloseReason.OBJECTIVES_ACHIEVED,
        **kwargs,
    )


def test_a_young_person_sends_their_closure_questionnaire_from_their_home_on_a_phone(open_page):
    pair = closed_pair(mentor__user__first_name="Sophie")
    walk = Walk(open_page("phone"))
    walk.log_in(pair.mentee.user)
    walk.check("Mon espace")

    walk.click("Remplir le questionnaire de clôture", within=TASKS)
    page = walk.page
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ton mentorat avec Sophie")

    # Sent empty: what is missing is said beside each question, in « tu ».
    page.get_by_role("button", name="Envoyer").click()
    expect(page.get_by_role("alert")).to_contain_text("tes réponses sont conservées")
    walk.check()
    response = Response.objects.get(mentorship=pair, side=Side.MENTEE)
    for question in response.questionnaire.questions.all():
        if question.kind == QuestionKind.SCALE:
            group = page.get_by_role("group", name=re.compile(re.escape(question.text)))
            expect(group).to_have_accessible_description(re.compile("Réponds à cette question"))
            group.get_by_label(re.compile("^5")).check()
        elif question.kind == QuestionKind.SINGLE_CHOICE:
            page.get_by_role("group", name=re.compile(re.escape(question.text))).get_by_label(
                "Peut-être", exact=True
            ).check()
        elif question.required:
            page.get_by_label(re.compile(re.escape(question.text))).fill(
                "Les visites en entreprise."
            )
    page.get_by_role("button", name="Envoyer").click()

    expect(page.get_by_text("Merci ! Tes réponses sont envoyées")).to_be_visible()
    expect(page.get_by_text("Les visites en entreprise.")).to_be_visible()
    walk.check()
    response.refresh_from_db()
    assert response.status == ResponseStatus.SUBMITTED
    # Back home, nothing left to do for this pair's closure.
    walk.click("Mon espace")
    expect(page.get_by_role("link", name="Remplir le questionnaire de clôture")).to_have_count(0)


def test_a_mentor_sends_their_closure_questionnaire_from_their_home_on_a_phone(open_page):
    pair = closed_pair(mentee__user__first_name="Inès")
    walk = Walk(open_page("phone"))
    walk.log_in(pair.mentor.user)
    walk.check("Mon espace")

    walk.click("Remplir le questionnaire de clôture", within=TASKS)
    page = walk.page
    expect(page.get_by_role("heading", level=1)).to_contain_text("Binôme avec Inès")

    # Sent empty: the mentor is told « vous », beside each question.
    page.get_by_role("button", name="Envoyer").click()
    expect(page.get_by_role("alert")).to_contain_text("vos réponses sont conservées")
    walk.check()
    response = Response.objects.get(mentorship=pair, side=Side.MENTOR)
    for question in response.questionnaire.questions.all():
        if question.kind == QuestionKind.SCALE:
            group = page.get_by_role("group", name=re.compile(re.escape(question.text)))
            expect(group).to_have_accessible_description(re.compile("Répondez à cette question"))
            group.get_by_label(re.compile("^4")).check()
        elif question.kind == QuestionKind.SINGLE_CHOICE:
            page.get_by_role("group", name=re.compile(re.escape(question.text))).get_by_label(
                "Oui", exact=True
            ).check()
        elif question.required:
            page.get_by_label(re.compile(re.escape(question.text))).fill("Sa persévérance.")
    page.get_by_role("button", name="Envoyer").click()

    expect(page.get_by_text("Merci ! Vos réponses sont envoyées")).to_be_visible()
    walk.check()
    response.refresh_from_db()
    assert response.status == ResponseStatus.SUBMITTED
    assert response.side == Side.MENTOR


def test_a_referent_records_the_closure_interview_from_their_home(open_page):
    referent = make_referent(first_name="Romane", last_name="Lefort")
    pair = closed_pair(mentor=MentorFactory(approved=True, referent=referent))
    walk = Walk(open_page("staff"))
    walk.log_in(referent)
    walk.check()

    walk.click(f"Noter l'entretien de fin de {pair}", within="#entretiens")
    page = walk.page
    expect(page.get_by_role("heading", level=1)).to_contain_text("Entretien de fin")

    # No « with whom » and a date in the future: both said beside their field, input kept.
    page.get_by_label("Date de l'entretien").fill("2999-01-01")
    page.get_by_label("Notes").fill("Bilan positif, le jeune vise une alternance.")
    page.get_by_role("button", name="Enregistrer l'entretien").click()
    expect(page.get_by_text("Choisissez avec qui l'entretien a eu lieu.")).to_be_visible()
    expect(page.get_by_label("Notes")).to_have_value("Bilan positif, le jeune vise une alternance.")
    walk.check()

    page.get_by_role("group", name="Avec qui").get_by_label("Les deux").check()
    page.get_by_role("button", name="Enregistrer l'entretien").click()
    expect(
        page.get_by_text("La date de l'entretien ne peut pas être dans le futur.")
    ).to_be_visible()
    expect(page.get_by_label("Date de l'entretien")).to_have_accessible_description(
        re.compile("ne peut pas être dans le futur")
    )

    page.get_by_label("Date de l'entretien").fill("2025-09-05")
    page.get_by_role("button", name="Enregistrer l'entretien").click()
    expect(page.get_by_text("Entretien de fin enregistré.")).to_be_visible()
    expect(page.get_by_role("heading", name="Historique")).to_be_visible()
    walk.check()
    interview = ClosureInterview.objects.get(mentorship=pair)
    assert interview.held_on == datetime.date(2025, 9, 5)
    assert interview.held_with == InterviewWith.BOTH
    assert interview.notes == "Bilan positif, le jeune vise une alternance."
