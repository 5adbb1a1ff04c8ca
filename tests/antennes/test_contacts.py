"""A member of an antenne is shown their antenne's contacts (their space, the footer of every
page, their e-mails) instead of the programme's; anybody else, the programme's."""

import datetime

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from matching.enums import MentorshipStatus
from matching.tasks import send_closure_emails
from mentees.tasks import send_guardian_consent_request
from tests.antennes.factories import make_antenne
from tests.matching.factories import MentorshipFactory
from tests.mentees.factories import MenteeFactory
from tests.mentors.factories import MentorFactory
from tests.users.factories import UserFactory
from users.antennes import contacts_for
from users.services import registration_move_antenne
from users.tasks import send_registration_email

pytestmark = pytest.mark.django_db

PROGRAMME = [{"name": "Camille Martin", "email": "camille.martin@programme.example"}]


@pytest.fixture(autouse=True)
def programme_contacts():
    with override_settings(PROGRAMME_CONTACTS=PROGRAMME):
        yield


@pytest.fixture
def est():
    return make_antenne(
        "Île-de-France Est",
        ["93"],
        contact_name="Équipe de Bobigny",
        contact_email="bobigny@antennes.example",
        contact_phone="+33148000000",
        address="12 rue de la République\n93000 Bobigny",
        opening_hours="du lundi au vendredi, de 9 h à 17 h",
    )


@pytest.fixture
def lyon():
    return make_antenne("Lyon Métropole", ["69"], contact_email="lyon@antennes.example")


def test_contacts_for_a_member_of_an_antenne_are_the_antenne_s(est, django_assert_num_queries):
    mentee = MenteeFactory(antenne=est)

    with django_assert_num_queries(1):
        contacts = contacts_for(mentee.user)

    assert contacts == [
        {
            "name": "Équipe de Bobigny",
            "email": "bobigny@antennes.example",
            "phone": "01 48 00 00 00",
            "phone_e164": "+33148000000",
            "address": "12 rue de la République\n93000 Bobigny",
            "hours": "du lundi au vendredi, de 9 h à 17 h",
            "antenne": "Île-de-France Est",
        }
    ]


def test_an_antenne_without_a_contact_name_is_named_after_itself(lyon):
    mentor = MentorFactory(antenne=lyon)

    [contact] = contacts_for(mentor.user)

    assert (contact["name"], contact["email"]) == (
        "Antenne Lyon Métropole",
        "lyon@antennes.example",
    )


def test_contacts_for_anybody_else_are_the_programme_s_without_a_query(
    est, django_assert_num_queries
):
    national = MenteeFactory(antenne=None).user
    coordinator = UserFactory(coordinator=True)
    with django_assert_num_queries(1):
        assert contacts_for(national) == PROGRAMME
    with django_assert_num_queries(0):
        assert contacts_for(coordinator) == PROGRAMME
        assert contacts_for(None) == PROGRAMME


def test_a_member_of_an_antenne_sees_its_contacts_in_their_space(client, est):
    mentee = MenteeFactory(antenne=est, approved=True)
    client.force_login(mentee.user)

    page = client.get(reverse("spaces:home")).content.decode()

    assert "Mon antenne : Île-de-France Est" in page
    assert 'href="mailto:bobigny@antennes.example"' in page
    assert 'href="tel:+33148000000"' in page
    assert "12 rue de la République<br>93000 Bobigny" in page
    assert "du lundi au vendredi, de 9 h à 17 h" in page
    # The footer of every page, too, instead of the programme's.
    assert "Contacts de l'antenne Île-de-France Est" in page
    assert "camille.martin@programme.example" not in page


def test_a_national_member_sees_the_programme_s_contacts(client, est):
    mentee = MenteeFactory(antenne=None, approved=True)
    client.force_login(mentee.user)

    page = client.get(reverse("spaces:home")).content.decode()

    assert "Mon antenne" not in page
    assert 'href="mailto:camille.martin@programme.example"' in page
    assert "bobigny@antennes.example" not in page


def test_the_space_costs_the_same_queries_with_or_without_an_antenne(client, est):
    counts = []
    for antenne in (None, est):
        mentee = MenteeFactory(antenne=antenne, approved=True)
        client.force_login(mentee.user)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("spaces:home")).status_code == 200
        counts.append(len(queries))

    assert counts[0] == counts[1]


def test_the_footer_costs_no_query_once_read(client, est):
    mentee = MenteeFactory(antenne=est, approved=True)
    client.force_login(mentee.user)
    url = reverse("reminders:preferences")
    client.get(url)
    with CaptureQueriesContext(connection) as first:
        client.get(url)

    with CaptureQueriesContext(connection) as again:
        page = client.get(url).content.decode()

    assert len(again) == len(first)
    assert not [q for q in again.captured_queries if "users_antenne" in q["sql"]]
    assert "bobigny@antennes.example" in page


def test_a_moved_member_sees_the_new_antenne_s_contacts_on_the_next_page(
    client, est, lyon, django_capture_on_commit_callbacks
):
    mentee = MenteeFactory(antenne=est, approved=True)
    client.force_login(mentee.user)
    assert "bobigny@antennes.example" in client.get(reverse("spaces:home")).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        registration_move_antenne(
            registration=mentee, antenne=lyon, moved_by=UserFactory(coordinator=True), reason="x"
        )

    page = client.get(reverse("spaces:home")).content.decode()
    assert "lyon@antennes.example" in page
    assert "bobigny@antennes.example" not in page


def test_an_antenne_s_new_contacts_are_shown_on_the_next_page(
    client, est, django_capture_on_commit_callbacks
):
    mentee = MenteeFactory(antenne=est, approved=True)
    client.force_login(mentee.user)
    client.get(reverse("spaces:home"))

    with django_capture_on_commit_callbacks(execute=True):
        est.contact_email = "accueil-93@antennes.example"
        est.save()

    assert "accueil-93@antennes.example" in client.get(reverse("spaces:home")).content.decode()


# --- E-mails


@pytest.mark.parametrize("kind", ["received", "rejected"])
def test_a_member_of_an_antenne_is_e_mailed_its_contacts(mailoutbox, est, kind):
    mentor = MentorFactory(antenne=est, rejection_reason="Pas de créneau")

    send_registration_email("mentors.Mentor", mentor.pk, kind)

    [message] = mailoutbox
    html = message.alternatives[0][0]
    for body in (message.body, html):
        assert "bobigny@antennes.example" in body
        assert "01 48 00 00 00" in body
        assert "camille.martin@programme.example" not in body


def test_a_national_member_is_e_mailed_the_programme_s_contacts(mailoutbox, est):
    mentor = MentorFactory(antenne=None)

    send_registration_email("mentors.Mentor", mentor.pk, "received")

    [message] = mailoutbox
    assert "camille.martin@programme.example" in message.body
    assert "bobigny@antennes.example" not in message.body


def test_a_minor_s_guardian_is_e_mailed_the_young_person_s_antenne(mailoutbox, est):
    mentee = MenteeFactory(antenne=est, minor=True)

    send_guardian_consent_request(mentee.pk)

    [message] = mailoutbox
    assert message.to == [mentee.guardian_email]
    assert "bobigny@antennes.example" in message.body


def test_each_member_of_a_closed_pair_is_e_mailed_their_own_antenne(mailoutbox, est, lyon):
    pair = MentorshipFactory(
        mentor=MentorFactory(approved=True, antenne=lyon, referent=None),
        mentee=MenteeFactory(approved=True, antenne=est),
        status=MentorshipStatus.CLOSED,
        started_on=datetime.date(2025, 9, 1),
        ended_on=datetime.date(2026, 3, 16),
    )

    send_closure_emails(pair.pk)

    [young] = [m for m in mailoutbox if m.to == [pair.mentee.user.email]]
    [mentor] = [m for m in mailoutbox if m.to == [pair.mentor.user.email]]
    assert "bobigny@antennes.example" in young.body
    assert "lyon@antennes.example" not in young.body
    assert "lyon@antennes.example" in mentor.body
    assert "bobigny@antennes.example" not in mentor.body
