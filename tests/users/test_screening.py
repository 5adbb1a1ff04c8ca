import pytest
from django.core import mail

from tests.mentees.factories import MenteeFactory
from tests.mentors.factories import MentorFactory
from tests.users.factories import UserFactory
from users.enums import RegistrationStatus
from users.history import status_changes
from users.services import RegistrationError, registration_approve, registration_reject

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator():
    return UserFactory(coordinator=True, first_name="Camille", last_name="Martin")


@pytest.mark.parametrize("factory", [MentorFactory, MenteeFactory])
def test_approval_records_who_and_when_and_emails_the_person(
    factory, coordinator, django_capture_on_commit_callbacks
):
    registration = factory(user__without_password=True)

    with django_capture_on_commit_callbacks(execute=True):
        registration_approve(registration=registration, approved_by=coordinator)

    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.APPROVED
    assert registration.reviewed_by == coordinator
    assert registration.reviewed_at is not None
    [message] = mail.outbox
    assert message.to == [registration.user.email]
    assert message.subject == (
        "Mentorat AJE : "
        + ("votre inscription" if registration._meta.model_name == "mentor" else "ton inscription")
        + " est validée"
    )
    assert "/compte/mot-de-passe/choisir/" in message.body


@pytest.mark.parametrize("factory", [MentorFactory, MenteeFactory])
def test_rejection_needs_a_reason_which_is_emailed(
    factory, coordinator, django_capture_on_commit_callbacks
):
    registration = factory()

    with pytest.raises(RegistrationError, match="motif"):
        registration_reject(registration=registration, reason="  ", rejected_by=coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        registration_reject(
            registration=registration,
            reason="Vous habitez hors du territoire.",
            rejected_by=coordinator,
        )

    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.REJECTED
    assert registration.rejection_reason == "Vous habitez hors du territoire."
    [message] = mail.outbox
    assert "Vous habitez hors du territoire." in message.body
    assert "hors du territoire" not in message.subject


def test_every_status_change_is_recorded_with_who_when_from_and_to(coordinator):
    mentor = MentorFactory()
    registration_reject(registration=mentor, reason="Dossier incomplet", rejected_by=coordinator)
    registration_approve(registration=mentor, approved_by=coordinator)

    changes = status_changes(mentor)

    assert [(c.from_status, c.to_status) for c in changes] == [
        (None, RegistrationStatus.PENDING_REVIEW),
        (RegistrationStatus.PENDING_REVIEW, RegistrationStatus.REJECTED),
        (RegistrationStatus.REJECTED, RegistrationStatus.APPROVED),
    ]
    assert changes[1].by == coordinator
    assert changes[1].reason == "Dossier incomplet"
    assert changes[2].by == coordinator
    assert changes[1].at <= changes[2].at


def test_it_refuses_to_approve_an_under_15_before_the_guardian_consents(coordinator):
    mentee = MenteeFactory(under_15=True)

    with pytest.raises(RegistrationError, match="représentant légal"):
        registration_approve(registration=mentee, approved_by=coordinator)

    mentee.refresh_from_db()
    assert mentee.status == RegistrationStatus.AWAITING_GUARDIAN_CONSENT


def test_it_refuses_to_approve_twice(coordinator):
    mentor = MentorFactory(approved=True)
    with pytest.raises(RegistrationError, match="déjà validée"):
        registration_approve(registration=mentor, approved_by=coordinator)


def test_an_approved_registration_is_emailed_a_login_link_once_a_password_exists(
    coordinator, django_capture_on_commit_callbacks
):
    mentor = MentorFactory()  # factory users have a password
    with django_capture_on_commit_callbacks(execute=True):
        registration_approve(registration=mentor, approved_by=coordinator)
    [message] = mail.outbox
    assert "/compte/connexion/" in message.body
