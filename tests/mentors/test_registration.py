import re

import pytest
from django.core import mail
from django.urls import reverse

from mentors.models import Mentor
from tests.mentors.form_data import mentor_form_data
from tests.users.factories import UserFactory
from tests.utils import assert_error_tied_to_field
from users.enums import ConsentKind, RegistrationStatus
from users.models import Consent, User

URL = reverse("mentors:register")

pytestmark = pytest.mark.django_db


def post(client, django_capture_on_commit_callbacks, **overrides):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(URL, mentor_form_data(**overrides))


def test_the_form_is_public_and_links_the_privacy_notice(client):
    response = client.get(URL)
    assert response.status_code == 200
    assert reverse("privacy") in response.content.decode()


def test_a_mentor_registers_pending_review(client, django_capture_on_commit_callbacks):
    response = post(client, django_capture_on_commit_callbacks)

    assert response.status_code == 302
    assert response.url == reverse("mentors:registration_done")
    mentor = Mentor.objects.select_related("user").get()
    assert mentor.status == RegistrationStatus.PENDING_REVIEW
    assert mentor.user.email == "sophie.lemoine@example.org"
    assert mentor.user.get_full_name() == "Sophie Lemoine"
    assert not mentor.user.has_usable_password()
    assert mentor.department == "93"
    assert mentor.help_topics == ["orientation", "alternance"]
    assert mentor.languages == ["fr", "en"]
    assert mentor.capacity == 2
    assert mentor.accepts_minors is True
    assert mentor.charter_version == "2026-01"
    assert mentor.charter_accepted_at is not None


def test_the_phone_number_is_normalised(client, django_capture_on_commit_callbacks):
    post(client, django_capture_on_commit_callbacks, phone="06.12.34.56.78")
    assert Mentor.objects.get().phone.as_e164 == "+33612345678"


def test_charter_and_privacy_acceptance_are_recorded(client, django_capture_on_commit_callbacks):
    post(client, django_capture_on_commit_callbacks)
    consents = {consent.kind: consent for consent in Consent.objects.all()}
    assert set(consents) == {ConsentKind.PRIVACY_NOTICE, ConsentKind.MENTOR_CHARTER}
    assert consents[ConsentKind.MENTOR_CHARTER].version == "2026-01"
    assert consents[ConsentKind.MENTOR_CHARTER].given_by_email == "sophie.lemoine@example.org"


def test_the_registrant_gets_an_acknowledgement_with_a_link_to_choose_a_password(
    client, django_capture_on_commit_callbacks
):
    post(client, django_capture_on_commit_callbacks)

    [message] = mail.outbox
    assert message.to == ["sophie.lemoine@example.org"]
    assert message.subject == "Mentorat AJE : inscription bien reçue"
    assert "Sophie" not in message.subject
    assert "/compte/mot-de-passe/choisir/" in message.body
    assert message.alternatives[0][1] == "text/html"
    set_password_path = message.body.split("http://testserver")[1].split()[0]
    response = client.get(set_password_path, follow=True)
    assert response.context["validlink"] is True


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("first_name", "", "Ce champ est obligatoire."),
        ("email", "pas-une-adresse", "Saisissez une adresse e-mail valide"),
        ("phone", "12345", "Saisissez un numéro de téléphone valide"),
        ("postal_code", "9320", "Saisissez un code postal français à 5 chiffres"),
        ("postal_code", "00100", "Saisissez un code postal français à 5 chiffres"),
        ("sector", "astronaute", "Sélectionnez un choix valide"),
        ("years_of_experience", "61", "Indiquez un nombre d'années entre 0 et 60."),
        ("help_topics", [], "Cochez au moins une case."),
        ("help_topics", ["magic"], "Sélectionnez un choix valide"),
        ("availability", [], "Cochez au moins une case."),
        ("capacity", "0", "Vous pouvez suivre au moins 1 jeune."),
        ("capacity", "4", "Vous pouvez suivre au plus 3 jeunes en même temps."),
        ("motivation", "x" * 2001, "au plus 2000 caractères"),
        ("accept_charter", None, "Vous devez accepter la charte du mentor"),
        ("accept_privacy", None, "Vous devez accepter la politique de confidentialité"),
    ],
)
def test_it_refuses_bad_input_with_a_french_message_beside_the_field(client, field, value, message):
    response = client.post(URL, mentor_form_data(**{field: value}))

    assert response.status_code == 200
    assert not Mentor.objects.exists()
    form = response.context["form"]
    assert message in " ".join(form.errors[field])
    assert_error_tied_to_field(response.content.decode(), field)


def test_a_rejected_form_keeps_what_was_typed(client):
    response = client.post(
        URL, mentor_form_data(phone="12", employer="SNCF", motivation="Partager")
    )

    html = response.content.decode()
    assert 'value="SNCF"' in html
    assert 'value="Sophie"' in html
    assert "Partager</textarea>" in html
    assert re.search(r'value="orientation"[^>]*checked', html)
    assert not re.search(r'value="job_search"[^>]*checked', html)


def test_registering_again_with_a_known_address_looks_the_same_and_tells_the_owner(
    client, django_capture_on_commit_callbacks
):
    UserFactory(email="sophie.lemoine@example.org")

    response = post(client, django_capture_on_commit_callbacks, email="Sophie.Lemoine@Example.org")

    assert response.status_code == 302
    assert response.url == reverse("mentors:registration_done")
    assert not Mentor.objects.exists()
    assert User.objects.count() == 1
    [message] = mail.outbox
    assert message.to == ["sophie.lemoine@example.org"]
    assert "déjà un compte" in message.subject
    assert "/compte/mot-de-passe/oubli/" in message.body


def test_a_bot_filling_the_honeypot_is_thanked_but_nothing_is_saved(
    client, django_capture_on_commit_callbacks
):
    response = post(client, django_capture_on_commit_callbacks, website="http://spam.example")

    assert response.status_code == 302
    assert not Mentor.objects.exists()
    assert not User.objects.exists()
    assert mail.outbox == []


def test_the_honeypot_is_hidden_from_people(client):
    html = client.get(URL).content.decode()
    # The wrapper hiding the honeypot opens just before the field's own block.
    before_honeypot = re.sub(r"\s+", " ", html.split('id="div_id_website"')[0])
    assert before_honeypot.rstrip().endswith('class="d-none" > <div')


def test_the_form_requires_the_csrf_token():
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(URL, mentor_form_data())
    assert response.status_code == 403
    assert not Mentor.objects.exists()


def test_a_mentor_may_say_they_travel_across_their_whole_region(
    client, django_capture_on_commit_callbacks
):
    page = client.get(URL).content.decode()
    assert "je peux me déplacer dans toute la région" in page.lower()

    post(client, django_capture_on_commit_callbacks, travels_whole_region="on")

    assert Mentor.objects.get().travels_whole_region is True


def test_by_default_a_mentor_meets_in_their_and_the_neighbouring_departements(
    client, django_capture_on_commit_callbacks
):
    post(client, django_capture_on_commit_callbacks)

    assert Mentor.objects.get().travels_whole_region is False
