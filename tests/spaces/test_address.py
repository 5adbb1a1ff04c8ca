"""One form of address for young people: « tu » on every page and e-mail a young person reads
(mentors, guardians and staff are addressed as « vous »)."""

import html
import re

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from matching.enums import Side
from tests.matching.factories import MentorshipFactory
from tests.spaces.member_pages import a_full_pair, fill_page, member_pages
from users.programme import RULES

pytestmark = pytest.mark.django_db

VOUS = re.compile(r"\b(vous|votre|vos|vôtre)\b", re.IGNORECASE)
TU = re.compile(r"\b(tu|ton|ta|tes|toi|te|t'\w+)\b", re.IGNORECASE)

# Every e-mail a young person receives (the guardian's are addressed to the guardian).
YOUNG_PERSONS_EMAILS = [
    "users/email/registration_received",
    "users/email/registration_approved",
    "users/email/registration_rejected",
    "matching/email/proposed",
    "matching/email/activated",
    "reminders/email/start_questionnaire",
    "reminders/email/end_questionnaire",
    "reminders/email/evaluate_session",
    "reminders/email/meeting_due_soon",
    "reminders/email/meeting_overdue",
    "reminders/email/proposal_unanswered",
]

# Worded without addressing the reader at all.
IMPERSONAL = {"reminders/email/start_questionnaire"}


def main_text(response) -> str:
    content = response.content.decode()
    main = content[content.index("<main") : content.index("</main>")]
    text = html.unescape(re.sub(r"<[^>]+>", " ", main))
    return " ".join(text.split())


def addressed_as_vous(text: str) -> list[str]:
    return [text[max(0, m.start() - 60) : m.end() + 30] for m in VOUS.finditer(text)]


def test_every_page_of_a_young_person_says_tu(client):
    pair = a_full_pair(mentee__user__first_name="Yanis")
    client.force_login(pair.mentee.user)

    for name, url in member_pages(pair, Side.MENTEE).items():
        response = client.get(url)
        assert response.status_code == 200, name
        assert addressed_as_vous(main_text(response)) == [], name


def test_the_questionnaire_form_and_the_registration_say_tu(client):
    fresh = MentorshipFactory(active=True)
    client.force_login(fresh.mentee.user)
    response = client.get(fill_page(fresh))
    assert response.status_code == 200
    assert addressed_as_vous(main_text(response)) == []
    client.logout()

    for url in (reverse("mentees:register"), reverse("mentees:registration_done")):
        text = main_text(client.get(url))
        assert addressed_as_vous(text) == [], url
        assert TU.search(text), url


def test_a_mentor_is_still_addressed_as_vous(client):
    pair = a_full_pair()
    client.force_login(pair.mentor.user)

    text = main_text(client.get(reverse("spaces:pair", args=[pair.pk])))

    assert VOUS.search(text)


@pytest.mark.parametrize("template", YOUNG_PERSONS_EMAILS)
def test_every_email_to_a_young_person_says_tu(template):
    pair = a_full_pair(mentee__user__first_name="Yanis")
    context = {
        "rules": RULES,
        "programme_name": "Mentorat AJE",
        "is_mentor": False,
        "recipient": Side.MENTEE,
        "user": pair.mentee.user,
        "registration": pair.mentee,
        "set_password_url": "https://exemple.fr/choisir/",
        "mentorship": pair,
        "mentor": pair.mentor,
        "mentee": pair.mentee,
        "session": pair.sessions.first(),
        "first_name": "Yanis",
        "other_first_name": pair.mentor.user.first_name,
        "due_on": pair.started_on,
        "action_url": "https://exemple.fr/",
        "response_url": "https://exemple.fr/repondre/",
        "my_pairs_url": "https://exemple.fr/binomes/",
    }

    for part in ("subject.txt", "body.txt", "body.html"):
        text = html.unescape(
            re.sub(r"<[^>]+>", " ", render_to_string(f"{template}_{part}", context))
        )
        assert addressed_as_vous(text) == [], part
    if template not in IMPERSONAL:
        assert TU.search(html.unescape(render_to_string(f"{template}_body.txt", context)))
