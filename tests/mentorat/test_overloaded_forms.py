"""A form whose save the database refuses as overloaded (after SQLite's busy timeout, a
PostgreSQL lock timeout…) is answered again, filled in as it was sent, with a French message;
never the 500 page, and nothing half-saved."""

import datetime
import html

import pytest
from django.db import OperationalError
from django.db.backends.utils import CursorWrapper
from django.urls import reverse
from django.utils import timezone

from evaluations.enums import Moment, QuestionKind
from evaluations.models import Answer, Questionnaire
from matching.models import Objective
from mentees.models import Mentee
from mentors.models import Mentor
from sessions.models import PlannedMeeting
from tests.matching.factories import MentorshipFactory
from tests.mentees.form_data import mentee_form_data
from tests.mentors.form_data import mentor_form_data
from users.models import User
from users.overload import OVERLOADED

pytestmark = pytest.mark.django_db


@pytest.fixture
def overloaded(monkeypatch):
    """The database driver refuses every write to `table`, as SQLite does once its busy timeout
    is over ("database is locked"); every other statement runs."""

    def overload(table: str) -> None:
        execute = CursorWrapper._execute

        def refusing(self, sql, params, *args):
            if sql.lstrip().upper().startswith(("INSERT", "UPDATE")) and table in sql:
                raise OperationalError("database is locked")
            return execute(self, sql, params, *args)

        monkeypatch.setattr(CursorWrapper, "_execute", refusing)

    return overload


def page_text(response) -> str:
    return html.unescape(response.content.decode())


def test_an_overloaded_registration_answers_the_form_as_it_was_typed(client, overloaded):
    overloaded(User._meta.db_table)
    data = mentee_form_data(goals="Trouver une alternance en maintenance aéronautique.")

    response = client.post(reverse("mentees:register"), data)

    assert response.status_code == 200
    text = page_text(response)
    assert OVERLOADED in text
    assert 'value="yanis.benali@example.org"' in text
    assert "Trouver une alternance en maintenance aéronautique." in text
    assert not Mentee.objects.exists()
    assert not User.objects.filter(email="yanis.benali@example.org").exists()


def test_an_overloaded_mentor_registration_keeps_the_motivation(client, overloaded):
    overloaded(User._meta.db_table)
    data = mentor_form_data(motivation="Transmettre vingt ans de métier à un jeune.")

    response = client.post(reverse("mentors:register"), data)

    assert response.status_code == 200
    assert OVERLOADED in page_text(response)
    assert "Transmettre vingt ans de métier à un jeune." in page_text(response)
    assert not Mentor.objects.exists()


def test_an_overloaded_planned_meeting_answers_the_form_as_it_was_typed(client, overloaded):
    pair = MentorshipFactory(active=True)
    client.force_login(pair.mentee.user)
    overloaded(PlannedMeeting._meta.db_table)
    starts_at = (timezone.localtime() + datetime.timedelta(days=7)).replace(hour=18, minute=30)
    data = {
        "starts_at": starts_at.strftime("%Y-%m-%dT%H:%M"),
        "duration_minutes": "95",
        "place": "Médiathèque Ulysse, Saint-Denis",
        "video_link": "",
    }

    response = client.post(reverse("sessions:plan_meeting", args=[pair.pk]), data)

    assert response.status_code == 200
    text = page_text(response)
    assert OVERLOADED in text
    assert 'value="Médiathèque Ulysse, Saint-Denis"' in text
    assert f'value="{data["starts_at"]}"' in text
    assert 'value="95"' in text
    assert not PlannedMeeting.objects.exists()


def test_a_form_the_database_accepts_is_saved_as_before(client):
    pair = MentorshipFactory(active=True)
    client.force_login(pair.mentor.user)
    starts_at = (timezone.localtime() + datetime.timedelta(days=3)).replace(hour=9, minute=0)
    data = {
        "starts_at": starts_at.strftime("%Y-%m-%dT%H:%M"),
        "duration_minutes": "90",
        "place": "Café du parc",
        "video_link": "",
    }

    response = client.post(reverse("sessions:plan_meeting", args=[pair.pk]), data)

    assert response.status_code == 302
    assert PlannedMeeting.objects.get().place == "Café du parc"


def test_an_overloaded_objective_keeps_its_title_and_description(client, overloaded):
    pair = MentorshipFactory(active=True)
    client.force_login(pair.mentee.user)
    overloaded(Objective._meta.db_table)

    response = client.post(
        reverse("matching:objective_add", args=[pair.pk]),
        {"title": "Décrocher une alternance", "description": "En maintenance aéronautique."},
    )

    assert response.status_code == 200
    text = page_text(response)
    assert OVERLOADED in text
    assert 'value="Décrocher une alternance"' in text
    assert "En maintenance aéronautique." in text
    assert not Objective.objects.exists()


def test_an_overloaded_questionnaire_keeps_the_answers_typed(client, overloaded):
    pair = MentorshipFactory(active=True)
    client.force_login(pair.mentee.user)
    fill = reverse("evaluations:fill", args=[pair.pk, "debut"])
    client.get(fill)  # opens the response, as the young person's first visit does
    questions = list(Questionnaire.objects.current().get().questions.for_moment(Moment.START))
    long_text = next(question for question in questions if question.kind == QuestionKind.LONG_TEXT)
    overloaded(Answer._meta.db_table)

    response = client.post(
        fill, {f"q{long_text.pk}": "Qu'il m'aide à trouver un stage.", "action": "brouillon"}
    )

    assert response.status_code == 200
    text = page_text(response)
    assert OVERLOADED in text
    assert "Qu'il m'aide à trouver un stage." in text
    assert not Answer.objects.exists()
