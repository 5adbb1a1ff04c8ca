import datetime

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
from tests.mentors.pages import post_the_mentor_s_page
from tests.users.staff import login_staff, make_coordinator, make_referent
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
    # dates scanned the whole table), the priority publics' names (their filter).
    with django_assert_num_queries(7):
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
        ({"public": "QPV"}, {"qpv"}),
        ({"public": "MISSION_LOCALE"}, {"qpv"}),
        ({"public": "aucun"}, {"approved", "internship", "lyon"}),
        ({"theme": "internship"}, {"internship"}),
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

    response = post_the_mentor_s_page(
        admin_client,
        mentor,
        **{
            "screenings-TOTAL_FORMS": "1",
            "screenings-0-document": "Extrait de casier judiciaire (bulletin n° 3)",
            "screenings-0-checked_on": "01/10/2026",
            "screenings-0-mentor": mentor.pk,
        },
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    record = ScreeningRecord.objects.get()
    assert record.checked_by == admin_user
    assert record.mentor == mentor


# Approving and rejecting from the person's page


def change_page(registration):
    opts = registration._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[registration.pk])


def review_url(registration, action):
    opts = registration._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{action}", args=[registration.pk])


@pytest.fixture
def coordinator_client(client):
    return login_staff(client, make_coordinator())


@pytest.mark.parametrize(
    ("registration", "approve", "reject"),
    [
        (lambda: MenteeFactory(), True, True),
        (lambda: MenteeFactory(approved=True), False, True),
        (lambda: MenteeFactory(rejected=True), True, False),
        (lambda: MenteeFactory(under_15=True), False, True),
        (lambda: MentorFactory(), True, True),
        (lambda: MentorFactory(rejected=True), True, False),
    ],
)
def test_the_person_s_page_offers_the_buttons_its_status_allows(
    coordinator_client, registration, approve, reject
):
    registration = registration()

    html = coordinator_client.get(change_page(registration)).content.decode()

    approve_form = f'<form method="post" action="{review_url(registration, "approve")}">'
    assert (approve_form in html) is approve
    assert ("Valider l'inscription</button>" in html) is approve
    assert (f'href="{review_url(registration, "reject")}"' in html) is reject
    # Near the top: before the long edit form.
    assert html.index("registration-review") < html.index('method="post" id="')


def test_a_young_person_awaiting_consent_is_said_so_instead_of_a_button(coordinator_client):
    mentee = MenteeFactory(under_15=True)
    html = coordinator_client.get(change_page(mentee)).content.decode()
    assert "attend encore l&#x27;accord de son représentant légal" in html


@pytest.mark.parametrize("factory", [MenteeFactory, MentorFactory])
def test_a_coordinator_approves_from_the_page(
    coordinator_client, factory, django_capture_on_commit_callbacks
):
    registration = factory()

    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(review_url(registration, "approve"))

    assert response.status_code == 302
    assert response.url == change_page(registration)
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.APPROVED
    assert len(mail.outbox) == 1
    page = coordinator_client.get(response.url)
    assert [str(m) for m in page.context["messages"]] == [
        f"Inscription de {registration} validée ; un e-mail lui a été envoyé."
    ]


def test_approving_is_a_post_only(coordinator_client):
    mentee = MenteeFactory()
    assert coordinator_client.get(review_url(mentee, "approve")).status_code == 405
    mentee.refresh_from_db()
    assert mentee.status == RegistrationStatus.PENDING_REVIEW


def test_approving_needs_the_csrf_token(client):
    from django.test import Client

    csrf_client = login_staff(Client(enforce_csrf_checks=True), make_coordinator())
    mentee = MenteeFactory()

    assert csrf_client.post(review_url(mentee, "approve")).status_code == 403
    mentee.refresh_from_db()
    assert mentee.status == RegistrationStatus.PENDING_REVIEW


def test_a_refused_approval_is_explained(coordinator_client):
    mentee = MenteeFactory(under_15=True)
    response = coordinator_client.post(review_url(mentee, "approve"), follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        f"L'inscription de {mentee} attend encore l'accord de son représentant légal."
    ]


def test_the_reject_page_asks_the_reason(coordinator_client):
    mentee = MenteeFactory(user__email="yanis@example.org")

    response = coordinator_client.get(review_url(mentee, "reject"))

    html = response.content.decode()
    assert response.status_code == 200
    assert '<label for="id_reason" class="required">Motif du refus (envoyé à la personne)' in html
    assert "yanis@example.org" in html
    assert 'value="Refuser l\'inscription"' in html


@pytest.mark.parametrize(
    ("reason", "error"),
    [
        ("   ", "Indiquez le motif du refus."),
        ("x" * 1001, "Le motif est limité à 1 000 caractères."),
    ],
)
def test_the_reject_page_keeps_what_was_typed_when_refused(coordinator_client, reason, error):
    mentee = MenteeFactory()

    response = coordinator_client.post(review_url(mentee, "reject"), {"reason": reason})

    html = response.content.decode()
    assert response.status_code == 200
    assert error in html
    assert f'id="id_reason">\n{reason}</textarea>' in html
    mentee.refresh_from_db()
    assert mentee.status == RegistrationStatus.PENDING_REVIEW


@pytest.mark.parametrize("factory", [MenteeFactory, MentorFactory])
def test_a_coordinator_rejects_with_the_reason(
    coordinator_client, factory, django_capture_on_commit_callbacks
):
    registration = factory()

    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(
            review_url(registration, "reject"), {"reason": "Hors du territoire couvert."}
        )

    assert response.url == change_page(registration)
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.REJECTED
    assert registration.rejection_reason == "Hors du territoire couvert."
    [message] = mail.outbox
    assert "Hors du territoire couvert." in message.body
    page = coordinator_client.get(response.url)
    assert [str(m) for m in page.context["messages"]] == [
        f"Inscription de {registration} refusée ; le motif lui a été envoyé par e-mail."
    ]


def test_an_already_rejected_registration_has_no_reject_page(coordinator_client):
    mentee = MenteeFactory(rejected=True)
    response = coordinator_client.get(review_url(mentee, "reject"), follow=True)
    assert response.redirect_chain[-1][0] == change_page(mentee)
    assert [str(m) for m in response.context["messages"]] == [
        f"L'inscription de {mentee} est déjà refusée."
    ]


@pytest.mark.parametrize("factory", [MenteeFactory, MentorFactory])
def test_a_referent_neither_sees_the_buttons_nor_may_use_them(client, factory):
    referent = make_referent()
    registration = factory()
    mentor = registration if factory is MentorFactory else MentorFactory(approved=True)
    mentor.referent = referent
    mentor.save()
    if factory is MenteeFactory:
        from tests.matching.factories import MentorshipFactory

        MentorshipFactory(mentor=mentor, mentee=registration)
    login_staff(client, referent)

    page = client.get(change_page(registration))
    assert page.status_code == 200
    assert "registration-review" not in page.content.decode()
    assert client.post(review_url(registration, "approve")).status_code == 403
    assert client.get(review_url(registration, "reject")).status_code == 403
    assert client.post(review_url(registration, "reject"), {"reason": "Non"}).status_code == 403
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.PENDING_REVIEW


@pytest.mark.parametrize("action", ["approve", "reject"])
def test_an_unknown_registration_is_a_404(coordinator_client, action):
    url = reverse(f"admin:mentees_mentee_{action}", args=[999_999])
    assert coordinator_client.post(url, {"reason": "Non"}).status_code == 404


# Dates on the coordinators' clock


def test_the_status_history_is_shown_in_paris_time(admin_client, admin_user, time_machine):
    from users.services import registration_reject

    time_machine.move_to(
        datetime.datetime(2026, 1, 5, 8, 30, tzinfo=datetime.UTC), tick=False
    )  # 9:30 in Paris (winter)
    mentor = MentorFactory()
    time_machine.move_to(datetime.datetime(2026, 7, 1, 22, 15, tzinfo=datetime.UTC), tick=False)
    registration_reject(registration=mentor, reason="Doublon", rejected_by=admin_user)

    html = admin_client.get(change_page(mentor)).content.decode()

    assert "05/01/2026 à 09:30 : — → En attente de validation" in html
    # 22:15 UTC is already the next day in Paris (summer).
    assert "02/07/2026 à 00:15 : En attente de validation → Refusée" in html
