"""The antennes in the admin: national coordinators list, add and edit them (départements as
« 93 – Seine-Saint-Denis », contacts, target, team), in French, in a constant number of
queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.antennes.factories import make_antenne
from tests.mentees.factories import MenteeFactory
from tests.mentors.factories import MentorFactory
from tests.users.staff import login_staff, make_coordinator, make_referent
from users.antennes import Antenne, AntenneMembership
from users.enums import AntenneRole

pytestmark = pytest.mark.django_db

LIST = reverse("admin:users_antenne_changelist")
ADD = reverse("admin:users_antenne_add")


@pytest.fixture
def coordinator(client):
    user = make_coordinator()
    login_staff(client, user)
    return user


def antenne_form(**overrides) -> dict:
    data = {
        "name": "Île-de-France Est",
        "departments_covered": ["93", "94"],
        "target_pairs_per_year": "120",
        "contact_name": "Équipe de Bobigny",
        "contact_email": "bobigny@antennes.example",
        "contact_phone": "01 48 00 00 00",
        "address": "12 rue de la République, 93000 Bobigny",
        "opening_hours": "du lundi au vendredi",
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
    }
    return data | overrides


@pytest.mark.parametrize("size", [2, 9])
def test_the_list_costs_the_same_queries_whatever_the_number_of_antennes(
    client, coordinator, django_assert_num_queries, size
):
    referent = make_referent()
    codes = ["01", "02", "03", "04", "05", "06", "07", "08", "09"]
    for number in range(size):
        antenne = make_antenne(f"Antenne {number}", [codes[number]])
    AntenneMembership.objects.create(antenne=antenne, user=referent, role=AntenneRole.REFERENT)
    # session, user, the verified second-factor device, the coordinator's scope (groups and
    # antenne, once: every admin asks it), their permissions (own and group's), the filtered
    # count (no total count), the page of antennes with their teams' counts, their
    # départements.
    with django_assert_num_queries(9):
        response = client.get(LIST)

    assert response.status_code == 200
    page = response.content.decode()
    assert "0 coordination, 1 référent(s)" in page
    assert f"Antenne {size - 1}" in page


def test_the_form_offers_the_departements_by_code_and_name(client, coordinator):
    page = client.get(ADD).content.decode()

    assert '<option value="93">93 – Seine-Saint-Denis</option>' in page
    assert '<option value="974">974 – La Réunion</option>' in page
    assert "Départements couverts" in page
    assert "Objectif de binômes par an" in page


def test_a_coordinator_adds_an_antenne_with_its_team_and_the_national_people_there_join_it(
    client, coordinator
):
    referent = make_referent()
    national = MenteeFactory(postal_code="93200", antenne=None)
    elsewhere = MentorFactory(postal_code="69003", antenne=None)
    data = antenne_form(
        **{
            "memberships-TOTAL_FORMS": "1",
            "memberships-0-user": str(referent.pk),
            "memberships-0-role": AntenneRole.REFERENT,
        }
    )

    response = client.post(ADD, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    antenne = Antenne.objects.get()
    assert (antenne.name, antenne.target_pairs_per_year) == ("Île-de-France Est", 120)
    assert str(antenne.contact_phone) == "01 48 00 00 00"
    assert sorted(antenne.departments.values_list("department", flat=True)) == ["93", "94"]
    assert list(antenne.memberships.values_list("user", "role")) == [
        (referent.pk, AntenneRole.REFERENT)
    ]
    national.refresh_from_db()
    elsewhere.refresh_from_db()
    assert (national.antenne, elsewhere.antenne) == (antenne, None)


def test_a_departement_of_another_antenne_is_refused_beside_the_field(client, coordinator):
    make_antenne("Seine-Saint-Denis", ["93"])

    response = client.post(ADD, antenne_form(departments_covered=["93", "94"]))

    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.errors["departments_covered"] == [
        "Déjà couvert par une autre antenne : 93 – Seine-Saint-Denis (Seine-Saint-Denis)."
    ]
    # What was typed is kept.
    assert 'value="Équipe de Bobigny"' in response.content.decode()
    assert Antenne.objects.count() == 1


def test_editing_an_antenne_changes_its_departements_and_keeps_its_people(client, coordinator):
    antenne = make_antenne("Île-de-France Est", ["93", "94"])
    stays = MenteeFactory(postal_code="94300", antenne=antenne)
    change = reverse("admin:users_antenne_change", args=[antenne.pk])
    assert client.get(change).status_code == 200

    response = client.post(change, antenne_form(departments_covered=["93", "77"]))

    assert response.status_code == 302
    assert sorted(antenne.departments.values_list("department", flat=True)) == ["77", "93"]
    stays.refresh_from_db()
    assert stays.antenne == antenne


def test_the_edit_page_costs_the_same_queries_whatever_the_team(client, coordinator):
    counts = []
    for size in (1, 5):
        antenne = make_antenne(f"Antenne de {size}", [f"0{size}"])
        for _ in range(size):
            AntenneMembership.objects.create(
                antenne=antenne, user=make_referent(), role=AntenneRole.REFERENT
            )
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("admin:users_antenne_change", args=[antenne.pk]))
        assert response.status_code == 200
        counts.append(len(queries))

    assert counts[0] == counts[1]


def test_a_referent_may_not_open_the_antennes(client):
    login_staff(client, make_referent())

    assert client.get(LIST).status_code == 403
