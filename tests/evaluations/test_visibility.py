"""Who reads the questionnaires: the young person, the mentor, the mentor's référent and
coordinators read a submitted response and the pair's progress; anybody else gets a 404 (the
login page when logged out). A draft is only ever shown to the young person writing it."""

import pytest
from django.urls import reverse

from evaluations.enums import Moment
from tests.matching.factories import MentorshipFactory
from tests.spaces.actors import (
    READERS,
    actors_of,
    assert_redirected_to_login,
    client_as,
    parametrize_actors,
)
from tests.spaces.questionnaires import respond

from .test_progress import closing_pair, complete_pair

pytestmark = pytest.mark.django_db


def urls_of(pair) -> dict[str, str]:
    start = pair.responses.get(moment=Moment.START)
    end = pair.responses.get(moment=Moment.END)
    return {
        "start response": reverse("evaluations:response", args=[start.pk]),
        "end response": reverse("evaluations:response", args=[end.pk]),
        "progress": reverse("evaluations:progress", args=[pair.pk]),
    }


@parametrize_actors
@pytest.mark.parametrize("page", ["start response", "end response", "progress"])
def test_only_the_pairs_readers_open_the_questionnaires_and_the_progress(client, actor, page):
    pair = complete_pair()
    user = actors_of(pair)[actor]
    url = urls_of(pair)[page]

    response = client_as(client, user).get(url)

    if actor == "anonymous":
        assert_redirected_to_login(response)
    elif actor in READERS:
        assert response.status_code == 200
        assert response.content.decode().count("<h1") == 1
    else:
        assert response.status_code == 404


@parametrize_actors
def test_a_draft_is_shown_to_the_young_person_only(client, actor):
    pair = MentorshipFactory(active=True)
    draft = respond(pair, Moment.START, submit=False)
    user = actors_of(pair)[actor]

    response = client_as(client, user).get(reverse("evaluations:response", args=[draft.pk]))

    if actor == "anonymous":
        assert_redirected_to_login(response)
    elif actor == "mentee":
        assert response.status_code == 200
        assert "Brouillon, pas encore envoyé" in response.content.decode()
    else:
        assert response.status_code == 404


def test_the_mentor_reads_each_answer_of_a_submitted_response(client):
    pair = complete_pair(mentee__user__first_name="Yanis", mentee__user__last_name="Benali")
    start = pair.responses.get(moment=Moment.START)
    client.force_login(pair.mentor.user)

    html = client.get(reverse("evaluations:response", args=[start.pk])).content.decode()

    assert "Questionnaire de début de mentorat de Yanis Benali" in html
    assert "J&#x27;ai confiance en moi." in html
    assert "<strong>2 sur 5</strong>" in html
    assert "Mon orientation" in html
    assert "Au début" in html
    # End-only questions are not asked at the start.
    assert "grâce au mentorat" not in html
    assert "Brouillon" not in html


@pytest.mark.parametrize("actor", ["mentor", "referent", "coordinator"])
def test_a_draft_end_questionnaire_never_reaches_the_progress_of_the_mentor(client, actor):
    pair = closing_pair()
    respond(pair, Moment.START, scales=(2,) * 7)
    respond(pair, Moment.END, scales=(5,) * 7, text="Secret", submit=False)
    user = actors_of(pair)[actor]

    response = client_as(client, user).get(reverse("evaluations:progress", args=[pair.pk]))

    assert response.status_code == 200
    assert response.context["progress"].end is None
    html = response.content.decode()
    assert "Le questionnaire de fin n'est pas encore envoyé" in html
    assert "Secret" not in html
