"""A prescriber refers a young person: the form, its refusals, the e-mails with the link."""

import pytest
from django.core import mail
from django.urls import reverse

from mentees.models import Mentee, PriorityPublic
from mentorat.demo.factories import PrescriberFactory
from prescribers.models import Referral

from .helpers import login_prescriber, minor_referral_data, referral_form_data

pytestmark = pytest.mark.django_db
URL = reverse("prescribers:refer")


@pytest.fixture
def prescriber():
    return PrescriberFactory(organisation__name="Mission Locale de Saint-Denis")


def post(client, capture, data):
    with capture(execute=True):
        return client.post(URL, data)


def test_a_referral_e_mails_the_young_person_a_link_and_registers_nobody(
    client, django_capture_on_commit_callbacks, prescriber
):
    login_prescriber(client, prescriber)
    data = referral_form_data(publics=["QPV", "SANS_RESEAU"])

    response = post(client, django_capture_on_commit_callbacks, data)

    referral = Referral.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("prescribers:referral", args=[referral.pk])
    assert referral.prescriber == prescriber
    assert referral.organisation == prescriber.organisation
    assert referral.email == "ines.moreau@example.org"
    assert referral.phone.as_e164 == "+33761234567"
    assert sorted(referral.publics.values_list("code", flat=True)) == ["QPV", "SANS_RESEAU"]
    assert referral.mentee is None
    # A referral is not a registration: nobody to review, nobody to match.
    assert not Mentee.objects.exists()
    [message] = mail.outbox
    assert message.to == ["ines.moreau@example.org"]
    assert "/orientation/inscription/" in message.body
    assert "Mission Locale de Saint-Denis" in message.body
    assert "Moreau" not in message.subject and "Inès" not in message.subject


def test_the_guardian_of_a_minor_receives_the_link_too(
    client, django_capture_on_commit_callbacks, prescriber
):
    login_prescriber(client, prescriber)

    post(client, django_capture_on_commit_callbacks, minor_referral_data())

    recipients = sorted(message.to[0] for message in mail.outbox)
    assert recipients == ["ines.moreau@example.org", "karima.moreau@example.org"]
    to_guardian = next(m for m in mail.outbox if m.to == ["karima.moreau@example.org"])
    assert "Bonjour Karima Moreau" in to_guardian.body
    assert "/orientation/inscription/" in to_guardian.body


@pytest.mark.parametrize("field", ["guardian_name", "guardian_email", "guardian_phone"])
def test_a_minor_needs_the_guardian_contact_beside_the_field(client, prescriber, field):
    login_prescriber(client, prescriber)

    response = client.post(URL, minor_referral_data(**{field: ""}))

    assert response.status_code == 200
    assert not Referral.objects.exists()
    form = response.context["form"]
    assert "Obligatoire pour un jeune de moins de 18 ans" in form.errors[field][0]
    html = response.content.decode()
    assert f'href="#id_{field}"' in html
    # What was typed is kept.
    assert 'value="Moreau-Orientee"' in html


def test_bad_input_is_shown_beside_each_field_in_french_and_the_rest_is_kept(client, prescriber):
    login_prescriber(client, prescriber)

    response = client.post(
        URL,
        referral_form_data(email="pas-une-adresse", phone="0000", birth_date="2000-02-31"),
    )

    errors = response.context["form"].errors
    assert errors["email"] == ["Saisissez une adresse e-mail valide (par exemple nom@exemple.fr)."]
    assert "numéro de téléphone valide" in errors["phone"][0]
    assert "date de naissance valide" in errors["birth_date"][0]
    html = response.content.decode()
    assert "Décrochage après le bac" in html
    assert 'value="Inès"' in html
    assert not Referral.objects.exists()


def test_an_age_outside_the_programme_is_refused(client, prescriber):
    login_prescriber(client, prescriber)

    response = client.post(URL, referral_form_data(birth_date="1980-01-01"))

    assert "birth_date" in response.context["form"].errors
    assert not Referral.objects.exists()


def test_a_withdrawn_public_is_not_offered(client, prescriber):
    PriorityPublic.objects.filter(code="QPV").update(is_active=False)
    login_prescriber(client, prescriber)

    response = client.post(URL, referral_form_data(publics=["QPV"]))

    assert "publics" in response.context["form"].errors
    assert not Referral.objects.exists()


def test_an_inactive_organisation_can_no_longer_refer(client, prescriber):
    prescriber.organisation.is_active = False
    prescriber.organisation.save()
    login_prescriber(client, prescriber)

    response = client.post(URL, referral_form_data())

    assert response.status_code == 200
    assert "ne peut plus orienter" in response.content.decode()
    assert not Referral.objects.exists()


def test_an_overloaded_database_answers_the_form_as_it_was_typed(client, prescriber, monkeypatch):
    import html

    from django.db import OperationalError
    from django.db.backends.utils import CursorWrapper

    from users.overload import OVERLOADED

    login_prescriber(client, prescriber)
    execute = CursorWrapper._execute

    def refusing(self, sql, params, *args):
        if sql.lstrip().upper().startswith("INSERT") and Referral._meta.db_table in sql:
            raise OperationalError("database is locked")
        return execute(self, sql, params, *args)

    monkeypatch.setattr(CursorWrapper, "_execute", refusing)

    response = client.post(URL, referral_form_data())

    assert response.status_code == 200
    text = html.unescape(response.content.decode())
    assert OVERLOADED in text
    assert "Décrochage après le bac" in text
    assert not Referral.objects.exists()
