"""A pair's objectives from the members' pages: either member adds one or updates it, the
services' refusals are shown beside the fields with what was typed, every change is kept,
and nobody else reaches these pages."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from matching.enums import MentorshipStatus, ObjectiveStatus
from matching.models import Objective
from matching.services import objective_create
from tests.matching.factories import MentorshipFactory
from tests.spaces.actors import (
    MEMBERS,
    actors_of,
    assert_redirected_to_login,
    client_as,
    parametrize_actors,
)
from tests.utils import assert_error_tied_to_field

pytestmark = pytest.mark.django_db


def active_pair(**kwargs):
    return MentorshipFactory(
        active=True, started_on=timezone.localdate() - datetime.timedelta(days=20), **kwargs
    )


def add_url(mentorship) -> str:
    return reverse("matching:objective_add", args=[mentorship.pk])


def edit_url(objective) -> str:
    return reverse("matching:objective_edit", args=[objective.pk])


def objectives_of(mentorship) -> str:
    return reverse("spaces:pair", args=[mentorship.pk]) + "#objectifs"


def an_objective(mentorship, title="Trouver un stage"):
    return objective_create(mentorship=mentorship, title=title, author=mentorship.mentor.user)


def close(mentorship):
    mentorship.status = MentorshipStatus.CLOSED
    mentorship.ended_on = timezone.localdate()
    mentorship.save()


# --- Who reaches the pages


@parametrize_actors
def test_only_the_members_open_the_add_page(client, actor):
    mentorship = active_pair()
    user = actors_of(mentorship)[actor]

    response = client_as(client, user).get(add_url(mentorship))

    if actor == "anonymous":
        assert_redirected_to_login(response)
    elif actor in MEMBERS:
        assert response.status_code == 200
    else:
        # The référent and the coordinators read the objectives on the pair's page: they do
        # not set them.
        assert response.status_code == 404


@parametrize_actors
def test_only_the_members_add_an_objective(client, actor):
    mentorship = active_pair()
    user = actors_of(mentorship)[actor]

    response = client_as(client, user).post(add_url(mentorship), {"title": "Trouver un stage"})

    if actor == "anonymous":
        assert_redirected_to_login(response)
    elif actor in MEMBERS:
        assert response.status_code == 302
        assert response.url == objectives_of(mentorship)
    else:
        assert response.status_code == 404
    assert Objective.objects.count() == (1 if actor in MEMBERS else 0)


@parametrize_actors
def test_only_the_members_open_an_objectives_page(client, actor):
    mentorship = active_pair()
    objective = an_objective(mentorship)
    user = actors_of(mentorship)[actor]

    response = client_as(client, user).get(edit_url(objective))

    if actor == "anonymous":
        assert_redirected_to_login(response)
    elif actor in MEMBERS:
        assert response.status_code == 200
    else:
        assert response.status_code == 404


@parametrize_actors
def test_only_the_members_update_an_objective(client, actor):
    mentorship = active_pair()
    objective = an_objective(mentorship)
    user = actors_of(mentorship)[actor]

    response = client_as(client, user).post(
        edit_url(objective),
        {"title": "Changé", "description": "", "status": ObjectiveStatus.ACHIEVED},
    )

    objective.refresh_from_db()
    if actor == "anonymous":
        assert_redirected_to_login(response)
    elif actor in MEMBERS:
        assert response.status_code == 302
        assert objective.status == ObjectiveStatus.ACHIEVED
        return
    else:
        assert response.status_code == 404
    assert objective.title == "Trouver un stage"
    assert objective.status == ObjectiveStatus.OPEN


def test_unknown_ids_are_404(client):
    mentorship = active_pair()
    objective = an_objective(mentorship)
    client.force_login(mentorship.mentor.user)

    assert (
        client.get(reverse("matching:objective_add", args=[mentorship.pk + 50])).status_code == 404
    )
    assert (
        client.get(reverse("matching:objective_edit", args=[objective.pk + 50])).status_code == 404
    )


# --- Adding


def test_the_young_person_adds_an_objective_and_it_is_recorded_as_theirs(client):
    mentorship = active_pair()
    client.force_login(mentorship.mentee.user)

    response = client.post(
        add_url(mentorship),
        {"title": "  Trouver une alternance  ", "description": "Dans le numérique"},
        follow=True,
    )

    objective = Objective.objects.get()
    assert objective.title == "Trouver une alternance"
    assert objective.description == "Dans le numérique"
    assert objective.status == ObjectiveStatus.OPEN
    assert objective.created_by == mentorship.mentee.user
    assert objective.history.get().history_user == mentorship.mentee.user
    assert "Objectif ajouté : « Trouver une alternance »." in response.content.decode()


def test_an_objective_without_title_is_refused_beside_the_field_keeping_the_description(client):
    mentorship = active_pair()
    client.force_login(mentorship.mentor.user)

    response = client.post(add_url(mentorship), {"title": "   ", "description": "Mes précisions"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "Donnez un titre à l&#x27;objectif." in html
    assert_error_tied_to_field(html, "title")
    assert "Mes précisions" in html
    assert Objective.objects.count() == 0


def test_a_title_too_long_is_refused_with_its_limit(client):
    mentorship = active_pair()
    client.force_login(mentorship.mentor.user)

    response = client.post(add_url(mentorship), {"title": "x" * 201})

    html = response.content.decode()
    assert "Le titre est limité à 200 caractères." in html
    assert_error_tied_to_field(html, "title")
    assert "x" * 201 in html


def test_the_services_refusal_is_shown_with_what_was_typed(client):
    mentorship = active_pair()
    close(mentorship)
    client.force_login(mentorship.mentor.user)

    response = client.post(
        add_url(mentorship), {"title": "Un objectif tardif", "description": "Trop tard"}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "Les objectifs se fixent pendant le mentorat." in html
    assert 'value="Un objectif tardif"' in html
    assert "Trop tard" in html
    assert Objective.objects.count() == 0


def test_the_add_page_has_one_heading_and_labelled_fields(client):
    mentorship = active_pair()
    client.force_login(mentorship.mentor.user)

    html = client.get(add_url(mentorship)).content.decode()

    assert html.count("<h1") == 1
    assert 'for="id_title"' in html
    assert 'for="id_description"' in html


# --- Updating


def test_either_member_updates_an_objective_and_each_change_is_kept(client):
    mentorship = active_pair()
    objective = an_objective(mentorship)
    client.force_login(mentorship.mentee.user)

    response = client.post(
        edit_url(objective),
        {
            "title": "Trouver un stage de 3e",
            "description": "Dans une entreprise du numérique",
            "status": ObjectiveStatus.IN_PROGRESS,
        },
    )

    assert response.status_code == 302
    assert response.url == objectives_of(mentorship)
    objective.refresh_from_db()
    assert objective.title == "Trouver un stage de 3e"
    assert objective.status == ObjectiveStatus.IN_PROGRESS
    history = list(objective.history.order_by("history_date"))
    assert [record.title for record in history] == ["Trouver un stage", "Trouver un stage de 3e"]
    assert history[-1].history_user == mentorship.mentee.user
    page = client.get(edit_url(objective)).content.decode()
    assert "Historique des modifications" in page
    assert "modifié" in page


def test_the_quick_state_change_of_the_pair_page_keeps_the_title(client):
    mentorship = active_pair()
    objective = an_objective(mentorship)
    client.force_login(mentorship.mentor.user)

    response = client.post(
        edit_url(objective),
        {"quick": "status", f"objectif-{objective.pk}-status": ObjectiveStatus.ACHIEVED},
    )

    assert response.status_code == 302
    objective.refresh_from_db()
    assert objective.status == ObjectiveStatus.ACHIEVED
    assert objective.title == "Trouver un stage"


def test_an_unknown_state_is_refused_beside_the_field(client):
    mentorship = active_pair()
    objective = an_objective(mentorship)
    client.force_login(mentorship.mentor.user)

    response = client.post(
        edit_url(objective), {"title": "Trouver un stage", "description": "", "status": "done"}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "Choisissez l&#x27;un des états proposés." in html
    objective.refresh_from_db()
    assert objective.status == ObjectiveStatus.OPEN


def test_an_objective_of_a_closed_pair_no_longer_changes_and_the_typing_is_kept(client):
    mentorship = active_pair()
    objective = an_objective(mentorship)
    close(mentorship)
    client.force_login(mentorship.mentee.user)

    response = client.post(
        edit_url(objective),
        {"title": "Nouveau titre", "description": "Nouvelles précisions", "status": "achieved"},
    )

    html = response.content.decode()
    assert "Ce mentorat est terminé : ses objectifs ne changent plus." in html
    assert 'value="Nouveau titre"' in html
    assert "Nouvelles précisions" in html
    objective.refresh_from_db()
    assert objective.title == "Trouver un stage"


def test_the_edit_page_is_prefilled(client):
    mentorship = active_pair()
    objective = an_objective(mentorship, title="Préparer un entretien")
    client.force_login(mentorship.mentor.user)

    html = client.get(edit_url(objective)).content.decode()

    assert 'value="Préparer un entretien"' in html
    assert html.count("<h1") == 1
    assert 'value="open"' in html and "checked" in html
