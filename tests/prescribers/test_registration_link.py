"""The young person's signed link: it opens their own registration form, filled with what the
prescriber typed; completing it links the registration back to the referral."""

import datetime

import pytest
import time_machine
from django.core import mail, signing
from django.utils import timezone

from mentees.enums import Declarant
from mentees.models import Mentee, PriorityPublic
from mentorat.demo.bench.form_data import mentee_form_data, minor_form_data
from mentorat.demo.factories import ReferralFactory, UserFactory
from prescribers.links import SALT, referral_registration_path, referral_token
from prescribers.models import Referral
from users.enums import ConsentKind, RegistrationStatus

pytestmark = pytest.mark.django_db
GUARDIAN_SALT = "mentees.guardian-consent"


def completed_form(referral, **overrides):
    """The young person's form as they send it: what was prefilled, and the rest."""
    return mentee_form_data(
        first_name=referral.first_name,
        last_name=referral.last_name,
        email=referral.email,
        birth_date=referral.birth_date.isoformat(),
        **overrides,
    )


def test_the_link_opens_the_registration_form_filled_with_the_referral(client):
    referral = ReferralFactory(first_name="Inès", last_name="Moreau", phone="+33761234567")

    response = client.get(referral_registration_path(referral))

    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["first_name"] == "Inès"
    assert form.initial["email"] == referral.email
    html = response.content.decode()
    # The date input shows what the browser reads: an ISO date.
    assert f'value="{referral.birth_date.isoformat()}"' in html
    assert 'value="Moreau"' in html
    assert "Compléter mon inscription" in html
    # The young person gives their own consent: the box is theirs to tick.
    assert 'name="accept_privacy"' in html


def test_completing_it_registers_the_young_person_and_links_the_referral(
    client, django_capture_on_commit_callbacks
):
    referral = ReferralFactory()
    referral.publics.set(PriorityPublic.objects.filter(code__in=["ASE", "QPV"]))
    path = referral_registration_path(referral)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(path, completed_form(referral, priority_publics=["QPV"]))

    assert response.status_code == 302
    mentee = Mentee.objects.get()
    referral.refresh_from_db()
    assert referral.mentee == mentee
    assert referral.registered_at == mentee.created_at
    # The usual registration: to review by staff, nobody matched yet, their own consent.
    assert mentee.status == RegistrationStatus.PENDING_REVIEW
    assert mentee.user.consents.filter(kind=ConsentKind.PRIVACY_NOTICE).count() == 1
    assert not mentee.mentorships.exists()
    marks = {mark.public.code: mark for mark in mentee.priority_marks.select_related("public")}
    # What the young person ticked is theirs; what only the prescriber said is the
    # prescriber's, for staff to confirm.
    assert marks["QPV"].declared_by == Declarant.MENTEE
    assert marks["ASE"].declared_by == Declarant.PRESCRIBER
    assert marks["ASE"].declared_by_user == referral.prescriber.user
    assert marks["ASE"].confirmed_at is None
    assert [message.to for message in mail.outbox] == [[referral.email]]


def test_a_minor_registered_from_the_link_waits_for_the_guardians_consent(
    client, django_capture_on_commit_callbacks
):
    data = minor_form_data(16)
    referral = ReferralFactory(
        birth_date=datetime.date.fromisoformat(data["birth_date"]),
        guardian_name=data["guardian_name"],
        guardian_email=data["guardian_email"],
        guardian_phone="+33611223344",
    )

    with django_capture_on_commit_callbacks(execute=True):
        client.post(referral_registration_path(referral), {**data, "email": referral.email})

    mentee = Mentee.objects.get()
    assert mentee.guardian_consent_at is None
    assert Referral.objects.get().mentee == mentee
    to_guardian = [m for m in mail.outbox if m.to == [data["guardian_email"]]]
    assert len(to_guardian) == 1
    assert "/jeunes/accord-parental/" in to_guardian[0].body


def test_a_rejected_form_keeps_the_input_and_leaves_the_referral_open(client):
    referral = ReferralFactory()

    response = client.post(
        referral_registration_path(referral), completed_form(referral, postal_code="123")
    )

    assert response.status_code == 200
    assert "postal_code" in response.context["form"].errors
    assert "Trouver une alternance en développement web." in response.content.decode()
    assert Referral.objects.get().mentee is None


def test_an_address_that_has_an_account_reveals_nothing_and_leaves_the_referral_open(
    client, django_capture_on_commit_callbacks
):
    referral = ReferralFactory()
    UserFactory(email=referral.email)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(referral_registration_path(referral), completed_form(referral))

    assert response.status_code == 302
    assert not Mentee.objects.exists()
    assert Referral.objects.get().mentee is None


def test_a_used_link_says_the_registration_is_done(client):
    referral = ReferralFactory()
    path = referral_registration_path(referral)
    client.post(path, completed_form(referral))

    response = client.get(path)

    assert response.status_code == 200
    assert "Ce lien a déjà servi" in response.content.decode()
    assert Mentee.objects.count() == 1


def test_an_expired_link_is_refused(client):
    referral = ReferralFactory()
    with time_machine.travel(timezone.now() - datetime.timedelta(days=31)):
        path = referral_registration_path(referral)

    response = client.get(path)

    assert response.status_code == 400
    assert "Ce lien a expiré" in response.content.decode()


def test_a_link_within_its_validity_still_opens(client):
    referral = ReferralFactory()
    with time_machine.travel(timezone.now() - datetime.timedelta(days=29)):
        path = referral_registration_path(referral)

    assert client.get(path).status_code == 200


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: token[:-2],
        lambda token: token.replace(":", ";", 1),
        lambda token: signing.dumps(
            {"r": 1, "e": "x@example.org"}, salt="mentees.guardian-consent"
        ),
    ],
    ids=["truncated", "altered", "another-salt"],
)
def test_a_tampered_link_is_refused_and_registers_nobody(client, tamper):
    referral = ReferralFactory()
    token = tamper(referral_token(referral))

    response = client.post(f"/orientation/inscription/{token}/", completed_form(referral))

    assert response.status_code == 400
    assert not Mentee.objects.exists()


def test_a_link_for_another_referral_id_is_refused(client):
    referral = ReferralFactory()
    forged = signing.dumps({"r": referral.pk + 1, "e": referral.email}, salt=SALT)

    assert client.get(f"/orientation/inscription/{forged}/").status_code == 400


def test_correcting_the_address_voids_the_links_already_sent(client):
    referral = ReferralFactory()
    path = referral_registration_path(referral)
    Referral.objects.filter(pk=referral.pk).update(email="autre@example.org")

    response = client.get(path)

    assert response.status_code == 400
    assert "plus valide" in response.content.decode()
