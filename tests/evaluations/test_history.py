"""A reopened questionnaire leaves a trace: every reopening is a row of the response's
history, with the coordinator who did it, readable on the admin's history page."""

import pytest
from django.urls import reverse

from evaluations.enums import Moment, ResponseStatus
from evaluations.models import Response
from evaluations.services import response_open, response_reopen
from tests.matching.factories import MentorshipFactory
from tests.users.factories import UserFactory
from tests.users.staff import login_staff, make_coordinator, make_referent

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted():
    pair = MentorshipFactory(active=True)
    response = response_open(mentorship=pair, moment=Moment.START, author=pair.mentee.user)
    Response.objects.filter(pk=response.pk).update(status=ResponseStatus.SUBMITTED)
    response.refresh_from_db()
    return response


def history_url(response):
    return reverse("admin:evaluations_response_history", args=[response.pk])


def test_reopening_records_who_reopened_it_and_what_changed(submitted):
    coordinator = make_coordinator()

    response_reopen(response=submitted, reopened_by=coordinator)

    latest = submitted.history.latest()
    assert latest.history_user == coordinator
    assert latest.history_change_reason == "Rouvert par la coordination"
    assert latest.history_type == "~"
    assert latest.status == ResponseStatus.DRAFT
    assert latest.reopened_by == coordinator
    previous = latest.prev_record
    assert previous.status == ResponseStatus.DRAFT  # the draft opened by the young person
    changed = {change.field for change in latest.diff_against(previous).changes}
    assert {"reopened_at", "reopened_by"} <= changed


def test_each_reopening_is_kept_not_only_the_last(submitted):
    first, second = make_coordinator(), make_coordinator()

    response_reopen(response=submitted, reopened_by=first)
    Response.objects.filter(pk=submitted.pk).update(status=ResponseStatus.SUBMITTED)
    response_reopen(response=submitted, reopened_by=second)

    reopenings = submitted.history.filter(history_change_reason="Rouvert par la coordination")
    assert [row.history_user for row in reopenings.order_by("history_date")] == [first, second]


def test_a_coordinator_reads_the_history_in_the_admin(client, submitted):
    coordinator = make_coordinator(first_name="Coralie", last_name="Coord")
    response_reopen(response=submitted, reopened_by=coordinator)
    login_staff(client, coordinator)

    page = client.get(history_url(submitted))

    assert page.status_code == 200
    html = page.content.decode()
    assert "Rouvert par la coordination" in html
    assert "Coralie" in html or coordinator.email in html


def test_another_referents_response_history_is_not_found(client, submitted):
    version = submitted.history.latest()
    client.force_login(make_referent())
    assert client.get(history_url(submitted)).status_code == 404
    version_url = reverse(
        "admin:evaluations_response_simple_history", args=[submitted.pk, version.history_id]
    )
    assert client.get(version_url).status_code == 404


def test_the_referent_of_the_pair_reads_its_history(client, submitted):
    referent = make_referent()
    mentor = submitted.mentorship.mentor
    mentor.referent = referent
    mentor.save()
    client.force_login(referent)
    assert client.get(history_url(submitted)).status_code == 200


def test_anonymous_goes_to_the_admin_login(client, submitted):
    page = client.get(history_url(submitted))
    assert page.status_code == 302
    assert page.url.startswith(reverse("admin:login"))


def test_a_mentor_is_sent_to_the_admin_login(client, submitted):
    client.force_login(UserFactory())
    page = client.get(history_url(submitted))
    assert page.status_code == 302
