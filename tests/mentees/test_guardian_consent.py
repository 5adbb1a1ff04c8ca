import datetime

import pytest
import time_machine
from django.utils import timezone

from mentees.consent import guardian_consent_path
from mentees.models import Mentee
from tests.mentees.factories import MenteeFactory
from users.enums import ConsentKind, RegistrationStatus

pytestmark = pytest.mark.django_db


def give_consent(client, path, name="Nadia Haddad"):
    return client.post(path, {"guardian_name": name, "agree": "on"})


def test_opening_the_link_shows_the_request_without_recording_anything(client):
    mentee = MenteeFactory(under_15=True)

    response = client.get(guardian_consent_path(mentee))

    assert response.status_code == 200
    assert mentee.user.first_name in response.content.decode()
    mentee.refresh_from_db()
    assert mentee.guardian_consent_at is None


def test_a_valid_link_records_the_consent_and_releases_an_under_15_for_review(client):
    mentee = MenteeFactory(under_15=True)

    response = give_consent(client, guardian_consent_path(mentee))

    assert response.status_code == 200
    assert "votre accord a bien été enregistré" in response.content.decode()
    mentee.refresh_from_db()
    assert mentee.guardian_consent_at is not None
    assert mentee.status == RegistrationStatus.PENDING_REVIEW
    consent = mentee.user.consents.get(kind=ConsentKind.GUARDIAN)
    assert consent.given_by_name == "Nadia Haddad"
    assert consent.given_by_email == mentee.guardian_email
    last = mentee.history.latest()
    assert last.history_change_reason == "Accord du représentant légal"


def test_consent_of_a_15_to_17_year_old_keeps_their_review_status(client):
    mentee = MenteeFactory(minor=True, approved=True)

    give_consent(client, guardian_consent_path(mentee))

    mentee.refresh_from_db()
    assert mentee.status == RegistrationStatus.APPROVED
    assert mentee.guardian_consent_at is not None


def test_the_guardian_must_tick_the_agreement(client):
    mentee = MenteeFactory(under_15=True)

    response = client.post(guardian_consent_path(mentee), {"guardian_name": "Nadia Haddad"})

    assert "Cochez cette case pour donner votre accord." in response.context["form"].errors["agree"]
    mentee.refresh_from_db()
    assert mentee.guardian_consent_at is None


def test_an_expired_link_is_refused(client):
    mentee = MenteeFactory(under_15=True)
    path = guardian_consent_path(mentee)

    with time_machine.travel(timezone.now() + datetime.timedelta(days=15)):
        response = give_consent(client, path)

    assert response.status_code == 400
    assert "Ce lien a expiré" in response.content.decode()
    mentee.refresh_from_db()
    assert mentee.guardian_consent_at is None
    assert mentee.status == RegistrationStatus.AWAITING_GUARDIAN_CONSENT


def test_a_link_still_works_on_its_last_valid_day(client):
    mentee = MenteeFactory(under_15=True)
    path = guardian_consent_path(mentee)

    with time_machine.travel(timezone.now() + datetime.timedelta(days=13, hours=23)):
        give_consent(client, path)

    mentee.refresh_from_db()
    assert mentee.guardian_consent_at is not None


def test_a_tampered_link_is_refused(client):
    mentee = MenteeFactory(under_15=True)
    other = MenteeFactory(under_15=True)
    path = guardian_consent_path(mentee)
    # Swap the signed payload for another young person's: the signature no longer matches.
    token = path.rstrip("/").split("/")[-1]
    other_token = guardian_consent_path(other).rstrip("/").split("/")[-1]
    forged = other_token.split(":")[0] + ":" + ":".join(token.split(":")[1:])

    response = give_consent(client, path.replace(token, forged))

    assert response.status_code == 400
    assert "Ce lien n&#x27;est pas valide" in response.content.decode()
    assert not Mentee.objects.filter(guardian_consent_at__isnull=False).exists()


def test_a_link_cannot_be_used_twice(client):
    mentee = MenteeFactory(under_15=True)
    path = guardian_consent_path(mentee)
    give_consent(client, path)
    first_consent_at = Mentee.objects.get().guardian_consent_at

    response = give_consent(client, path, name="Quelqu'un d'autre")

    assert "Ce lien a déjà été utilisé" in response.content.decode()
    mentee.refresh_from_db()
    assert mentee.guardian_consent_at == first_consent_at
    assert mentee.user.consents.filter(kind=ConsentKind.GUARDIAN).count() == 1


def test_changing_the_guardian_address_voids_the_links_already_sent(client):
    mentee = MenteeFactory(under_15=True)
    path = guardian_consent_path(mentee)
    Mentee.objects.filter(pk=mentee.pk).update(guardian_email="autre.parent@example.org")

    response = give_consent(client, path)

    assert response.status_code == 400
    mentee.refresh_from_db()
    assert mentee.guardian_consent_at is None
