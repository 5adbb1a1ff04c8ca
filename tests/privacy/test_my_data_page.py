"""« Mes données » as a young person reads it: French labels, dates in words on Paris time,
the browser summarised, the matching's explanation as sentences, grouped by topic; the JSON
download keeps its keys and machine-readable values."""

import json
import re

import pytest
from django.urls import reverse

from matching.admin_views import CloseForm
from mentorat.privacy.display import explanation_sentences, french_date
from mentorat.privacy.user_agents import browser_summary
from mentorat.staff.referent_forms import ClosureInterviewForm
from sessions.forms import FollowUpForm
from tests.users.staff import confirmed_device, make_coordinator, make_referent

from .history import (
    IPHONE_SAFARI,
    LOGGED_IN_WORDS,
    PHONE_CHROME,
    a_young_person_with_a_full_history,
)
from .test_privacy_erasure import MENTEE_MARKERS

pytestmark = pytest.mark.django_db

MY_DATA = reverse("spaces:my_data")
ISO_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
# Words of the English labels Django and the libraries give by default.
ENGLISH = re.compile(
    r"\b(User|Created|Updated|Logged|Side|Author|Planned|Mentorship|Response|Session|History|"
    r"Agent|Accept|TOTP|ID)\b|\(n°\)|super-utilisateur|Statut équipe"
)


@pytest.fixture(autouse=True)
def _no_second_factor(settings):
    settings.OTP_REQUIRED_FOR_COORDINATORS = False


def _labels(html: str) -> list[str]:
    return re.findall(r"<dt>(.*?)</dt>", html)


def _main(html: str) -> str:
    return html[html.index("<main") : html.index("</main>")]


@pytest.fixture
def my_page(client):
    mentee, _mentor, pair = a_young_person_with_a_full_history()
    client.force_login(mentee.user)
    return mentee, pair, _main(client.get(MY_DATA).content.decode())


def test_every_label_is_french_and_no_value_is_raw(my_page):
    _mentee, _pair, html = my_page
    labels = _labels(html)
    assert len(labels) > 50
    assert [label for label in labels if ENGLISH.search(label)] == []
    assert not ISO_TIMESTAMP.search(html)
    assert "{&#x27;" not in html and "{'" not in html
    assert "&#x27;ok&#x27;" not in html


def test_dates_are_in_words_on_paris_time_and_the_browser_is_summarised(my_page):
    mentee, pair, html = my_page
    assert f"<dd>{LOGGED_IN_WORDS}</dd>" in html
    assert f"<dd>{french_date(pair.started_on)}</dd>" in html
    assert f"<dd>{french_date(mentee.birth_date)}</dd>" in html
    assert "<dd>Chrome sur Android</dd>" in html
    assert "<dd>Safari sur iPhone</dd>" in html
    assert PHONE_CHROME not in html
    assert "<dd>1h30</dd>" in html  # a session's duration, not « 90 »


def test_the_explanation_reads_as_sentences(my_page):
    _mentee, _pair, html = my_page
    assert "<li>Point commun : aide à l&#x27;orientation.</li>" in html
    assert "<li>À savoir : le mentor ne propose pas d&#x27;aide à la confiance en soi.</li>" in html
    assert "<li>À savoir : aucune langue commune.</li>" in html


def test_the_data_is_grouped_by_topic_and_technical_items_are_left_out(my_page):
    _mentee, _pair, html = my_page
    topics = re.findall(r"<h2 id=\"topic-\d+\">(.*?)</h2>", html)
    assert topics == [
        "Mon compte",
        "Mon inscription",
        "Mes consentements",
        "Mon binôme",
        "Mes séances",
        "Mes questionnaires",
        "Mes rappels",
        "Mes connexions",
    ]
    # A young person has no authenticator, no mentor registration: no empty sections of them.
    assert "Appareils d&#x27;authentification" not in html
    assert "Inscription comme mentor" not in html
    # Off flags and the machines' keys are not shown.
    assert "administrateur technique" not in html
    assert "mentorship:" not in html
    # The closing comment about them is theirs to read (right of access).
    assert MENTEE_MARKERS["close_comment"] in html
    assert "toi" in html  # a young person is addressed with « tu »


def test_a_superuser_flag_is_shown_in_french_only_when_it_is_on(client):
    coordinator = make_coordinator()
    coordinator.is_superuser = True
    coordinator.save()
    client.force_login(coordinator)
    html = _main(client.get(MY_DATA).content.decode())
    assert "<dt>Administrateur technique du site</dt><dd>Oui</dd>" in html
    assert "<dt>Membre de l&#x27;équipe du programme</dt><dd>Oui</dd>" in html
    assert "écrivez" in html  # staff are addressed with « vous »


def test_a_staff_members_authenticator_is_labelled_in_french(client):
    referent = make_referent()
    confirmed_device(referent)
    client.force_login(referent)
    html = _main(client.get(MY_DATA).content.decode())
    assert "Appareils d&#x27;authentification" in html
    assert [label for label in _labels(html) if ENGLISH.search(label)] == []


def test_the_json_download_keeps_its_keys_and_machine_readable_values(client):
    mentee, _mentor, pair = a_young_person_with_a_full_history()
    client.force_login(mentee.user)
    data = json.loads(client.get(reverse("spaces:my_data_json")).content)
    [pair_row] = data["Binômes"]
    assert pair_row["Jeune (n°)"] == mentee.pk
    assert pair_row["Explication"] == pair.explanation
    assert pair_row["Début du mentorat"] == pair.started_on.isoformat()
    login = data["Connexions"][0]  # (the test client's own login comes after)
    assert login["User Agent"] == PHONE_CHROME
    assert login["Date de la tentative"] == "2026-12-02T04:36:31.631252+01:00"
    assert data["Compte"][0]["Statut super-utilisateur"] is False
    assert data["Tentatives de connexion"][0]["User Agent"] == IPHONE_SAFARI


def test_the_coordinators_page_of_a_person_is_written_the_same_way(client):
    mentee, _mentor, _pair = a_young_person_with_a_full_history()
    client.force_login(make_coordinator())
    page = client.get(reverse("admin:privacy_person", args=[mentee.user.pk]))
    html = page.content.decode()
    assert "<dd>Chrome sur Android</dd>" in html
    assert f"<dd>{LOGGED_IN_WORDS}</dd>" in html
    assert not ISO_TIMESTAMP.search(html)
    assert ">Connexions</h2>" in html  # the staff's titles, not « Mes connexions »


@pytest.mark.parametrize(
    ("user_agent", "summary"),
    [
        (PHONE_CHROME, "Chrome sur Android"),
        (IPHONE_SAFARI, "Safari sur iPhone"),
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/129.0.0.0 Safari/537.36 Edg/129.0.2792.79",
            "Edge sur Windows",
        ),
        (
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 14.6; rv:131.0) Gecko/20100101 Firefox/131.0",
            "Firefox sur macOS",
        ),
        (
            "Mozilla/5.0 (Linux; Android 14; SAMSUNG SM-A546B) AppleWebKit/537.36 (KHTML, like "
            "Gecko) SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36",
            "Samsung Internet sur Android",
        ),
        (
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_6 like Mac OS X) AppleWebKit/605.1.15 "
            "(KHTML, like Gecko) CriOS/129.0.6668.69 Mobile/15E148 Safari/604.1",
            "Chrome sur iPhone",
        ),
        ("curl/8.5.0", "Navigateur inconnu"),
        ("", "Navigateur inconnu"),
        (None, "Navigateur inconnu"),
    ],
)
def test_a_browser_is_summarised_in_a_few_words(user_agent, summary):
    assert browser_summary(user_agent) == summary


def test_an_explanation_without_reasons_has_no_sentence():
    assert explanation_sentences([]) == ()
    assert explanation_sentences(None) == ()


def test_the_closing_and_follow_up_comments_say_the_members_can_read_them():
    for form, name in (
        (CloseForm(), "comment"),
        (FollowUpForm(), "comment"),
        (ClosureInterviewForm(), "notes"),
    ):
        hint = str(form.fields[name].help_text)
        assert "seulement" not in hint
        assert "Mes données" in hint and "droit d'accès" in hint


def test_a_mentors_page_is_french_too(client):
    _mentee, mentor, _pair = a_young_person_with_a_full_history()
    client.force_login(mentor.user)
    html = _main(client.get(MY_DATA).content.decode())
    assert "Contrôles d&#x27;honorabilité" in html and "Échanges avec votre référent" in html
    assert [label for label in _labels(html) if ENGLISH.search(label)] == []
    assert not ISO_TIMESTAMP.search(html)
    assert "écrivez" in html
