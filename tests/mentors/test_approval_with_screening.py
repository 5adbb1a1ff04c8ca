"""Approving a mentor who accepts minors asks for their honorability check on the spot: the
document seen (from the fixed list) and its date, recorded in the coordinator's name and
approved in one transaction. A mentor whose check is still valid, or who does not accept
minors, is approved directly."""

import datetime

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from mentors.enums import ScreeningDocument
from mentors.models import ScreeningRecord
from mentors.services import mentor_approve_with_screening
from tests.mentors.factories import MentorFactory, ScreeningRecordFactory
from tests.users.staff import login_staff, make_coordinator
from users.enums import RegistrationStatus
from users.services import RegistrationError

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("today")]

TODAY = datetime.date(2026, 6, 15)
VALIDITY = 365
CRIMINAL_RECORD = ScreeningDocument.CRIMINAL_RECORD


@pytest.fixture
def today(time_machine):
    time_machine.move_to(datetime.datetime(2026, 6, 15, 10, 0), tick=False)
    with override_settings(SCREENING_VALIDITY_DAYS=VALIDITY):
        yield


@pytest.fixture
def coordinator():
    return make_coordinator(first_name="Camille", last_name="Martin")


@pytest.fixture
def coordinator_client(client, coordinator):
    return login_staff(client, coordinator)


def approve_url(mentor):
    return reverse("admin:mentors_mentor_approve", args=[mentor.pk])


def change_url(mentor):
    return reverse("admin:mentors_mentor_change", args=[mentor.pk])


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


def days_ago(days: int) -> str:
    return (TODAY - datetime.timedelta(days=days)).isoformat()


def test_the_person_s_page_leads_a_mentor_to_check_to_the_approval_page(coordinator_client):
    mentor = MentorFactory(accepts_minors=True)

    html = coordinator_client.get(change_url(mentor)).content.decode()

    assert f'<a class="button default" href="{approve_url(mentor)}">' in html
    assert f'<form method="post" action="{approve_url(mentor)}">' not in html


def test_the_approval_page_asks_the_document_and_its_date(coordinator_client):
    mentor = MentorFactory(accepts_minors=True)

    response = coordinator_client.get(approve_url(mentor))

    html = response.content.decode()
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.fields["document"].choices) == list(ScreeningDocument.choices)
    assert '<legend class="required">Pièce vue</legend>' in html
    assert '<label for="id_checked_on" class="required">Date du contrôle</label>' in html
    assert f'min="{days_ago(VALIDITY)}"' in html and f'max="{TODAY.isoformat()}"' in html
    # The expiry, from SCREENING_VALIDITY_DAYS.
    assert (
        "Un contrôle reste valable 365 jours : vu aujourd'hui, il le serait jusqu'au 15/06/2027"
        in html
    )


def test_a_coordinator_records_the_check_and_approves_together(
    coordinator_client, coordinator, django_capture_on_commit_callbacks
):
    mentor = MentorFactory(accepts_minors=True)

    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(
            approve_url(mentor),
            {"document": CRIMINAL_RECORD, "checked_on": days_ago(10)},
            follow=True,
        )

    record = ScreeningRecord.objects.get()
    assert (record.mentor, record.document, record.checked_by) == (
        mentor,
        CRIMINAL_RECORD.value,
        coordinator,
    )
    assert record.checked_on == TODAY - datetime.timedelta(days=10)
    mentor.refresh_from_db()
    assert mentor.status == RegistrationStatus.APPROVED
    assert mentor.is_cleared_for_minors(today=TODAY)
    assert response.redirect_chain[-1][0] == change_url(mentor)
    assert messages_of(response) == [
        f"Inscription de {mentor} validée ; contrôle d'honorabilité enregistré, valable "
        "jusqu'au 05/06/2027. Un e-mail lui a été envoyé."
    ]
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    ("checked_on", "error"),
    [
        (days_ago(-1), "La date du contrôle ne peut pas être dans le futur."),
        (days_ago(VALIDITY + 1), "Un contrôle de plus de 365 jours n&#x27;est plus valable"),
        ("", "Indiquez la date à laquelle vous avez vu la pièce."),
        ("31/02/2026", "Saisissez une date valide"),
    ],
)
def test_a_wrong_date_is_refused_beside_the_field_with_what_was_typed(
    coordinator_client, checked_on, error
):
    mentor = MentorFactory(accepts_minors=True)

    response = coordinator_client.post(
        approve_url(mentor), {"document": CRIMINAL_RECORD, "checked_on": checked_on}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert error in html
    assert f'value="{CRIMINAL_RECORD}"' in html and "checked" in html
    if checked_on:
        assert f'value="{checked_on}"' in html
    assert not ScreeningRecord.objects.exists()
    mentor.refresh_from_db()
    assert mentor.status == RegistrationStatus.PENDING_REVIEW


def test_a_check_exactly_as_old_as_the_validity_is_accepted(coordinator_client):
    mentor = MentorFactory(accepts_minors=True)

    coordinator_client.post(
        approve_url(mentor), {"document": CRIMINAL_RECORD, "checked_on": days_ago(VALIDITY)}
    )

    mentor.refresh_from_db()
    assert mentor.status == RegistrationStatus.APPROVED


def test_a_document_outside_the_list_is_refused(coordinator_client):
    mentor = MentorFactory(accepts_minors=True)

    response = coordinator_client.post(
        approve_url(mentor), {"document": "Une photo", "checked_on": days_ago(3)}
    )

    assert "Choisissez la pièce vue dans la liste." in response.content.decode()
    assert not ScreeningRecord.objects.exists()


def test_the_page_shows_the_expiry_of_the_date_typed(coordinator_client):
    mentor = MentorFactory(accepts_minors=True)

    response = coordinator_client.post(approve_url(mentor), {"checked_on": days_ago(30)})

    assert "Avec la date saisie, il sera valable jusqu'au 16/05/2027." in (
        response.content.decode()
    )


def test_a_coordinator_may_approve_now_and_record_the_check_later(coordinator_client):
    mentor = MentorFactory(accepts_minors=True)

    coordinator_client.post(approve_url(mentor), {"sans_controle": "1"})

    mentor.refresh_from_db()
    assert mentor.status == RegistrationStatus.APPROVED
    assert not ScreeningRecord.objects.exists()
    assert not mentor.is_cleared_for_minors(today=TODAY)


@pytest.mark.parametrize(
    "mentor",
    [
        lambda: MentorFactory(accepts_minors=False),
        lambda: MentorFactory(for_minors=True),  # a check seen 30 days ago, still valid
    ],
)
def test_a_mentor_who_needs_no_check_is_approved_directly(coordinator_client, mentor):
    mentor = mentor()
    records = ScreeningRecord.objects.count()

    html = coordinator_client.get(change_url(mentor)).content.decode()
    assert f'<form method="post" action="{approve_url(mentor)}">' in html
    response = coordinator_client.post(approve_url(mentor))

    assert response.url == change_url(mentor)
    mentor.refresh_from_db()
    assert mentor.status == RegistrationStatus.APPROVED
    assert ScreeningRecord.objects.count() == records


def test_an_expired_check_is_asked_again(coordinator_client):
    mentor = MentorFactory(accepts_minors=True)
    ScreeningRecordFactory(mentor=mentor, checked_on=TODAY - datetime.timedelta(days=400))

    response = coordinator_client.post(approve_url(mentor))

    assert response.status_code == 200
    assert "Indiquez la date à laquelle vous avez vu la pièce." in response.content.decode()
    mentor.refresh_from_db()
    assert mentor.status == RegistrationStatus.PENDING_REVIEW


def test_an_approved_mentor_has_no_approval_page(coordinator_client):
    mentor = MentorFactory(accepts_minors=True, approved=True)

    response = coordinator_client.get(approve_url(mentor), follow=True)

    assert response.redirect_chain[-1][0] == change_url(mentor)
    assert messages_of(response) == [f"L'inscription de {mentor} est déjà validée."]


def test_the_record_is_undone_when_the_approval_is_refused(coordinator):
    mentor = MentorFactory(accepts_minors=True, approved=True)

    with pytest.raises(RegistrationError, match="déjà validée"):
        mentor_approve_with_screening(
            mentor=mentor,
            document=CRIMINAL_RECORD,
            checked_on=TODAY,
            approved_by=coordinator,
        )

    assert not ScreeningRecord.objects.exists()


@pytest.mark.parametrize(
    ("document", "checked_on", "error"),
    [
        ("Une photo", TODAY, "dans la liste"),
        (CRIMINAL_RECORD, TODAY + datetime.timedelta(days=1), "futur"),
        (CRIMINAL_RECORD, TODAY - datetime.timedelta(days=VALIDITY + 1), "plus valable"),
    ],
)
def test_the_service_refuses_what_the_rule_forbids(coordinator, document, checked_on, error):
    mentor = MentorFactory(accepts_minors=True)

    with pytest.raises(RegistrationError, match=error):
        mentor_approve_with_screening(
            mentor=mentor, document=document, checked_on=checked_on, approved_by=coordinator
        )

    assert not ScreeningRecord.objects.exists()
    mentor.refresh_from_db()
    assert mentor.status == RegistrationStatus.PENDING_REVIEW


def test_the_list_action_says_which_approved_mentors_still_need_their_check(
    coordinator_client,
):
    from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME

    unchecked = MentorFactory(accepts_minors=True)
    checked = MentorFactory(for_minors=True)
    adults_only = MentorFactory(accepts_minors=False)

    response = coordinator_client.post(
        reverse("admin:mentors_mentor_changelist"),
        {
            "action": "approve_selected",
            ACTION_CHECKBOX_NAME: [unchecked.pk, checked.pk, adults_only.pk],
        },
        follow=True,
    )

    assert messages_of(response) == [
        "3 inscription(s) validée(s) ; un e-mail a été envoyé.",
        "1 mentor(s) validé(s) accepte(nt) des mineurs sans contrôle d'honorabilité valable : "
        "aucun mineur ne leur sera proposé avant qu'il soit enregistré. "
        '<a href="/admin/mentors/mentor/?controle=sans_controle_valide">Voir les mentors sans '
        "contrôle valable</a>.",
    ]
