"""On a phone, in a real browser: a young person fills the start questionnaire — sent empty
first (errors), then a draft, then submitted. The form, its error state and the submitted
view pass axe-core's WCAG 2.1 AA audit."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from evaluations.enums import QuestionKind, ResponseStatus
from evaluations.models import Response
from tests.browser.test_sessions_browser import log_in
from tests.matching.factories import MentorshipFactory

pytestmark = pytest.mark.browser


def test_a_young_person_fills_the_start_questionnaire_on_a_phone(phone_page, assert_accessible):
    pair = MentorshipFactory(active=True, mentor__user__first_name="Sophie")
    page = phone_page
    log_in(page, pair.mentee.user)
    page.goto(reverse("evaluations:fill", args=[pair.pk, "debut"]))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Questionnaire de début")
    assert_accessible(page)

    # Sent empty: each missing answer is announced and tied to its question.
    page.get_by_role("button", name="Envoyer").click()
    expect(page.get_by_role("alert")).to_contain_text("Le questionnaire n'a pas été enregistré")
    expect(
        page.get_by_role("group", name=re.compile("^J'ai confiance en moi"))
    ).to_have_accessible_description(re.compile("Réponds à cette question"))
    assert_accessible(page)

    response = Response.objects.get(mentorship=pair)
    questions = list(response.questionnaire.questions.for_moment(response.moment))
    first_scale = next(q for q in questions if q.kind == QuestionKind.SCALE)
    page.get_by_role("group", name=re.compile(re.escape(first_scale.text))).get_by_label(
        "2", exact=True
    ).check()
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    expect(page.get_by_text("Ton brouillon est enregistré")).to_be_visible()
    assert response.answers.get().scale_value == 2

    for question in questions:
        group = page.get_by_role("group", name=re.compile(re.escape(question.text)))
        if question.kind == QuestionKind.SCALE:
            group.get_by_label(re.compile("^4")).check()
        elif question.kind in (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE):
            group.get_by_label(question.choices[0], exact=True).check()
        else:
            page.get_by_label(re.compile(re.escape(question.text))).fill("Mieux me connaître.")
    page.get_by_role("button", name="Envoyer").click()

    expect(page.get_by_text(re.compile("^Envoyé le"))).to_be_visible()
    expect(page.get_by_role("button", name="Envoyer")).to_have_count(0)
    assert_accessible(page)
    response.refresh_from_db()
    assert response.status == ResponseStatus.SUBMITTED
    assert response.answers.count() == len(questions)
