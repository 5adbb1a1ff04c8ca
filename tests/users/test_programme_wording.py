"""The programme's numbers are stated once, in users.programme, beside their French words:
templates and e-mails read them through `rules`, never restate them."""

import ast
import datetime
import html
import re
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.test import override_settings
from django.urls import reverse

import matching.rules
import mentees.ages
import mentors.rules
import sessions.models
from tests.users.factories import UserFactory
from tests.users.password_reset import ask_password_link
from users import programme
from users.emails import send_templated_email
from users.programme import RULES

TEMPLATES = Path(settings.BASE_DIR) / "templates"
BASE_DIR = Path(settings.BASE_DIR)
# Not the product's code (tests, migrations that replay the past, installed packages), or the
# one place where the numbers and their words are stated.
NOT_PRODUCT = {"tests", "migrations", ".venv", "node_modules", "staticfiles"}
THE_SOURCE = BASE_DIR / "users" / "programme.py"

SPACE = r"[ \u00a0\u202f]*"
UNIT = r"(?:jours?|mois|semaines?|minutes?|min|heures?|ans?|caractères)"
NUMBER_IN_WORDS = r"(?:deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|quinze|trente)"
# A number written in the template: « 6 mois », « 1h30 », « 1h », « six semaines »,
# « un mois et demi ». A template variable before the unit (« {{ rules.due_soon_days }}
# jours ») is not one.
PROGRAMME_NUMBER = re.compile(
    rf"\b\d+{SPACE}{UNIT}\b"
    rf"|\b\d+h(?:\d{{2}})?\b"
    rf"|\b{NUMBER_IN_WORDS}{SPACE}{UNIT}\b"
    r"|\bmois et demi\b",
    re.IGNORECASE,
)


def programme_numbers_in(text: str) -> list[str]:
    return PROGRAMME_NUMBER.findall(text)


@pytest.mark.parametrize(
    "text",
    [
        "une rencontre d'1h30 toutes les 6 semaines",
        "au moins 6 mois",
        "Rencontre à prévoir sous 7 jours",
        "lien valable 3 jours",
        "au moins 12 caractères",
        "les jeunes de 11 à 30 ans",
        "attendez 15 minutes",
        "au plus tard 45 jours après",
        "une rencontre d'1h par mois",
        "tous les un mois et demi",
        "toutes les six semaines",
        "pendant 1 an",
        "30\u00a0jours",
    ],
)
def test_the_scan_catches_a_number_written_in_a_template(text):
    assert programme_numbers_in(text)


@pytest.mark.parametrize(
    "text",
    [
        "au moins {{ rules.minimum_duration }}",
        "{{ rules.min_age }} à {{ rules.max_age }} ans",
        "il y a {{ months_elapsed }} mois",
        "{{ session.duration_minutes }} min",
        '<h1>Titre</h1> <h2 class="mb-3">',
        'le {{ due_on|date:"j F Y" }} à {{ starts_at|date:"H:i" }}',
    ],
)
def test_the_scan_leaves_template_variables_and_markup_alone(text):
    assert programme_numbers_in(text) == []


def test_no_template_writes_a_programme_number():
    found = [
        f"{path.relative_to(TEMPLATES)}:{number}: {match}"
        for path in sorted(TEMPLATES.rglob("*"))
        if path.is_file()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        for match in programme_numbers_in(line)
    ]
    assert len(list(TEMPLATES.rglob("*.html"))) > 50  # the scan does read the templates
    assert found == []


def product_python_files() -> list[Path]:
    return [
        path
        for path in sorted(BASE_DIR.rglob("*.py"))
        if not NOT_PRODUCT & set(path.relative_to(BASE_DIR).parts) and path != THE_SOURCE
    ]


def literal_programme_numbers(source: str) -> list[tuple[int, str]]:
    """The numbers written in the string literals of a module (f-strings' literal parts
    included), docstrings left aside: they speak to developers, in English."""
    tree = ast.parse(source)
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        (node.lineno, match)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
        for match in programme_numbers_in(node.value)
    ]


def test_the_python_scan_catches_a_number_in_a_literal_or_an_f_string():
    source = (
        '"""Le module (45 jours)."""\n'
        'A = "une rencontre toutes les 6 semaines"\n'
        'B = f"Modifiable {days} jours, au moins 1h30 {rhythm}"\n'
        "def f():\n"
        '    """Docstring: 7 jours."""\n'
        '    return f"{RULES.edit_window} après"\n'
    )
    assert literal_programme_numbers(source) == [(2, "6 semaines"), (3, "1h30")]


def test_no_python_string_literal_writes_a_programme_number():
    files = product_python_files()
    found = [
        f"{path.relative_to(BASE_DIR)}:{line}: {match}"
        for path in files
        for line, match in literal_programme_numbers(path.read_text(encoding="utf-8"))
    ]
    assert len(files) > 100  # the scan does read the product's modules
    assert BASE_DIR / "sessions" / "views.py" in files
    assert found == []


def test_every_rule_a_template_reads_exists():
    # A misspelt name would render as nothing, silently.
    names = {
        name
        for path in TEMPLATES.rglob("*")
        if path.is_file()
        for name in re.findall(r"\brules\.(\w+)", path.read_text(encoding="utf-8"))
    }
    assert {"minimum_duration", "meeting_rhythm", "session_minimum"} <= names
    assert sorted(name for name in names if not hasattr(RULES, name)) == []


def test_the_words_say_the_numbers():
    assert programme.MEETING_INTERVAL.days == 45
    assert programme.MEETING_INTERVAL_WORDS == "un mois et demi"
    assert programme.MEETING_RHYTHM_WORDS == "tous les mois et demi"
    assert programme.MINIMUM_SESSION_MINUTES == 90
    assert RULES.session_minimum == programme.duration_words(90) == "1h30"
    assert RULES.minimum_duration == "6 mois" and programme.MINIMUM_MONTHS == 6
    assert (RULES.meeting_interval, RULES.meeting_rhythm, RULES.meeting_interval_days) == (
        "un mois et demi",
        "tous les mois et demi",
        45,
    )
    assert (RULES.due_soon, RULES.due_soon_days) == ("7 jours", programme.DUE_SOON.days)
    assert (RULES.edit_window, RULES.edit_window_days) == ("7 jours", programme.EDIT_WINDOW.days)
    assert (RULES.waiting_alert, RULES.waiting_alert_days) == ("30 jours", 30)
    assert RULES.proposal_unanswered_days == programme.PROPOSAL_UNANSWERED_AFTER.days == 7
    assert RULES.screening_expiry_warning_days == programme.SCREENING_EXPIRY_WARNING.days == 60
    assert (RULES.min_age, RULES.max_age, RULES.majority_age, RULES.digital_consent_age) == (
        11,
        30,
        18,
        15,
    )


@pytest.mark.parametrize(
    ("minutes", "words"),
    [(90, "1h30"), (60, "1h"), (125, "2h05"), (45, "45 minutes"), (1, "1 minute")],
)
def test_durations_are_written_as_people_say_them(minutes, words):
    assert programme.duration_words(minutes) == words


@pytest.mark.parametrize(
    ("delay", "words"),
    [
        (datetime.timedelta(days=3), "3 jours"),
        (datetime.timedelta(days=1), "1 jour"),
        (datetime.timedelta(minutes=15), "15 minutes"),
        (datetime.timedelta(hours=2), "2h"),
        (datetime.timedelta(days=3 * 365), "3 ans"),
    ],
)
def test_delays_are_written_in_their_largest_whole_unit(delay, words):
    assert programme.delay_words(delay) == words


def test_the_old_homes_of_the_numbers_still_give_the_same_values():
    assert matching.rules.MEETING_INTERVAL is programme.MEETING_INTERVAL
    assert matching.rules.DUE_SOON is programme.DUE_SOON
    assert matching.rules.MINIMUM_SESSION_MINUTES == programme.MINIMUM_SESSION_MINUTES
    assert matching.rules.MINIMUM_MONTHS == programme.MINIMUM_MONTHS
    assert matching.rules.WAITING_ALERT is programme.WAITING_ALERT
    assert matching.rules.PROPOSAL_UNANSWERED_AFTER is programme.PROPOSAL_UNANSWERED_AFTER
    assert mentees.ages.MIN_AGE == programme.MIN_AGE and mentees.ages.MAX_AGE == programme.MAX_AGE
    assert mentees.ages.MAJORITY_AGE == programme.MAJORITY_AGE
    assert mentees.ages.DIGITAL_CONSENT_AGE == programme.DIGITAL_CONSENT_AGE
    assert mentors.rules.SCREENING_EXPIRY_WARNING is programme.SCREENING_EXPIRY_WARNING
    assert sessions.models.EDIT_WINDOW is programme.EDIT_WINDOW


def test_the_words_of_settings_are_read_when_asked_for():
    assert RULES.password_reset_validity == "3 jours"
    assert RULES.lockout == "15 minutes"
    assert RULES.password_min_length == 12
    with override_settings(
        PASSWORD_RESET_TIMEOUT=24 * 3600,
        AXES_COOLOFF_TIME=datetime.timedelta(minutes=30),
        AUTH_PASSWORD_VALIDATORS=[
            {
                "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
                "OPTIONS": {"min_length": 14},
            }
        ],
        GUARDIAN_CONSENT_LINK_MAX_AGE_DAYS=10,
        SCREENING_VALIDITY_DAYS=365,
        REGISTRATION_RATE_LIMIT="5/15m",
        REFERENT_CASELOAD_CAP=12,
    ):
        assert RULES.password_reset_validity == "1 jour"
        assert RULES.lockout == "30 minutes"
        assert RULES.password_min_length == 14
        assert RULES.guardian_consent_link_validity == "10 jours"
        assert RULES.screening_validity == "1 an"
        assert RULES.registration_retry == "15 minutes"
        assert RULES.referent_caseload_cap == 12


@pytest.mark.django_db
def test_the_home_page_states_the_commitment_from_the_rules(client):
    page = html.unescape(client.get(reverse("home")).content.decode())

    assert f"jeunes de {RULES.min_age} à {RULES.max_age} ans" in page
    assert f"au moins {RULES.minimum_duration}</strong>" in page
    assert f"au moins {RULES.session_minimum} {RULES.meeting_rhythm}</strong>" in page
    assert "au moins 1h30 tous les mois et demi" in page


@pytest.mark.django_db
def test_a_mentor_registration_page_states_the_rhythm_from_the_rules(client):
    page = html.unescape(client.get(reverse("mentors:register")).content.decode())

    assert (
        f"pendant au moins {RULES.minimum_duration}, à raison d'une rencontre\n"
        f"  d'au moins {RULES.session_minimum} {RULES.meeting_rhythm} ?"
    ) in page
    assert (
        f"charte du mentor (au moins {RULES.minimum_duration} d'accompagnement, une rencontre "
        f"d'au moins {RULES.session_minimum} {RULES.meeting_rhythm}"
    ) in page


def test_an_email_states_the_rhythm_from_the_rules():
    send_templated_email(
        to=["lea@example.org"],
        template="reminders/email/meeting_due_soon",
        context={"other_first_name": "Karim", "due_on": datetime.date(2026, 3, 2)},
    )

    [message] = mail.outbox
    rhythm = f"(une rencontre d'au moins {RULES.session_minimum} {RULES.meeting_rhythm})"
    assert rhythm == "(une rencontre d'au moins 1h30 tous les mois et demi)"
    assert rhythm in message.body
    [(html_body, _)] = message.alternatives
    assert rhythm in html.unescape(html_body)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("timeout", "until"),
    [(3 * 24 * 3600, "5 décembre 2026 à 10h30"), (24 * 3600, "3 décembre 2026 à 10h30")],
)
def test_the_password_reset_email_says_until_when_its_link_lasts_from_the_setting(
    client, timeout, until
):
    UserFactory(email="lea.martin@example.org")

    with (
        override_settings(PASSWORD_RESET_TIMEOUT=timeout),
        time_machine.travel(datetime.datetime(2026, 12, 2, 9, 30, tzinfo=datetime.UTC)),
    ):
        ask_password_link(client, "lea.martin@example.org")

    [message] = mail.outbox
    assert f"Ouvrez ce lien (valable jusqu'au {until}) :" in message.body


@pytest.mark.parametrize(
    ("count", "words"), [(2000, "2 000 caractères"), (200, "200 caractères"), (1, "1 caractère")]
)
def test_length_limits_are_written_as_french_writes_them(count, words):
    assert programme.characters_words(count) == words
