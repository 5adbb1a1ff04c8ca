"""The mentors' list and page as a coordinator works them: the registrations to examine,
oldest first; the approved mentors without a référent; and the choice of a référent, which
offers exactly the accounts in the référent role with their caseload, in the bulk action and on
the mentor's page alike."""

import datetime

import pytest
from django.test import override_settings
from django.urls import reverse

from tests.mentors.factories import MentorFactory
from tests.mentors.pages import post_the_mentor_s_page
from tests.users.factories import UserFactory
from tests.users.staff import login_staff, make_coordinator, make_referent, staff_groups

pytestmark = pytest.mark.django_db

MENTORS = reverse("admin:mentors_mentor_changelist")
NOW = datetime.datetime(2026, 6, 15, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture
def coordinator_client(client):
    return login_staff(client, make_coordinator())


def days_ago(days: int) -> datetime.datetime:
    return NOW - datetime.timedelta(days=days)


def test_the_registrations_to_examine_come_oldest_first(coordinator_client):
    recent = MentorFactory(created_at=days_ago(1))
    oldest = MentorFactory(created_at=days_ago(20))
    middle = MentorFactory(created_at=days_ago(5))
    MentorFactory(approved=True, created_at=days_ago(30))

    response = coordinator_client.get(MENTORS, {"a_examiner": "oui"})

    assert list(response.context["cl"].result_list) == [oldest, middle, recent]
    # Without the filter, the newest first as before.
    assert coordinator_client.get(MENTORS).context["cl"].result_list[0] == recent


def test_a_column_the_coordinator_sorts_by_wins_over_the_filter_s_order(coordinator_client):
    MentorFactory(created_at=days_ago(1), employer="Airbus")
    MentorFactory(created_at=days_ago(20), employer="Decathlon")
    employer_column = coordinator_client.get(MENTORS).context["cl"].list_display.index("employer")

    response = coordinator_client.get(MENTORS, {"a_examiner": "oui", "o": f"-{employer_column}"})

    assert [m.employer for m in response.context["cl"].result_list] == ["Decathlon", "Airbus"]


def test_the_approved_mentors_without_a_referent(coordinator_client):
    alone = MentorFactory(approved=True)
    MentorFactory(approved=True, referent=make_referent())
    MentorFactory()

    response = coordinator_client.get(MENTORS, {"referent": "aucun"})

    assert list(response.context["cl"].result_list) == [alone]
    assert "Mentors validés sans référent" in response.content.decode()


@pytest.fixture
def accounts():
    """A référent with two approved mentors (and a pending one, not counted), and every kind
    of account that is not a référent."""
    awa = make_referent(first_name="Awa", last_name="Diallo")
    MentorFactory.create_batch(2, approved=True, referent=awa)
    MentorFactory(referent=awa)
    both = make_coordinator(first_name="Chloé", last_name="Double")
    both.groups.add(staff_groups()[1])
    return {
        "awa": awa,
        "idle": make_referent(first_name="Bruno", last_name="Libre"),
        "coordinator": make_coordinator(first_name="Camille", last_name="Coord"),
        "coordinator_and_referent": both,
        "superuser": UserFactory(superuser=True, first_name="Super", last_name="Admin"),
        "inactive": make_referent(first_name="Ines", last_name="Partie", is_active=False),
        "plain_staff": UserFactory(staff=True, first_name="Paul", last_name="Staff"),
        "member": UserFactory(first_name="Marie", last_name="Membre"),
    }


def referent_choices(field) -> list[str]:
    return [label for value, label in field.choices if value != ""]


@override_settings(REFERENT_CASELOAD_CAP=25)
def test_the_bulk_action_offers_exactly_the_referents_with_their_caseload(
    coordinator_client, accounts
):
    mentor = MentorFactory(approved=True)

    page = coordinator_client.post(
        MENTORS, {"action": "assign_referent", "_selected_action": [mentor.pk]}
    )

    # Neither coordinators (even in the référents' group too), superusers, inactive accounts,
    # staff without the role nor members.
    assert referent_choices(page.context["form"].fields["referent"]) == [
        f"Awa Diallo ({accounts['awa'].email}) — 2 / 25",
        f"Bruno Libre ({accounts['idle'].email}) — 0 / 25",
    ]
    assert 'for="id_referent"' in page.content.decode()


@override_settings(REFERENT_CASELOAD_CAP=25)
def test_the_mentor_s_page_offers_the_same_referents(coordinator_client, accounts):
    mentor = MentorFactory(approved=True)

    page = coordinator_client.get(reverse("admin:mentors_mentor_change", args=[mentor.pk]))

    field = page.context["adminform"].form.fields["referent"]
    action = coordinator_client.post(
        MENTORS, {"action": "assign_referent", "_selected_action": [mentor.pk]}
    )
    assert referent_choices(field) == referent_choices(action.context["form"].fields["referent"])
    assert f"Awa Diallo ({accounts['awa'].email}) — 2 / 25" in page.content.decode()


def test_the_mentor_s_page_keeps_a_current_referent_outside_the_role(coordinator_client, accounts):
    # Assigned before the rule narrowed the choice: saving the page must not lose them.
    mentor = MentorFactory(approved=True, referent=accounts["coordinator"])

    page = coordinator_client.get(reverse("admin:mentors_mentor_change", args=[mentor.pk]))

    labels = referent_choices(page.context["adminform"].form.fields["referent"])
    assert any(label.startswith("Camille Coord") for label in labels)
    assert not any(label.startswith("Super Admin") for label in labels)


def test_the_mentor_s_page_saves_a_referent_chosen_there(coordinator_client, accounts):
    mentor = MentorFactory(approved=True)

    response = post_the_mentor_s_page(coordinator_client, mentor, referent=accounts["idle"].pk)

    assert response.status_code == 302, response.context["adminform"].form.errors
    mentor.refresh_from_db()
    assert mentor.referent == accounts["idle"]


def test_a_coordinator_cannot_be_posted_as_referent_on_the_mentor_s_page(
    coordinator_client, accounts
):
    mentor = MentorFactory(approved=True)

    response = post_the_mentor_s_page(coordinator_client, mentor, referent=accounts["coordinator"])

    assert response.status_code == 200
    assert "referent" in response.context["adminform"].form.errors
    mentor.refresh_from_db()
    assert mentor.referent is None


@override_settings(REFERENT_CASELOAD_CAP=2)
def test_the_mentor_s_page_refuses_a_full_referent_beside_the_field_and_keeps_the_page(
    coordinator_client, accounts
):
    # Awa already accompanies 2 approved mentors: the cap of the bulk action applies here too.
    mentor = MentorFactory(approved=True)

    response = post_the_mentor_s_page(
        coordinator_client, mentor, referent=accounts["awa"].pk, employer="Typé à l'instant"
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["referent"]
    name = mentor.user.get_full_name()
    assert errors == [f"{name} : Awa Diallo accompagne déjà 2 mentors, le maximum par référent."]
    assert "Typé à l&#x27;instant" in response.content.decode()
    mentor.refresh_from_db()
    assert mentor.referent is None
    assert mentor.employer != "Typé à l'instant"


def test_the_mentor_s_page_sets_whether_they_travel_across_their_region(coordinator_client):
    mentor = MentorFactory(approved=True)

    response = post_the_mentor_s_page(coordinator_client, mentor, travels_whole_region="on")

    assert response.status_code == 302, response.context["adminform"].form.errors
    mentor.refresh_from_db()
    assert mentor.travels_whole_region is True
