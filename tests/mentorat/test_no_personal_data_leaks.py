"""No personal data in e-mail subjects (they travel through relays and mail logs in clear)
nor in the application's logs: every subject template rendered with anything a view could
put in its context, and the real flows run with unique markers as names and addresses."""

import datetime
import logging
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.template.loader import render_to_string
from django.urls import reverse

from matching.enums import Side
from matching.services import mentorship_propose, mentorship_respond
from mentees.models import Mentee
from mentors.models import Mentor
from tests.mentees.form_data import mentee_form_data, minor_form_data
from tests.mentors.form_data import mentor_form_data
from tests.users.staff import make_coordinator
from users.services import registration_approve, registration_reject

MARKER = "Qxmarq"


class Marked:
    """Whatever a template asks of it (attribute, item, call), it answers with the marker."""

    def __str__(self):
        return f"{MARKER} {MARKER.lower()}@example.org"

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return Marked()

    def __getitem__(self, key):
        return Marked()

    def __call__(self, *args, **kwargs):
        return Marked()

    def __iter__(self):
        return iter([Marked()])

    def __len__(self):
        return 1


class EveryName(dict):
    """A template context in which every variable exists and is personal data."""

    def __contains__(self, key):
        return True

    def __missing__(self, key):
        return Marked()


def subject_templates() -> list[str]:
    root = Path(settings.BASE_DIR) / "templates"
    names = [str(path.relative_to(root)) for path in root.glob("**/email/*_subject.txt")]
    return sorted(names)


def test_there_are_subject_templates_to_check():
    assert len(subject_templates()) > 15


@pytest.mark.parametrize("template", subject_templates())
def test_a_subject_template_shows_no_personal_data(template):
    subject = render_to_string(template, EveryName(programme_name="Mentorat"))
    assert MARKER.lower() not in subject.lower(), subject


# The real flows, with unique markers as the people's names and addresses.

MENTOR = {"first_name": "Qxmentorprenom", "last_name": "Qxmentornom"}
MENTOR_EMAIL = "qxmentor@example.org"
MENTEE = {"first_name": "Qxjeuneprenom", "last_name": "Qxjeunenom"}
MENTEE_EMAIL = "qxjeune@example.org"
MINOR_EMAIL = "qxmineur@example.org"
GUARDIAN = "Qxtuteur Qxparent"
GUARDIAN_EMAIL = "qxtuteur@example.org"
REJECTED_EMAIL = "qxrefuse@example.org"
MARKERS = [
    *MENTOR.values(),
    MENTOR_EMAIL,
    *MENTEE.values(),
    MENTEE_EMAIL,
    MINOR_EMAIL,
    *GUARDIAN.split(),
    GUARDIAN_EMAIL,
    REJECTED_EMAIL,
    "qxmentor",
    "qxjeune",
]


def _leaks(texts) -> list[tuple[str, str]]:
    return [
        (marker, text)
        for text in texts
        for marker in MARKERS
        if marker.lower() in str(text).lower()
    ]


@pytest.fixture
def flows(client, caplog, django_capture_on_commit_callbacks):
    """Every flow that e-mails or logs: registrations (a mentor, a young adult, a minor with
    a guardian, somebody registering twice, one rejected), approval, a proposal accepted by
    both, a failed login, and the reminders of the following months."""
    caplog.set_level(logging.DEBUG)
    coordinator = make_coordinator()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("mentors:register"),
            mentor_form_data(**MENTOR, email=MENTOR_EMAIL, accepts_minors=None),
        )
        client.post(reverse("mentees:register"), mentee_form_data(**MENTEE, email=MENTEE_EMAIL))
        client.post(
            reverse("mentees:register"),
            minor_form_data(
                16,
                first_name="Qxmineur",
                email=MINOR_EMAIL,
                guardian_name=GUARDIAN,
                guardian_email=GUARDIAN_EMAIL,
            ),
        )
        client.post(reverse("mentees:register"), mentee_form_data(**MENTEE, email=MENTEE_EMAIL))
        client.post(
            reverse("mentees:register"),
            mentee_form_data(first_name="Qxrefuse", last_name="Qxrefuse", email=REJECTED_EMAIL),
        )
    mentor = Mentor.objects.get(user__email=MENTOR_EMAIL)
    mentee = Mentee.objects.get(user__email=MENTEE_EMAIL)
    with django_capture_on_commit_callbacks(execute=True):
        registration_approve(registration=mentor, approved_by=coordinator)
        registration_approve(registration=mentee, approved_by=coordinator)
        registration_reject(
            registration=Mentee.objects.get(user__email=REJECTED_EMAIL),
            reason="Hors du territoire.",
            rejected_by=coordinator,
        )
    with django_capture_on_commit_callbacks(execute=True):
        pair = mentorship_propose(mentee=mentee, mentor=mentor, proposed_by=coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        mentorship_respond(mentorship=pair, side=Side.MENTOR, accept=True)
        mentorship_respond(mentorship=pair, side=Side.MENTEE, accept=True)
    client.post(reverse("login"), {"username": MENTOR_EMAIL, "password": "pas le bon"})
    today = datetime.date.today()
    for days in (10, 40, 50, 100):
        with django_capture_on_commit_callbacks(execute=True):
            call_command(
                "send_reminders",
                "--date",
                (today + datetime.timedelta(days=days)).isoformat(),
                stdout=StringIO(),
            )
    return caplog


@pytest.mark.django_db
def test_no_e_mail_subject_of_the_real_flows_names_anybody(flows):
    subjects = [message.subject for message in mail.outbox]
    recipients = {address for message in mail.outbox for address in message.to}
    # The flows did reach everybody, the guardian and the person who registered twice too.
    assert {MENTOR_EMAIL, MENTEE_EMAIL, GUARDIAN_EMAIL, REJECTED_EMAIL} <= recipients
    assert len(subjects) >= 10
    assert not _leaks(subjects)


@pytest.mark.django_db
def test_no_log_record_of_the_real_flows_names_anybody(flows):
    # The flows ran while the fixture was set up.
    records = [record.getMessage() for record in flows.get_records("setup")]
    assert records, "the flows log something (at least the failed login)"
    assert not _leaks(records)
