import pytest
from django.contrib import admin
from django.contrib.admin import ModelAdmin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core import mail
from django.urls import reverse

from mentees.models import Mentee
from mentors.models import Mentor, ScreeningRecord
from tests.mentees.factories import MenteeFactory
from tests.mentors.factories import MentorFactory
from tests.users.staff import login_staff, make_referent
from users.enums import RegistrationStatus

pytestmark = pytest.mark.django_db

MENTORS = reverse("admin:mentors_mentor_changelist")
MENTEES = reverse("admin:mentees_mentee_changelist")


@pytest.mark.parametrize("size", [2, 12])
def test_the_mentor_list_costs_the_same_queries_whatever_its_size(
    admin_client, django_assert_num_queries, size
):
    MentorFactory.create_batch(size, for_minors=True)
    # session, user, the verified second-factor device, filtered count (no total count), page
    # of mentors with their users, the distinct départements (no date hierarchy: its dates
    # scanned the whole table).
    with django_assert_num_queries(6):
        response = admin_client.get(MENTORS)
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == size


@pytest.mark.parametrize("size", [2, 12])
def test_the_young_people_list_costs_the_same_queries_whatever_its_size(
    admin_client, django_assert_num_queries, size
):
    MenteeFactory.create_batch(size, priority=True)
    # session, user, the verified second-factor device, filtered count (no total count), page
    # of young people with their users, the distinct départements (no date hierarchy: its
    # dates scanned the whole table).
    with django_assert_num_queries(6):
        response = admin_client.get(MENTEES)
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == size


def test_the_list_reads_only_its_columns_and_writes_django_s_action_checkbox(admin_client):
    mentor = MentorFactory(user__first_name="Léa", user__last_name="O'Brien <b>")
    model_admin = admin.site.get_model_admin(Mentor)

    row = admin_client.get(MENTORS).context["cl"].result_list[0]

    assert row.get_deferred_fields() >= {"phone", "motivation"}
    assert model_admin.action_checkbox(row) == ModelAdmin.action_checkbox(model_admin, mentor)
    assert "Léa O&#x27;Brien &lt;b&gt;" in model_admin.action_checkbox(row)


def department_choices(response) -> list[str]:
    cl = response.context["cl"]
    spec = next(spec for spec in cl.filter_specs if getattr(spec, "field_path", "") == "department")
    return list(spec.lookup_choices)


def test_the_department_filter_offers_each_department_present_once_in_order(admin_client):
    for postal_code in ["93200", "75011", "93100", "13001", "75020"]:
        MentorFactory(postal_code=postal_code)
        MenteeFactory(postal_code=postal_code)

    assert department_choices(admin_client.get(MENTORS)) == ["13", "75", "93"]
    assert department_choices(admin_client.get(MENTEES)) == ["13", "75", "93"]


def test_a_referent_s_department_filter_offers_only_their_mentors_departments(client):
    referent = make_referent()
    MentorFactory(postal_code="69003", referent=referent)
    MentorFactory(postal_code="93200")
    login_staff(client, referent)

    assert department_choices(client.get(MENTORS)) == ["69"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"status__exact": "approved"}, {"approved"}),
        ({"lives_in_qpv__exact": "1"}, {"qpv"}),
        ({"followed_by_mission_locale__exact": "1"}, {"qpv"}),
        ({"topic": "internship"}, {"internship"}),
        ({"department__exact": "69"}, {"lyon"}),
        ({"q": "Zerrouki"}, {"approved"}),
    ],
)
def test_coordinators_filter_and_search_young_people(admin_client, query, expected):
    people = {
        "approved": MenteeFactory(approved=True, user__last_name="Zerrouki", postal_code="93200"),
        "qpv": MenteeFactory(priority=True, postal_code="93200"),
        "internship": MenteeFactory(needs=["internship", "cv_interview"], postal_code="75019"),
        "lyon": MenteeFactory(postal_code="69003", department="69"),
    }
    response = admin_client.get(MENTEES, query)
    found = set(response.context["cl"].result_list)
    assert found == {people[name] for name in expected}


def test_coordinators_filter_mentors_who_accept_minors(admin_client):
    for_minors = MentorFactory(for_minors=True)
    MentorFactory(accepts_minors=False)
    response = admin_client.get(MENTORS, {"accepts_minors__exact": "1"})
    assert list(response.context["cl"].result_list) == [for_minors]


def test_the_approve_action_approves_and_emails(
    admin_client, admin_user, django_capture_on_commit_callbacks
):
    mentors = MentorFactory.create_batch(2)

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            MENTORS,
            {"action": "approve_selected", ACTION_CHECKBOX_NAME: [m.pk for m in mentors]},
            follow=True,
        )

    assert response.status_code == 200
    assert set(Mentor.objects.values_list("status", flat=True)) == {RegistrationStatus.APPROVED}
    assert set(Mentor.objects.values_list("reviewed_by", flat=True)) == {admin_user.pk}
    assert len(mail.outbox) == 2
    assert "2 inscription(s) validée(s)" in response.content.decode()


def test_the_approve_action_explains_why_an_under_15_cannot_be_approved_yet(admin_client):
    mentee = MenteeFactory(under_15=True)
    response = admin_client.post(
        MENTEES, {"action": "approve_selected", ACTION_CHECKBOX_NAME: [mentee.pk]}, follow=True
    )
    assert "attend encore l&#x27;accord de son représentant légal" in response.content.decode()
    mentee.refresh_from_db()
    assert mentee.status == RegistrationStatus.AWAITING_GUARDIAN_CONSENT


def test_the_reject_action_asks_for_a_reason_first(admin_client):
    mentee = MenteeFactory()

    response = admin_client.post(
        MENTEES, {"action": "reject_selected", ACTION_CHECKBOX_NAME: [mentee.pk]}
    )

    assert response.status_code == 200
    assert "Motif du refus" in response.content.decode()
    mentee.refresh_from_db()
    assert mentee.status == RegistrationStatus.PENDING_REVIEW


def test_the_reject_action_keeps_the_selection_when_the_reason_is_missing(admin_client):
    mentee = MenteeFactory()
    response = admin_client.post(
        MENTEES,
        {
            "action": "reject_selected",
            ACTION_CHECKBOX_NAME: [mentee.pk],
            "confirm_rejection": "1",
            "reason": "",
        },
    )
    assert "Indiquez le motif du refus." in response.content.decode()
    assert f'value="{mentee.pk}"' in response.content.decode()
    mentee.refresh_from_db()
    assert mentee.status == RegistrationStatus.PENDING_REVIEW


def test_the_reject_action_rejects_with_the_reason_and_emails(
    admin_client, django_capture_on_commit_callbacks
):
    mentee = MenteeFactory()

    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            MENTEES,
            {
                "action": "reject_selected",
                ACTION_CHECKBOX_NAME: [mentee.pk],
                "confirm_rejection": "1",
                "reason": "Le programme ne couvre pas votre département.",
            },
        )

    mentee = Mentee.objects.get()
    assert mentee.status == RegistrationStatus.REJECTED
    assert mentee.rejection_reason == "Le programme ne couvre pas votre département."
    [message] = mail.outbox
    assert "ne couvre pas votre département" in message.body


def test_a_registration_page_shows_its_status_history(admin_client, admin_user):
    from users.services import registration_reject

    mentor = MentorFactory()
    registration_reject(registration=mentor, reason="Doublon", rejected_by=admin_user)

    response = admin_client.get(reverse("admin:mentors_mentor_change", args=[mentor.pk]))

    html = response.content.decode()
    assert "En attente de validation → Refusée" in html
    assert "Doublon" in html


def test_the_status_cannot_be_edited_by_hand_in_the_admin(admin_client):
    mentor = MentorFactory()
    response = admin_client.get(reverse("admin:mentors_mentor_change", args=[mentor.pk]))
    assert 'name="status"' not in response.content.decode()


def test_a_screening_record_added_in_the_admin_is_signed_by_its_author(admin_client, admin_user):
    mentor = MentorFactory(accepts_minors=True)
    url = reverse("admin:mentors_mentor_change", args=[mentor.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if name in form.fields and value is not None
    }
    data.update(
        {
            "phone": "+33612345678",
            "help_topics": mentor.help_topics,
            "sectors_to_share": mentor.sectors_to_share,
            "availability": mentor.availability,
            "languages": mentor.languages,
            "screenings-TOTAL_FORMS": "1",
            "screenings-INITIAL_FORMS": "0",
            "screenings-0-document": "Extrait de casier judiciaire (bulletin n° 3)",
            "screenings-0-checked_on": "01/10/2026",
            "screenings-0-mentor": mentor.pk,
        }
    )

    response = admin_client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    record = ScreeningRecord.objects.get()
    assert record.checked_by == admin_user
    assert record.mentor == mentor
