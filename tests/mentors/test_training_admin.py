"""The trainings in the admin: a coordinator records the attendance from the seats' list (the
service writes who and when); a référent sees and marks their own mentors' seats only; the
mentors' list filters on the initial training; the mentor's page tells the référents'
exchanges and the trainings as one history. Every list costs the same queries whatever its
length."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mentors.enums import ExchangeKind
from mentors.models import Exchange, TrainingRegistration
from tests.mentors.factories import (
    MentorFactory,
    TrainingRegistrationFactory,
    TrainingSessionFactory,
)
from tests.users.staff import login_staff, make_coordinator, make_referent

pytestmark = pytest.mark.django_db

SEATS = reverse("admin:mentors_trainingregistration_changelist")
SESSIONS = reverse("admin:mentors_trainingsession_changelist")
MENTORS = reverse("admin:mentors_mentor_changelist")
NOW = datetime.datetime(2026, 5, 4, 8, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _fixed_now():
    with time_machine.travel(NOW, tick=False):
        yield


def list_post(seats_and_answers) -> dict:
    """The seats list's own form (list_editable): one row per seat."""
    data = {
        "form-TOTAL_FORMS": str(len(seats_and_answers)),
        "form-INITIAL_FORMS": str(len(seats_and_answers)),
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
        "_save": "Enregistrer",
    }
    for index, (seat, answer) in enumerate(seats_and_answers):
        data[f"form-{index}-id"] = str(seat.pk)
        data[f"form-{index}-attended"] = answer
    return data


def test_a_coordinator_records_who_attended_from_the_list_of_seats_to_record(client):
    coordinator = make_coordinator()
    login_staff(client, coordinator)
    came, missed = TrainingRegistrationFactory.create_batch(2, session__past=True)
    TrainingRegistrationFactory()  # a coming session: nothing to record yet

    to_record = client.get(SEATS, {"presence_a_noter": "oui"})
    assert set(to_record.context["cl"].result_list) == {came, missed}
    rows = sorted(to_record.context["cl"].result_list, key=lambda seat: seat.pk)
    answers = {came.pk: "true", missed.pk: "false"}
    response = client.post(
        f"{SEATS}?presence_a_noter=oui", list_post([(s, answers[s.pk]) for s in rows])
    )

    assert response.status_code == 302
    came.refresh_from_db()
    missed.refresh_from_db()
    assert (came.attended, missed.attended) == (True, False)
    assert came.attendance_recorded_by == coordinator
    assert came.attendance_recorded_at == NOW
    assert client.get(SEATS, {"presence_a_noter": "oui"}).context["cl"].result_count == 0


def test_a_referent_sees_and_marks_their_own_mentors_seats_only(client):
    referent = make_referent()
    login_staff(client, referent)
    own = TrainingRegistrationFactory(session__past=True, mentor__referent=referent)
    other = TrainingRegistrationFactory(session=own.session, mentor__referent=make_referent())

    seats = client.get(SEATS)
    assert list(seats.context["cl"].result_list) == [own]
    client.post(SEATS, list_post([(own, "true")]))
    own.refresh_from_db()
    assert own.attended is True
    assert (
        client.get(
            reverse("admin:mentors_trainingregistration_change", args=[other.pk])
        ).status_code
        == 404
    )
    # The session's page (read-only for a référent) lists their mentors only.
    page = client.get(reverse("admin:mentors_trainingsession_change", args=[own.session.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert own.mentor.user.last_name in html
    assert other.mentor.user.last_name not in html


def test_a_coordinator_plans_a_session_and_signs_a_mentor_up_from_its_page(client):
    login_staff(client, make_coordinator())
    mentor = MentorFactory(approved=True)
    data = {
        "kind": "initial",
        "title": "Formation initiale de juin",
        "starts_at_0": "10/06/2026",
        "starts_at_1": "18:00",
        "duration_minutes": "180",
        "place": "",
        "video_link": "",
        "capacity": "10",
        "registrations-TOTAL_FORMS": "1",
        "registrations-INITIAL_FORMS": "0",
        "registrations-MIN_NUM_FORMS": "0",
        "registrations-MAX_NUM_FORMS": "1000",
        "registrations-0-mentor": str(mentor.pk),
        "registrations-0-attended": "unknown",
    }

    refused = client.post(reverse("admin:mentors_trainingsession_add"), data)
    assert refused.status_code == 200
    assert "Indiquez un lieu ou un lien de visio" in refused.content.decode()
    response = client.post(
        reverse("admin:mentors_trainingsession_add"), {**data, "place": "Montreuil"}
    )

    assert response.status_code == 302
    seat = TrainingRegistration.objects.get()
    assert (seat.mentor, seat.session.title) == (mentor, "Formation initiale de juin")
    # Entered in Paris time.
    assert seat.session.starts_at == datetime.datetime(2026, 6, 10, 16, 0, tzinfo=datetime.UTC)


def test_the_mentors_list_filters_on_the_initial_training(client):
    login_staff(client, make_coordinator())
    trained = TrainingRegistrationFactory(session__past=True, attended=True).mentor
    untrained = MentorFactory(approved=True)

    def shown(answer):
        page = client.get(MENTORS, {"formation_initiale": answer, "status__exact": "approved"})
        return set(page.context["cl"].result_list)

    assert shown("oui") == {trained}
    assert shown("non") == {untrained}


def test_the_mentors_page_tells_exchanges_and_trainings_as_one_history(client):
    referent = make_referent()
    login_staff(client, referent)
    mentor = MentorFactory(approved=True, referent=referent)
    exchange = Exchange.objects.create(
        referent=referent,
        happened_on=datetime.date(2026, 4, 20),
        kind=ExchangeKind.CALL,
        note="Premier appel après la formation.",
    )
    exchange.mentors.set([mentor])
    TrainingRegistrationFactory(
        mentor=mentor,
        attended=True,
        session__title="Formation initiale d'avril",
        session__starts_at=datetime.datetime(2026, 4, 14, 16, 0, tzinfo=datetime.UTC),
    )
    TrainingRegistrationFactory(mentor=mentor, session__workshop=True)

    html = client.get(reverse("admin:mentors_mentor_change", args=[mentor.pk])).content.decode()

    section = html[html.index("Historique d'accompagnement") :]
    workshop = section.index("Atelier de bonnes pratiques — inscrit, à venir")
    call = section.index("Premier appel après la formation.")
    training = section.index("Formation initiale d&#x27;avril — présent")
    assert workshop < call < training


@pytest.mark.parametrize("size", [1, 6])
def test_the_seats_and_sessions_lists_cost_the_same_queries_whatever_their_length(
    client, size, django_assert_num_queries
):
    login_staff(client, make_coordinator())
    for _ in range(size):
        session = TrainingSessionFactory(past=True)
        TrainingRegistrationFactory.create_batch(2, session=session, attended=True)

    # session, user, second-factor device, permissions (2), the coordinator's scope (once,
    # whichever admin asks), the filter's session choices, the counts (filtered and whole),
    # the page of rows (with session, mentor and recorder joined).
    with django_assert_num_queries(10):
        assert client.get(SEATS).status_code == 200
    # The same without the filter's choices; the seats and attendance counted in the page's
    # own query.
    with django_assert_num_queries(9):
        assert client.get(SESSIONS).status_code == 200


def test_the_mentors_page_history_costs_the_same_queries_whatever_its_length(client):
    referent = make_referent()
    login_staff(client, referent)

    def page_queries(entries: int) -> int:
        mentor = MentorFactory(approved=True, referent=referent)
        for _ in range(entries):
            TrainingRegistrationFactory(mentor=mentor, session__past=True, attended=True)
            exchange = Exchange.objects.create(
                referent=referent, happened_on=datetime.date(2026, 4, 1), kind=ExchangeKind.NOTE
            )
            exchange.mentors.set([mentor])
        url = reverse("admin:mentors_mentor_change", args=[mentor.pk])
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    assert page_queries(1) == page_queries(6)


def test_a_seat_added_by_hand_to_a_full_session_is_refused_beside_the_form(client):
    login_staff(client, make_coordinator())
    session = TrainingSessionFactory(capacity=1)
    TrainingRegistrationFactory(session=session)
    mentor = MentorFactory(approved=True)

    response = client.post(
        reverse("admin:mentors_trainingregistration_add"),
        {"session": str(session.pk), "mentor": str(mentor.pk), "attended": "unknown"},
    )

    assert response.status_code == 200
    assert "Cette session est complète" in response.content.decode()
    assert not session.registrations.filter(mentor=mentor).exists()


def test_the_referents_home_leads_to_each_mentors_history(client):
    referent = make_referent()
    login_staff(client, referent)
    mentor = MentorFactory(approved=True, referent=referent)

    html = client.get(reverse("admin:referent_home")).content.decode()

    assert reverse("admin:mentors_mentor_change", args=[mentor.pk]) in html
