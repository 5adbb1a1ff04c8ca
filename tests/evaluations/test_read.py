"""A submitted questionnaire is « à lire » until the pair's référent or a coordinator opens it
(its page, or its page in the admin); the first of them stays its reader. The pair's members
opening it, or staff who may not see it, change nothing."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from evaluations.enums import Moment, ResponseStatus
from evaluations.models import Response
from evaluations.services import response_mark_read, response_reopen
from tests.matching.factories import MentorshipFactory
from tests.spaces.questionnaires import respond
from tests.users.factories import UserFactory
from tests.users.staff import login_staff, make_coordinator, make_referent

pytestmark = pytest.mark.django_db

MORNING = datetime.datetime(2026, 3, 10, 9, 30, tzinfo=datetime.UTC)
RESPONSES = reverse("admin:evaluations_response_changelist")


@pytest.fixture
def referent():
    return make_referent(first_name="Romane")


@pytest.fixture
def submitted(referent):
    pair = MentorshipFactory(active=True, mentor__referent=referent)
    return respond(pair, Moment.START)


def unread_pks():
    return set(Response.objects.unread().values_list("pk", flat=True))


def test_a_submitted_response_is_unread_and_a_draft_is_not(submitted):
    draft = respond(MentorshipFactory(active=True), Moment.START, submit=False)

    assert unread_pks() == {submitted.pk}
    assert draft.status == ResponseStatus.DRAFT


def test_the_pairs_referent_opening_it_marks_it_read_once(submitted, referent):
    with time_machine.travel(MORNING, tick=False):
        assert response_mark_read(response=submitted, reader=referent) is True

    submitted.refresh_from_db()
    assert (submitted.read_at, submitted.read_by) == (MORNING, referent)
    assert unread_pks() == set()
    # A second opening, by anybody, keeps the first reader.
    assert response_mark_read(response=submitted, reader=make_coordinator()) is False
    assert Response.objects.get(pk=submitted.pk).read_by == referent


def test_a_coordinator_may_be_its_first_reader(submitted):
    coordinator = make_coordinator()

    assert response_mark_read(response=submitted, reader=coordinator) is True
    assert Response.objects.get(pk=submitted.pk).read_by == coordinator


@pytest.mark.parametrize("who", ["mentor", "mentee", "other_staff", "other_member"])
def test_nobody_else_marks_it_read(submitted, who):
    pair = submitted.mentorship
    reader = {
        "mentor": pair.mentor.user,
        "mentee": pair.mentee.user,
        "other_staff": make_referent(),
        "other_member": UserFactory(),
    }[who]

    assert response_mark_read(response=submitted, reader=reader) is False
    assert unread_pks() == {submitted.pk}


def test_a_draft_is_never_marked_read(referent):
    draft = respond(
        MentorshipFactory(active=True, mentor__referent=referent), Moment.START, submit=False
    )

    assert response_mark_read(response=draft, reader=referent) is False
    assert Response.objects.get(pk=draft.pk).read_at is None


def test_reading_it_changes_neither_its_modification_date_nor_its_history(submitted, referent):
    before = (submitted.updated_at, submitted.history.count())

    response_mark_read(response=submitted, reader=referent)

    submitted.refresh_from_db()
    assert (submitted.updated_at, submitted.history.count()) == before


def test_sent_again_after_a_reopening_it_is_to_be_read_again(submitted, referent):
    response_mark_read(response=submitted, reader=referent)
    response_reopen(response=submitted, reopened_by=make_coordinator())

    again = respond(submitted.mentorship, Moment.START)

    assert again.pk == submitted.pk
    assert unread_pks() == {submitted.pk}
    assert Response.objects.get(pk=submitted.pk).read_by is None


# Opened from its page, or from the admin


def response_page(response):
    return reverse("evaluations:response", args=[response.pk])


def test_the_referent_opening_its_page_marks_it_read(client, submitted, referent):
    page = login_staff(client, referent).get(response_page(submitted))

    assert page.status_code == 200
    assert Response.objects.get(pk=submitted.pk).read_by == referent


@pytest.mark.parametrize("side", ["mentor", "mentee"])
def test_a_member_opening_its_page_leaves_it_unread(client, submitted, side):
    member = getattr(submitted.mentorship, side).user
    client.force_login(member)

    assert client.get(response_page(submitted)).status_code == 200
    assert unread_pks() == {submitted.pk}


def test_a_coordinator_opening_it_in_the_admin_marks_it_read_and_sees_it(client, submitted):
    coordinator = make_coordinator(first_name="Camille", last_name="Martin")
    login_staff(client, coordinator)

    page = client.get(reverse("admin:evaluations_response_change", args=[submitted.pk]))

    assert page.status_code == 200
    assert "Camille Martin" in page.content.decode()  # « lu par », shown at once
    assert Response.objects.get(pk=submitted.pk).read_by == coordinator


def test_the_referent_opening_it_in_the_admin_marks_it_read(client, submitted, referent):
    login_staff(client, referent)

    page = client.get(reverse("admin:evaluations_response_change", args=[submitted.pk]))

    assert page.status_code == 200
    assert Response.objects.get(pk=submitted.pk).read_by == referent


def test_another_referent_gets_a_404_and_marks_nothing(client, submitted):
    login_staff(client, make_referent())

    page = client.get(reverse("admin:evaluations_response_change", args=[submitted.pk]))

    assert page.status_code == 404
    assert unread_pks() == {submitted.pk}


def test_the_unread_filter_lists_the_responses_nobody_has_opened(admin_client, referent):
    read, unread = (
        respond(MentorshipFactory(active=True, mentor__referent=referent), Moment.START)
        for _ in range(2)
    )
    draft = respond(MentorshipFactory(active=True), Moment.START, submit=False)
    response_mark_read(response=read, reader=referent)

    page = admin_client.get(RESPONSES, {"lu": "non"})

    assert [response.pk for response in page.context["cl"].result_list] == [unread.pk]
    listed = admin_client.get(RESPONSES, {"lu": "oui"}).context["cl"].result_list
    assert [response.pk for response in listed] == [read.pk]
    assert draft.pk not in unread_pks()
    assert "Pas encore lu" in page.content.decode()
