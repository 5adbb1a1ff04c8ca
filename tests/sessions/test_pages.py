"""The sessions pages, used as people use them: every rule of sessions.services reaches the
person as a French error beside the field, with what they typed kept."""

import datetime
import re
from html import unescape

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from matching.enums import MentorshipStatus, Side
from sessions.models import EDIT_WINDOW, FollowUp, PlannedMeeting, Session, SessionEvaluation
from tests.matching.factories import MentorshipFactory
from tests.sessions.factories import (
    FollowUpFactory,
    PlannedMeetingFactory,
    SessionEvaluationFactory,
    SessionFactory,
)
from tests.users.factories import UserFactory
from tests.utils import assert_error_tied_to_field

pytestmark = pytest.mark.django_db

# Monday 16 March 2026, noon in Paris.
NOW = datetime.datetime(2026, 3, 16, 11, 0, tzinfo=datetime.UTC)
TODAY = datetime.date(2026, 3, 16)
STARTED = datetime.date(2026, 1, 5)
FLAG = "moins de 1h30 : ne compte pas pour le rythme"
# Said in the message after saving and on the session's page.
NOT_COUNTING = "ne compte pas pour le rythme"


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def pair():
    return MentorshipFactory(
        active=True,
        started_on=STARTED,
        mentor__user__first_name="Sophie",
        mentee__user__first_name="Yanis",
        mentor__referent=UserFactory(staff=True),
    )


@pytest.fixture
def mentor_client(client, pair):
    client.force_login(pair.mentor.user)
    return client


@pytest.fixture
def mentee_client(client, pair):
    client.force_login(pair.mentee.user)
    return client


def session_data(**overrides):
    data = {
        "held_on": "2026-03-12",
        "duration_minutes": "90",
        "format": "video",
        "topics": ["orientation", "alternance"],
        "other_topic": "",
        "summary": "Nous avons listé trois entreprises pour l'alternance.",
        "next_steps": "Yanis prépare son CV.",
    }
    return data | overrides


def log_url(pair):
    return reverse("sessions:log", args=[pair.pk])


def pair_url(pair):
    return reverse("spaces:pair", args=[pair.pk])


def texts(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def html_of(response) -> str:
    # Unescaped, so that French apostrophes read the same in template text and in variables.
    return unescape(response.content.decode())


def assert_one_h1(html: str) -> None:
    assert len(re.findall(r"<h1[\s>]", html)) == 1


# --- Logging a session -------------------------------------------------------------------


def test_the_log_form_is_labelled_and_typed_for_a_phone(mentor_client, pair):
    response = mentor_client.get(log_url(pair))

    html = html_of(response)
    assert response.status_code == 200
    assert_one_h1(html)
    assert "Enregistrer une séance" in html
    assert 'type="date"' in html and 'value="2026-03-16"' in html and 'max="2026-03-16"' in html
    assert 'type="radio" class="form-check-input"  name="format"' in html
    assert 'type="checkbox"' in html
    for field in ["held_on", "duration_minutes", "other_topic", "summary", "next_steps"]:
        assert re.search(rf'<label\s+for="id_{field}"', html)
    assert "Avec Yanis" in html


def test_the_mentor_logs_a_session_and_the_pair_rhythm_follows(mentor_client, pair):
    response = mentor_client.post(log_url(pair), session_data())

    assert response.status_code == 302
    assert response.url == pair_url(pair)
    session = Session.objects.get()
    assert session.held_on == datetime.date(2026, 3, 12)
    assert session.topics == ["orientation", "alternance"]
    assert session.logged_by == pair.mentor.user
    assert session.next_steps == "Yanis prépare son CV."
    pair.refresh_from_db()
    assert pair.last_session_on == datetime.date(2026, 3, 12)
    assert pair.qualifying_sessions == 1
    assert texts(response) == ["La séance du 12 mars 2026 est enregistrée. Pensez à l'évaluer."]


def test_a_session_of_89_minutes_is_saved_and_flagged(mentor_client, pair):
    response = mentor_client.post(log_url(pair), session_data(duration_minutes="89"))

    assert response.status_code == 302
    assert Session.objects.get().is_below_minimum
    assert any(NOT_COUNTING in text for text in texts(response))
    pair.refresh_from_db()
    assert pair.last_session_on == datetime.date(2026, 3, 12)
    assert pair.qualifying_sessions == 0


def test_a_session_of_90_minutes_is_not_flagged(mentor_client, pair):
    response = mentor_client.post(log_url(pair), session_data(duration_minutes="90"))

    assert not any(NOT_COUNTING in text for text in texts(response))
    pair.refresh_from_db()
    assert pair.qualifying_sessions == 1


@pytest.mark.parametrize(
    ("minutes", "accepted"), [(14, False), (15, True), (480, True), (481, False)]
)
def test_duration_bounds(mentor_client, pair, minutes, accepted):
    response = mentor_client.post(log_url(pair), session_data(duration_minutes=str(minutes)))

    assert Session.objects.exists() == accepted
    if not accepted:
        assert response.status_code == 200
        html = html_of(response)
        assert "La durée doit être comprise entre 15 et 480 minutes." in html
        assert_error_tied_to_field(html, "duration_minutes")


@pytest.mark.parametrize(
    ("held_on", "error"),
    [
        ("2026-01-04", "La séance ne peut pas précéder le début du mentorat (05/01/2026)."),
        ("2026-03-17", "La séance ne peut pas être datée dans le futur."),
    ],
    ids=["day-before-start", "tomorrow"],
)
def test_a_date_outside_the_pair_life_is_refused_beside_the_field(
    mentor_client, pair, held_on, error
):
    response = mentor_client.post(log_url(pair), session_data(held_on=held_on))

    assert response.status_code == 200
    assert not Session.objects.exists()
    html = html_of(response)
    assert error in html
    assert_error_tied_to_field(html, "held_on")
    # Nothing typed is lost.
    assert f'value="{held_on}"' in html
    assert "Nous avons listé trois entreprises pour l'alternance." in html
    assert "Yanis prépare son CV." in html
    assert re.search(r'value="alternance"[^>]*checked', html)
    assert re.search(r'value="video"[^>]*checked', html)


@pytest.mark.parametrize("held_on", ["2026-01-05", "2026-03-16"], ids=["start-day", "today"])
def test_the_first_day_and_today_are_accepted(mentor_client, pair, held_on):
    response = mentor_client.post(log_url(pair), session_data(held_on=held_on))

    assert response.status_code == 302
    assert Session.objects.get().held_on.isoformat() == held_on


def test_other_topic_must_be_named(mentor_client, pair):
    response = mentor_client.post(log_url(pair), session_data(topics=["other"], other_topic=" "))

    html = html_of(response)
    assert "Précisez l'autre sujet abordé." in html
    assert_error_tied_to_field(html, "other_topic")
    assert 'href="#id_other_topic"' in html  # linked from the summary


def test_missing_fields_are_listed_in_the_summary_and_beside_each_field(mentor_client, pair):
    response = mentor_client.post(log_url(pair), {})

    html = html_of(response)
    assert 'role="alert"' in html
    for field in ["held_on", "duration_minutes", "format", "topics", "summary"]:
        assert_error_tied_to_field(html, field)
    # Radio and checkbox groups are linked to by their container.
    assert 'href="#div_id_format"' in html and 'id="div_id_format"' in html
    assert "Cochez au moins une case." in html


def test_a_closed_pair_takes_no_new_session(client):
    pair = MentorshipFactory(closed=True, started_on=STARTED, ended_on=datetime.date(2026, 3, 1))
    client.force_login(pair.mentor.user)

    response = client.get(log_url(pair))
    assert response.status_code == 403
    assert "ce binôme n'est pas en cours" in html_of(response)
    assert client.post(log_url(pair), session_data()).status_code == 403
    assert not Session.objects.exists()


# --- Editing a session -------------------------------------------------------------------


def logged_session(pair, **fields):
    return SessionFactory(mentorship=pair, logged_at=timezone.now(), **fields)


def test_the_author_corrects_a_session_and_the_rhythm_follows(mentor_client, pair):
    session = logged_session(pair, held_on=datetime.date(2026, 3, 12))

    page = mentor_client.get(reverse("sessions:update", args=[session.pk]))
    assert 'value="2026-03-12"' in html_of(page)
    assert "jusqu'au 23 mars 2026 à 12:00" in html_of(page)
    response = mentor_client.post(
        reverse("sessions:update", args=[session.pk]),
        session_data(held_on="2026-03-14", duration_minutes="60"),
    )

    assert response.status_code == 302
    assert response.url == pair_url(pair)
    session.refresh_from_db()
    assert (session.held_on, session.duration_minutes) == (datetime.date(2026, 3, 14), 60)
    pair.refresh_from_db()
    assert pair.last_session_on == datetime.date(2026, 3, 14)
    assert pair.qualifying_sessions == 0
    assert any(NOT_COUNTING in text for text in texts(response))


@pytest.mark.parametrize(
    ("elapsed", "allowed"),
    [
        (EDIT_WINDOW - datetime.timedelta(minutes=1), True),
        (EDIT_WINDOW + datetime.timedelta(minutes=1), False),
    ],
    ids=["7-days-minus-a-minute", "7-days-plus-a-minute"],
)
def test_a_session_is_editable_for_7_days(client, pair, elapsed, allowed):
    session = logged_session(pair)
    client.force_login(pair.mentor.user)
    url = reverse("sessions:update", args=[session.pk])

    with time_machine.travel(NOW + elapsed, tick=False):
        page = client.get(url)
        response = client.post(url, session_data(summary="Corrigé"))

    session.refresh_from_db()
    if allowed:
        assert page.status_code == 200
        assert response.status_code == 302
        assert session.summary == "Corrigé"
    else:
        assert page.status_code == response.status_code == 403
        assert "Une séance se modifie pendant 7 jours après sa saisie" in html_of(page)
        assert session.summary != "Corrigé"


def test_a_date_after_the_end_of_a_closed_pair_is_refused(client):
    pair = MentorshipFactory(closed=True, started_on=STARTED, ended_on=datetime.date(2026, 3, 10))
    session = logged_session(pair, held_on=datetime.date(2026, 3, 9))
    client.force_login(pair.mentor.user)

    response = client.post(
        reverse("sessions:update", args=[session.pk]), session_data(held_on="2026-03-11")
    )

    html = html_of(response)
    assert "La séance ne peut pas suivre la fin du mentorat (10/03/2026)." in html
    assert_error_tied_to_field(html, "held_on")
    ok = client.post(
        reverse("sessions:update", args=[session.pk]), session_data(held_on="2026-03-10")
    )
    assert ok.status_code == 302


def test_only_the_author_edits_even_another_mentor_of_record(client, pair):
    # A session logged by a coordinator on the mentor's behalf stays theirs to correct.
    session = logged_session(pair, logged_by=UserFactory(coordinator=True))
    client.force_login(pair.mentor.user)

    response = client.get(reverse("sessions:update", args=[session.pk]))

    assert response.status_code == 403
    assert "Seul l'auteur de la séance peut la modifier." in html_of(response)


# --- Evaluating a session ----------------------------------------------------------------


def evaluate_url(session):
    return reverse("sessions:evaluate", args=[session.pk])


def test_the_mentor_evaluation_asks_for_the_objectives(mentor_client, pair):
    session = logged_session(pair)

    html = html_of(mentor_client.get(evaluate_url(session)))
    assert_one_h1(html)
    assert "Comment s'est passée la séance ?" in html
    assert 'name="objectives_progress"' in html

    response = mentor_client.post(evaluate_url(session), {"rating": "4", "comment": "Bien"})
    html = html_of(response)
    assert response.status_code == 200
    assert "Indiquez où en sont les objectifs." in html
    assert_error_tied_to_field(html, "objectives_progress")
    assert re.search(r'value="4"[^>]*checked', html)  # the rating is kept
    assert not SessionEvaluation.objects.exists()

    response = mentor_client.post(
        evaluate_url(session), {"rating": "4", "objectives_progress": "some", "comment": "Bien"}
    )
    assert response.status_code == 302
    assert response.url == pair_url(pair)
    evaluation = SessionEvaluation.objects.get()
    assert (evaluation.side, evaluation.rating, evaluation.objectives_progress) == (
        Side.MENTOR,
        4,
        "some",
    )


def test_the_young_person_rates_usefulness_only(mentee_client, pair):
    session = logged_session(pair)

    html = html_of(mentee_client.get(evaluate_url(session)))
    assert "Cette séance t'a-t-elle été utile ?" in html
    assert 'name="objectives_progress"' not in html

    response = mentee_client.post(evaluate_url(session), {"rating": "5", "comment": "Merci"})

    assert response.status_code == 302
    evaluation = SessionEvaluation.objects.get()
    assert (evaluation.side, evaluation.rating, evaluation.author) == (
        Side.MENTEE,
        5,
        pair.mentee.user,
    )


@pytest.mark.parametrize("rating", ["0", "6", ""])
def test_the_rating_is_1_to_5(mentee_client, pair, rating):
    session = logged_session(pair)

    response = mentee_client.post(evaluate_url(session), {"rating": rating})

    assert response.status_code == 200
    assert_error_tied_to_field(html_of(response), "rating")
    assert not SessionEvaluation.objects.exists()


def test_each_side_evaluates_once_and_edits_the_same_evaluation(client, pair):
    session = logged_session(pair)
    client.force_login(pair.mentee.user)
    client.post(evaluate_url(session), {"rating": "2"})

    page = client.get(evaluate_url(session))
    assert "Tu as déjà évalué cette séance" in html_of(page)
    assert re.search(r'value="2"[^>]*checked|checked[^>]*value="2"', html_of(page))
    client.post(evaluate_url(session), {"rating": "3"})

    assert SessionEvaluation.objects.filter(side=Side.MENTEE).count() == 1
    assert SessionEvaluation.objects.get().rating == 3


@pytest.mark.parametrize(
    ("elapsed", "allowed"),
    [
        (EDIT_WINDOW - datetime.timedelta(minutes=1), True),
        (EDIT_WINDOW + datetime.timedelta(minutes=1), False),
    ],
    ids=["7-days-minus-a-minute", "7-days-plus-a-minute"],
)
def test_an_evaluation_is_editable_for_7_days(client, pair, elapsed, allowed):
    session = logged_session(pair)
    SessionEvaluationFactory(session=session, side=Side.MENTEE, rating=2, created_at=NOW)
    client.force_login(pair.mentee.user)

    with time_machine.travel(NOW + elapsed, tick=False):
        page = client.get(evaluate_url(session))
        response = client.post(evaluate_url(session), {"rating": "5"})

    if allowed:
        assert page.status_code == 200
        assert response.status_code == 302
        assert SessionEvaluation.objects.get().rating == 5
    else:
        assert page.status_code == response.status_code == 403
        assert "une évaluation se modifie pendant 7 jours seulement" in html_of(page)
        assert SessionEvaluation.objects.get().rating == 2


# --- Planning the next meeting -----------------------------------------------------------


def plan_url(pair):
    return reverse("sessions:plan_meeting", args=[pair.pk])


def meeting_data(**overrides):
    data = {
        "starts_at": "2026-03-20T18:30",
        "duration_minutes": "90",
        "place": "Médiathèque Ulysse, Saint-Denis",
        "video_link": "",
    }
    return data | overrides


def test_the_meeting_form_is_typed_for_a_phone(mentee_client, pair):
    html = html_of(mentee_client.get(plan_url(pair)))

    assert_one_h1(html)
    assert 'type="datetime-local"' in html
    assert 'value="90"' in html  # the programme's minimum, proposed
    assert 'type="url"' in html


def test_either_member_plans_the_meeting_in_paris_time(mentee_client, pair):
    response = mentee_client.post(plan_url(pair), meeting_data())

    assert response.status_code == 302
    assert response.url == pair_url(pair)
    meeting = PlannedMeeting.objects.get()
    assert timezone.localtime(meeting.starts_at).strftime("%Y-%m-%d %H:%M") == "2026-03-20 18:30"
    assert meeting.planned_by == pair.mentee.user
    assert "La prochaine rencontre est prévue le 20 mars 2026 à 18:30." in texts(response)[0]


def test_planning_again_replaces_the_meeting_and_shows_the_current_one(mentor_client, pair):
    PlannedMeetingFactory(
        mentorship=pair, starts_at=datetime.datetime(2026, 3, 18, 17, tzinfo=datetime.UTC)
    )

    page = html_of(mentor_client.get(plan_url(pair)))
    assert 'value="2026-03-18T18:00"' in page  # shown in Paris time
    mentor_client.post(
        plan_url(pair), meeting_data(place="", video_link="https://visio.example.org/abc")
    )

    meeting = PlannedMeeting.objects.get()
    assert (meeting.place, meeting.video_link) == ("", "https://visio.example.org/abc")


@pytest.mark.parametrize("starts_at", ["2026-03-16T12:00", "2026-03-15T18:00"], ids=["now", "past"])
def test_a_meeting_in_the_past_is_refused(mentor_client, pair, starts_at):
    response = mentor_client.post(plan_url(pair), meeting_data(starts_at=starts_at))

    html = html_of(response)
    assert "Choisissez une date à venir." in html
    assert_error_tied_to_field(html, "starts_at")
    assert f'value="{starts_at}"' in html
    assert not PlannedMeeting.objects.exists()


def test_a_meeting_needs_a_place_or_a_link(mentor_client, pair):
    response = mentor_client.post(plan_url(pair), meeting_data(place=" ", video_link=""))

    html = html_of(response)
    assert "Indiquez un lieu ou un lien de visio." in html
    assert_error_tied_to_field(html, "place")
    assert not PlannedMeeting.objects.exists()


def test_a_video_link_must_be_a_web_address(mentor_client, pair):
    response = mentor_client.post(plan_url(pair), meeting_data(video_link="pas un lien !"))

    assert_error_tied_to_field(html_of(response), "video_link")


@pytest.mark.parametrize(
    "link",
    [
        'https://visio.example.org/a"onmouseover="alert(1)',
        "https://visio.example.org/<script>",
        "https://visio.example.org/a b",
        "https://visio.example.org/a\tb",
        "https://visio.example.org/a\u200bb",
        "javascript:alert(1)",
        "ftp://visio.example.org/salle",
        "https://visio.example.org/a`b",
    ],
)
def test_a_video_link_is_refused_unless_a_browser_follows_it_as_typed(mentor_client, pair, link):
    response = mentor_client.post(plan_url(pair), meeting_data(video_link=link))

    assert_error_tied_to_field(html_of(response), "video_link")
    assert not PlannedMeeting.objects.exists()


def test_a_closed_pair_plans_no_meeting(client):
    pair = MentorshipFactory(closed=True, started_on=STARTED, ended_on=datetime.date(2026, 3, 1))
    client.force_login(pair.mentee.user)

    assert client.post(plan_url(pair), meeting_data()).status_code == 403
    assert not PlannedMeeting.objects.exists()


# --- The .ics file -----------------------------------------------------------------------


def test_the_ics_file_is_a_calendar_event_without_names(mentee_client, pair):
    # Names that cannot appear by chance in the rest of the event (Faker once gave « Denis »,
    # which the place « Saint-Denis » contains).
    for user, (first, last) in (
        (pair.mentor.user, ("Anaïs", "Kowalczyk")),
        (pair.mentee.user, ("Bilel", "Ouattara")),
    ):
        user.first_name, user.last_name = first, last
        user.save(update_fields=["first_name", "last_name"])
    PlannedMeetingFactory(
        mentorship=pair,
        starts_at=datetime.datetime(2026, 3, 20, 17, 30, tzinfo=datetime.UTC),
        duration_minutes=120,
        place="Médiathèque Ulysse, Saint-Denis",
    )

    response = mentee_client.get(reverse("sessions:meeting_ics", args=[pair.pk]))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert response["Content-Disposition"] == 'attachment; filename="rencontre-mentorat.ics"'
    body = response.content.decode()
    unfolded = body.replace("\r\n ", "")
    assert "BEGIN:VEVENT" in body
    assert "DTSTART:20260320T173000Z" in unfolded
    assert "DTEND:20260320T193000Z" in unfolded
    assert "LOCATION:Médiathèque Ulysse\\, Saint-Denis" in unfolded
    for person in (pair.mentor.user, pair.mentee.user):
        assert person.first_name not in unfolded
        assert person.last_name not in unfolded
        assert person.email not in unfolded


def test_the_ics_of_a_video_meeting_carries_the_link(mentor_client, pair):
    PlannedMeetingFactory(mentorship=pair, place="", video_link="https://visio.example.org/abc")

    body = mentor_client.get(reverse("sessions:meeting_ics", args=[pair.pk])).content.decode()

    assert "URL:https://visio.example.org/abc" in body
    assert "LOCATION" not in body


# --- Follow-up by the référent -----------------------------------------------------------


def test_the_referent_follows_up_a_session(client, pair):
    session = logged_session(pair)
    referent = pair.mentor.referent
    client.force_login(referent)
    url = reverse("sessions:follow_up", args=[session.pk])

    assert_one_h1(html_of(client.get(url)))
    response = client.post(
        url, {"reviewed": "on", "needs_attention": "on", "comment": "À rappeler."}
    )

    assert response.status_code == 302
    follow_up = FollowUp.objects.get()
    assert follow_up.reviewed and follow_up.needs_attention
    assert follow_up.reviewed_by == referent
    assert follow_up.comment == "À rappeler."


# --- Reading sessions --------------------------------------------------------------------


def test_the_pair_sessions_page_shows_flags_and_what_waits(mentee_client, pair):
    short = SessionFactory(mentorship=pair, short=True, held_on=datetime.date(2026, 3, 2))
    evaluated = SessionFactory(mentorship=pair, held_on=datetime.date(2026, 2, 2))
    SessionEvaluationFactory(session=evaluated, side=Side.MENTEE, rating=4)
    SessionEvaluationFactory(session=evaluated, side=Side.MENTOR, rating=1, comment="Secret")
    PlannedMeetingFactory(mentorship=pair)

    html = html_of(mentee_client.get(reverse("sessions:list", args=[pair.pk])))

    assert_one_h1(html)
    assert "Séances avec Sophie" in html
    assert FLAG.capitalize() in html
    assert html.count(FLAG.capitalize()) == 1
    assert "Tu l'as évaluée (4/5)" in html
    assert reverse("sessions:evaluate", args=[short.pk]) in html
    assert reverse("sessions:meeting_ics", args=[pair.pk]) in html
    # A member does not read the other's evaluation, nor log sessions.
    assert "1/5" not in html
    assert reverse("sessions:log", args=[pair.pk]) not in html


def test_the_session_page_shows_members_their_own_evaluation_only(client, pair):
    session = logged_session(pair, short=True)
    SessionEvaluationFactory(session=session, side=Side.MENTOR, rating=1, comment="Difficile")
    SessionEvaluationFactory(session=session, side=Side.MENTEE, rating=5, comment="Top")
    FollowUpFactory(session=session, comment="Note interne du référent")
    url = reverse("sessions:detail", args=[session.pk])

    client.force_login(pair.mentee.user)
    html = html_of(client.get(url))
    assert_one_h1(html)
    assert "Top" in html and "Difficile" not in html
    assert "Note interne du référent" not in html
    assert NOT_COUNTING in html

    client.force_login(pair.mentor.referent)
    html = html_of(client.get(url))
    assert "Top" in html and "Difficile" in html
    assert "Note interne du référent" in html
    assert reverse("sessions:follow_up", args=[session.pk]) in html


def test_the_mentor_sees_the_log_and_edit_links(mentor_client, pair):
    session = logged_session(pair)

    html = html_of(mentor_client.get(reverse("sessions:list", args=[pair.pk])))

    assert reverse("sessions:log", args=[pair.pk]) in html
    assert reverse("sessions:update", args=[session.pk]) in html
    assert reverse("sessions:plan_meeting", args=[pair.pk]) in html


def test_a_closed_pair_lists_its_sessions_without_actions(client):
    pair = MentorshipFactory(closed=True, started_on=STARTED, ended_on=datetime.date(2026, 3, 1))
    assert pair.status == MentorshipStatus.CLOSED
    SessionFactory(mentorship=pair, held_on=datetime.date(2026, 2, 1))
    client.force_login(pair.mentor.user)

    html = html_of(client.get(reverse("sessions:list", args=[pair.pk])))

    assert "Séance du 1 février 2026" in html
    assert reverse("sessions:log", args=[pair.pk]) not in html
    assert reverse("sessions:plan_meeting", args=[pair.pk]) not in html


# --- Query counts ------------------------------------------------------------------------


def fill(pair, count):
    for day in range(count):
        session = SessionFactory(mentorship=pair, held_on=STARTED + datetime.timedelta(days=day))
        SessionEvaluationFactory(session=session, side=Side.MENTOR)
        SessionEvaluationFactory(session=session, side=Side.MENTEE)
        FollowUpFactory(session=session, reviewed_by=pair.mentor.referent)


# Queries of a page, whatever the number of sessions: the login session and its user, the pair
# (members and planned meeting joined) or the session (pair and members joined, with its
# follow-up and reviewer), the sessions with their follow-ups (list only), their evaluations;
# for a référent who is not a superuser, the coordinator group test, twice: the second
# factor's (users/middleware.py) and the pair's lookup.
PAGE_QUERIES = {"mentor": 5, "referent": 7}


@pytest.mark.parametrize("role", PAGE_QUERIES)
@pytest.mark.parametrize("name", ["sessions:list", "sessions:detail"])
def test_reading_pages_run_a_constant_number_of_queries(
    client, pair, django_assert_num_queries, role, name
):
    user = pair.mentor.user if role == "mentor" else pair.mentor.referent
    client.force_login(user)
    PlannedMeetingFactory(mentorship=pair)
    expected = PAGE_QUERIES[role] - (name == "sessions:detail")

    for count in (1, 20):
        fill(pair, count if count == 1 else count - 1)
        target = pair.pk if name == "sessions:list" else Session.objects.first().pk
        with django_assert_num_queries(expected):
            response = client.get(reverse(name, args=[target]))
        assert response.status_code == 200
