"""French that fits its reader: agreement with the civility, exact validity dates."""

import datetime
import html

import pytest
import time_machine
from django.core import mail
from django.template import Context, Template

from mentees.tasks import send_guardian_consent_request
from tests.mentees.factories import MenteeFactory

pytestmark = pytest.mark.django_db

# 08:00 in Paris on 2 December 2026.
NOW = datetime.datetime(2026, 12, 2, 7, 0, tzinfo=datetime.UTC)


def guardian_email_for(civility: str):
    mentee = MenteeFactory(minor=True, civility=civility, user__first_name="Inès")
    mail.outbox.clear()
    with time_machine.travel(NOW, tick=False):
        send_guardian_consent_request(mentee.pk)
    [message] = mail.outbox
    [(html_body, _)] = message.alternatives
    return message.body, html.unescape(html_body)


@pytest.mark.parametrize(
    ("civility", "registered", "minor"),
    [
        ("mme", "Inès s'est inscrite au", "Comme elle est mineure,"),
        ("m", "Inès s'est inscrit au", "Comme il est mineur,"),
        ("", "Inès a demandé son inscription au", "une personne mineure,"),
    ],
)
def test_the_guardians_email_agrees_with_the_young_persons_civility(civility, registered, minor):
    for body in guardian_email_for(civility):
        assert registered in body
        assert minor in body
        assert "·" not in body
        assert "il ou elle" not in body


def test_the_guardians_email_says_until_which_day_its_link_works():
    for body in guardian_email_for("mme"):
        assert "valable jusqu'au 16 décembre 2026 à 8h00" in body
        assert "quelques jours" not in body


def test_the_guardians_consent_page_agrees_with_the_civility(client):
    from mentees.consent import guardian_consent_path

    mentee = MenteeFactory(minor=True, civility="m", user__first_name="Yanis")

    page = html.unescape(client.get(guardian_consent_path(mentee)).content.decode())

    assert "Yanis s'est inscrit au programme" in page
    assert "Comme il est mineur," in page
    assert "·" not in page


@pytest.mark.parametrize(
    ("moment", "words"),
    [
        (datetime.datetime(2026, 12, 31, 23, 30, tzinfo=datetime.UTC), "1er janvier 2027 à 0h30"),
        (datetime.datetime(2026, 7, 14, 10, 5, tzinfo=datetime.UTC), "14 juillet 2026 à 12h05"),
    ],
)
def test_validity_is_said_in_paris_time_as_french_writes_dates(moment, words):
    template = Template("{% load wording %}{% valid_until days=0 %}")

    with time_machine.travel(moment, tick=False):
        assert template.render(Context()) == words


@pytest.mark.parametrize(
    ("civility", "label", "words"),
    [
        ("mme", "Étudiant ou étudiante", "Étudiante"),
        ("m", "Lycéen ou lycéenne", "Lycéen"),
        ("", "Étudiant ou étudiante", "Étudiant ou étudiante"),
        ("mme", "En recherche d'emploi", "En recherche d'emploi"),
    ],
)
def test_a_label_for_anybody_agrees_with_the_civility_given(civility, label, words):
    from users.templatetags.wording import agreed

    assert agreed(label, MenteeFactory.build(civility=civility)) == words
