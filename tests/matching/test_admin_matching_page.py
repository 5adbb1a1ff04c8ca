"""A coordinator matches one young person (or one mentor) on a page of its own: a compact
profile, the suggestions and the « pourquoi pas ce mentor ? » search. The person's change page
leads to it near the top (« Trouver un mentor »), and it leads back (« Modifier la fiche »).
Référents, who do not match, are refused, as on the proposal endpoints."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from tests.matching.factories import MentorshipFactory
from tests.mentees.factories import MenteeFactory
from tests.mentors.factories import MentorFactory, ScreeningRecordFactory
from tests.users.factories import UserFactory
from tests.users.staff import login_staff, make_coordinator, make_referent
from users.enums import Availability, HelpTopic

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
TODAY = datetime.date(2026, 6, 15)


@pytest.fixture(autouse=True)
def today(time_machine):
    time_machine.move_to(datetime.datetime(2026, 6, 15, 11, 0, tzinfo=PARIS), tick=False)


@pytest.fixture
def coordinator_client(client):
    return login_staff(client, make_coordinator())


def matching_page(person):
    opts = person._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_matching", args=[person.pk])


def change_page(person):
    opts = person._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[person.pk])


def facts(response) -> dict[str, str]:
    return {fact.label: fact.value for fact in response.context["facts"]}


@pytest.mark.parametrize(
    ("person", "link"),
    [
        (lambda: MenteeFactory(approved=True), "Trouver un mentor"),
        (lambda: MentorFactory(approved=True), "Trouver un jeune"),
    ],
)
def test_the_change_page_leads_to_the_matching_page_near_the_top(coordinator_client, person, link):
    person = person()

    html = coordinator_client.get(change_page(person)).content.decode()

    anchor = f'<a href="{matching_page(person)}" class="matching-find">{link}</a>'
    assert anchor in html
    # In the tools above the form, and the suggestions are no longer under it.
    assert html.index(anchor) < html.index('method="post" id="')
    assert "matching-table" not in html


@pytest.mark.parametrize("factory", [MenteeFactory, MentorFactory])
def test_the_matching_page_leads_back_to_the_edit_form(coordinator_client, factory):
    person = factory(approved=True)

    html = coordinator_client.get(matching_page(person)).content.decode()

    assert f'<a href="{change_page(person)}" class="button">Modifier la fiche</a>' in html


def test_the_young_person_s_profile_in_short(coordinator_client):
    mentee = MenteeFactory(
        approved=True,
        minor=True,
        birth_date=datetime.date(2009, 9, 1),
        guardian_consent_at=datetime.datetime(2026, 5, 2, 23, 30, tzinfo=datetime.UTC),
        postal_code="93200",
        needs=[HelpTopic.ORIENTATION, HelpTopic.INTERNSHIP],
        availability=[Availability.WEEKEND],
        publics=["QPV", "DECROCHAGE"],
        publics__confirmed_by=UserFactory(staff=True),
        reviewed_at=datetime.datetime(2026, 5, 1, 10, 0, tzinfo=PARIS),
    )

    response = coordinator_client.get(matching_page(mentee))

    summary = facts(response)
    # The consent, given at 01:30 in Paris on 3 May, is dated in Paris.
    assert summary["Âge"] == "16 ans — mineur, accord du représentant légal le 03/05/2026"
    assert summary["Département"] == "93 (93200)"
    assert summary["Besoins"] == "Orientation, Trouver un stage"
    assert summary["Disponibilités"] == "Le week-end"
    assert summary["Attente"] == "en attente depuis 45 jours (plus de 30)"
    assert summary["Publics prioritaires"] == "Quartier prioritaire (QPV), Risque de décrochage"
    html = response.content.decode()
    assert "<dt>Attente</dt>" in html
    assert "Ses objectifs :" in html
    assert "Pourquoi pas ce mentor ?" in html


def test_publics_awaiting_confirmation_say_so_with_the_mission_locale_s_name(
    coordinator_client,
):
    mentee = MenteeFactory(approved=True, priority=True, mission_locale_name="ML de Bondy")

    summary = facts(coordinator_client.get(matching_page(mentee)))

    assert summary["Publics prioritaires"] == (
        "Quartier prioritaire (QPV) (à confirmer), "
        "Suivi par une Mission Locale (ML de Bondy, à confirmer), "
        "Sans réseau professionnel (à confirmer)"
    )


def test_a_young_person_not_waiting_is_said_so(coordinator_client):
    mentee = MenteeFactory(approved=True)
    MentorshipFactory(mentee=mentee)

    response = coordinator_client.get(matching_page(mentee))

    assert facts(response)["Attente"] == "n'attend pas de mentor"
    assert "Le jeune a déjà un binôme proposé ou actif" in response.content.decode()


def test_the_mentor_s_profile_in_short(coordinator_client):
    referent = make_referent(first_name="Awa", last_name="Diallo")
    mentor = MentorFactory(
        approved=True,
        accepts_minors=True,
        referent=referent,
        capacity=2,
        postal_code="75011",
        job_title="Développeuse",
        employer="Orange",
    )
    ScreeningRecordFactory(mentor=mentor, checked_on=TODAY - datetime.timedelta(days=10))
    MentorshipFactory(mentor=mentor, active=True)

    response = coordinator_client.get(matching_page(mentor))

    summary = facts(response)
    assert summary["Métier"] == "Développeuse, Orange (Informatique, numérique)"
    assert summary["Places libres"] == "1 sur 2"
    assert summary["Accepte des mineurs"] == (
        "oui — contrôle d'honorabilité valide (valide jusqu'au 04/06/2029)"
    )
    assert summary["Référent"] == "Awa Diallo"


@pytest.mark.parametrize("factory", [MenteeFactory, MentorFactory])
def test_a_referent_is_refused_the_matching_page_even_for_their_own_people(client, factory):
    referent = make_referent()
    mentor = MentorFactory(approved=True, referent=referent)
    person = mentor
    if factory is MenteeFactory:
        person = MenteeFactory(approved=True)
        MentorshipFactory(mentor=mentor, mentee=person)
    login_staff(client, referent)

    assert client.get(change_page(person)).status_code == 200
    assert client.get(matching_page(person)).status_code == 403
    assert "matching-find" not in client.get(change_page(person)).content.decode()


@pytest.mark.parametrize(
    "url_name", ["admin:mentees_mentee_matching", "admin:mentors_mentor_matching"]
)
def test_an_unknown_person_is_a_404(coordinator_client, url_name):
    assert coordinator_client.get(reverse(url_name, args=[999_999])).status_code == 404


def test_a_visitor_who_is_not_staff_is_sent_to_the_admin_login(client):
    mentee = MenteeFactory(approved=True)
    response = client.get(matching_page(mentee))
    assert response.url.startswith(reverse("admin:login"))
