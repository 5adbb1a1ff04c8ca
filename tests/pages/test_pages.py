import re

import pytest
from django.test import override_settings
from django.urls import reverse

from users.programme import RULES

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = [
    "home",
    "privacy",
    "mentors:register",
    "mentees:register",
    "login",
    "password_reset",
]


@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_public_pages_are_french_with_one_h1_landmarks_and_a_skip_link(client, name):
    response = client.get(reverse(name))

    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="fr">' in html
    assert len(re.findall(r"<h1[\s>]", html)) == 1
    assert '<a class="skip-link" href="#contenu">' in html
    assert '<main id="contenu"' in html
    assert (
        "<header" in html
        and "<footer" in html
        and '<nav aria-label="Navigation principale">' in html
    )
    assert 'name="viewport"' in html


def test_the_home_page_explains_the_commitment_and_offers_both_paths(client):
    html = client.get(reverse("home")).content.decode()
    for commitment in [
        f"au moins {RULES.minimum_duration}",
        f"au moins {RULES.session_minimum} {RULES.meeting_rhythm}",
        "un référent",
        "questionnaire d'auto-évaluation",
    ]:
        assert commitment in html.replace("&#x27;", "'"), commitment
    assert f'href="{reverse("mentors:register")}"' in html
    assert f'href="{reverse("mentees:register")}"' in html


@override_settings(PROGRAMME_CONTACTS=[{"name": "Inès Durand", "email": "ines.durand@aje.example"}])
def test_the_programme_contacts_from_settings_are_on_the_home_page_and_in_the_footer(client):
    html = client.get(reverse("home")).content.decode()
    main, footer = html.split("<footer")
    assert "Inès Durand" in main and "mailto:ines.durand@aje.example" in main
    assert "Inès Durand" in footer and "mailto:ines.durand@aje.example" in footer


@override_settings(RETENTION_YEARS_AFTER_LAST_PAIR=3, RETENTION_MONTHS_AFTER_REJECTION=9)
def test_the_privacy_notice_states_the_retention_periods_from_settings(client):
    html = client.get(reverse("privacy")).content.decode()
    assert "jusqu'à 3 ans après la fin de votre dernier mentorat" in html.replace("&#x27;", "'")
    assert "anonymisée 9 mois après le refus" in html
    for section in [
        "Ce que nous collectons",
        "Pourquoi",
        "Combien de temps",
        "Vos droits",
        "Contact",
    ]:
        assert section in html


@pytest.mark.parametrize("name", ["mentors:register", "mentees:register"])
def test_every_form_links_the_privacy_notice(client, name):
    assert f'href="{reverse("privacy")}"' in client.get(reverse(name)).content.decode()


def test_the_health_check_asks_the_database_one_trivial_query(client, django_assert_num_queries):
    # The process serves requests and reaches its database (without it: 503, tests/faults).
    with django_assert_num_queries(1):
        response = client.get(reverse("health"))

    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>En service</h1>" in page
    assert "Base de données : en service" in page


def test_without_redis_the_health_check_says_tasks_run_in_the_process(client, settings, db):
    settings.REDIS_URL = ""

    page = client.get(reverse("health")).content.decode()

    assert "Redis : non utilisé" in page
