"""The coordinators' dashboard: young people referred by each organisation and what became of
them, in one query."""

import datetime

import pytest
from django.urls import reverse

from mentorat.demo.factories import (
    MenteeFactory,
    OrganisationFactory,
    PrescriberFactory,
    ReferralFactory,
)
from mentorat.staff.dashboard import Filters
from mentorat.staff.referrals import referrals_by_prescriber
from tests.matching.factories import MentorshipFactory
from tests.users.staff import login_staff, make_coordinator

pytestmark = pytest.mark.django_db
DAY = datetime.datetime(2026, 3, 10, 10, tzinfo=datetime.UTC)


def _organisation(name, *, referred, registered, approved, mentored):
    """`referred` referrals, of which `registered` registered, `approved` of those approved,
    `mentored` of those with a pair that started."""
    prescriber = PrescriberFactory(organisation=OrganisationFactory(name=name))
    for index in range(referred):
        mentee = None
        if index < registered:
            mentee = MenteeFactory(approved=index < approved)
            if index < mentored:
                MentorshipFactory(active=True, mentee=mentee)
        ReferralFactory(prescriber=prescriber, mentee=mentee, created_at=DAY)
    return prescriber


def test_each_organisation_has_its_referrals_and_their_conversion():
    _organisation("Lycée Voltaire", referred=4, registered=3, approved=2, mentored=1)
    _organisation("Mission Locale Est", referred=2, registered=1, approved=1, mentored=1)

    data = referrals_by_prescriber(Filters())

    assert [
        (row["name"], row["referred"], row["registered"], row["approved"], row["mentored"])
        for row in data["organisations"]
    ] == [("Lycée Voltaire", 4, 3, 2, 1), ("Mission Locale Est", 2, 1, 1, 1)]
    voltaire = data["organisations"][0]
    assert (voltaire["registered_rate"], voltaire["mentored_rate"]) == (75, 25)
    assert voltaire["kind"] == "Mission Locale"
    assert data["total"] == {
        "referred": 6,
        "registered": 4,
        "approved": 3,
        "mentored": 2,
        "registered_rate": 67,
        "mentored_rate": 33,
    }


def test_a_young_person_mentored_twice_counts_once_and_a_closed_pair_counts():
    prescriber = PrescriberFactory()
    mentee = MenteeFactory(approved=True)
    MentorshipFactory(closed=True, mentee=mentee)
    MentorshipFactory(active=True, mentee=mentee)
    ReferralFactory(prescriber=prescriber, mentee=mentee)

    [row] = referrals_by_prescriber(Filters())["organisations"]

    assert (row["referred"], row["mentored"]) == (1, 1)


def test_the_period_and_the_departement_filter_the_referrals():
    _organisation("Lycée Voltaire", referred=2, registered=0, approved=0, mentored=0)
    elsewhere = PrescriberFactory(organisation=OrganisationFactory(department="69"))
    ReferralFactory(prescriber=elsewhere, created_at=DAY - datetime.timedelta(days=60))

    in_march = referrals_by_prescriber(Filters(since=datetime.date(2026, 3, 1)))
    in_rhone = referrals_by_prescriber(Filters(department="69"))

    assert in_march["total"]["referred"] == 2
    assert in_rhone["total"]["referred"] == 1


@pytest.mark.parametrize("organisations", [1, 5])
def test_the_section_is_one_query_whatever_the_data(django_assert_num_queries, organisations):
    for index in range(organisations):
        _organisation(f"Structure {index}", referred=3, registered=2, approved=2, mentored=1)

    with django_assert_num_queries(1):
        data = referrals_by_prescriber(Filters())

    assert len(data["organisations"]) == organisations


def test_the_dashboard_shows_the_section(client):
    _organisation("Lycée Voltaire", referred=4, registered=3, approved=2, mentored=1)
    login_staff(client, make_coordinator())

    html = client.get(reverse("admin:dashboard")).content.decode()

    assert "Orientations par les prescripteurs" in html
    assert '<th scope="row">Lycée Voltaire</th>' in html
    assert "<td>75 %</td>" in html
