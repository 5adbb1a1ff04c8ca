"""Sessions in the admin: the list and its filters, the follow-up saved through the service,
and deletions (coordinators only) that recompute the pair's rhythm and are recorded."""

import datetime
from html.parser import HTMLParser

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from matching.enums import Side
from sessions.models import FollowUp, Session
from tests.matching.factories import MentorshipFactory
from tests.sessions.factories import (
    FollowUpFactory,
    PlannedMeetingFactory,
    SessionEvaluationFactory,
    SessionFactory,
)
from tests.users.factories import UserFactory
from users.programme import RULES

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 3, 16, 11, 0, tzinfo=datetime.UTC)
TODAY = datetime.date(2026, 3, 16)
CHANGELIST = reverse("admin:mentoring_sessions_session_changelist")


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def pair():
    return MentorshipFactory(
        active=True,
        started_on=datetime.date(2026, 1, 5),
        mentor__referent=UserFactory(staff=True),
        mentee__user__last_name="Boulanger",
    )


def change_url(session):
    return reverse("admin:mentoring_sessions_session_change", args=[session.pk])


def staff_with(*codenames):
    user = UserFactory(staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return user


class FormValues(HTMLParser):
    """The values a browser would post from the page's main form."""

    def __init__(self):
        super().__init__()
        self.values: dict[str, str] = {}
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "checkbox"):
            self.values[name] = attrs.get("value") or ""
        elif tag == "input" and name and "checked" in attrs:
            self.values[name] = "on"
        elif tag == "textarea" and name:
            self._textarea = name
            self.values[name] = ""

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea] += data.lstrip("\n")

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None


def posted_values(client, url) -> dict:
    parser = FormValues()
    parser.feed(client.get(url).content.decode())
    values = parser.values
    values.pop("csrfmiddlewaretoken", None)
    # Not a field of the form: the admin's search box of the header, when present.
    values.pop("q", None)
    return values


# --- The list ------------------------------------------------------------------------------


def test_the_list_flags_short_sessions_and_shows_the_follow_up(admin_client, pair):
    SessionFactory(mentorship=pair, short=True)
    FollowUpFactory(session=SessionFactory(mentorship=pair), needs_attention=True)

    html = admin_client.get(CHANGELIST).content.decode()

    assert (
        f'60 min <strong class="below-minimum">(moins de {RULES.session_minimum} : '
        "ne compte pas pour le rythme)</strong>" in html
    )
    assert "90 min" in html
    assert "Vue, à surveiller" in html and "En attente" in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("duree=courte", {"short"}),
        ("duree=programme", {"reviewed", "flagged", "waiting", "other"}),
        ("suivi=attente", {"short", "waiting", "other"}),
        ("suivi=vue", {"reviewed", "flagged"}),
        ("a_surveiller=oui", {"flagged"}),
        ("a_surveiller=non", {"short", "reviewed", "waiting", "other"}),
        ("q=Boulanger", {"short", "reviewed", "flagged", "waiting"}),
    ],
)
def test_filters(admin_client, pair, query, expected):
    sessions = {
        "short": SessionFactory(mentorship=pair, short=True),
        "reviewed": FollowUpFactory(session__mentorship=pair).session,
        "flagged": FollowUpFactory(session__mentorship=pair, needs_attention=True).session,
        "waiting": FollowUpFactory(
            session__mentorship=pair, reviewed=False, reviewed_at=None
        ).session,
    }
    # Another pair's: 90 minutes, not followed up, and nobody in it called Boulanger (Faker
    # draws French names: it once did).
    sessions["other"] = SessionFactory(
        mentorship__mentee__user__last_name="Durand",
        mentorship__mentor__user__last_name="Petit",
        mentorship__mentor__referent=None,
    )

    response = admin_client.get(f"{CHANGELIST}?{query}")

    shown = set(response.context["cl"].result_list.values_list("pk", flat=True))
    assert shown == {sessions[name].pk for name in expected}


def test_the_list_runs_a_constant_number_of_queries(admin_client, pair):
    def queries_for(sessions: int) -> int:
        for _ in range(sessions):
            FollowUpFactory(session=SessionFactory(mentorship=pair))
        with CaptureQueriesContext(connection) as queries:
            assert admin_client.get(CHANGELIST).status_code == 200
        return len(queries)

    # The login session, user and verified second-factor device, the filtered count (no total
    # count), the rows with both members and the follow-up joined (no date hierarchy, whose
    # dates scanned the whole table): the same for 1 row as for 31.
    assert queries_for(1) == queries_for(30) == 5


def test_the_list_filters_by_date_without_a_date_hierarchy(admin_client, pair):
    recent = SessionFactory(mentorship=pair, held_on=TODAY - datetime.timedelta(days=3))
    SessionFactory(mentorship=pair, held_on=TODAY - datetime.timedelta(days=60))

    response = admin_client.get(CHANGELIST)
    this_week = next(
        choice["query_string"]
        for spec in response.context["cl"].filter_specs
        for choice in spec.choices(response.context["cl"])
        if choice["display"] == "Les 7 derniers jours"
    )

    shown = admin_client.get(f"{CHANGELIST}{this_week}").context["cl"].result_list
    assert list(shown) == [recent]


def test_the_change_page_shows_evaluations_and_follow_up(admin_client, pair):
    session = SessionFactory(mentorship=pair)
    SessionEvaluationFactory(session=session, side=Side.MENTEE, rating=5, comment="Très utile")

    html = admin_client.get(change_url(session)).content.decode()

    assert "Très utile" in html
    assert 'name="follow_up-0-reviewed"' in html
    # What the mentor wrote is not editable here.
    assert 'name="summary"' not in html


# --- The follow-up, through session_follow_up ------------------------------------------------


def test_the_follow_up_inline_saves_through_the_service(admin_client, admin_user, pair):
    session = SessionFactory(mentorship=pair)
    values = posted_values(admin_client, change_url(session))
    values |= {"follow_up-0-reviewed": "on", "follow_up-0-comment": "Bonne séance."}

    response = admin_client.post(change_url(session), values)

    assert response.status_code == 302, response.context and response.context["errors"]
    follow_up = FollowUp.objects.get()
    assert (follow_up.reviewed, follow_up.reviewed_by, follow_up.comment) == (
        True,
        admin_user,
        "Bonne séance.",
    )
    assert follow_up.reviewed_at is not None
    assert follow_up.history.latest().history_user == admin_user


def test_a_staff_member_who_does_not_follow_the_mentor_cannot_save_a_follow_up(client, pair):
    # Staff who are not coordinators see the sessions of the mentors they follow only
    # (users.admin_scoping): another mentor's session is not found, to read or to save.
    session = SessionFactory(mentorship=pair)
    client.force_login(
        staff_with("view_session", "change_session", "add_followup", "change_followup")
    )

    assert client.get(change_url(session)).status_code == 404
    response = client.post(change_url(session), {"follow_up-0-reviewed": "on"})

    assert response.status_code == 404
    assert not FollowUp.objects.exists()


def test_the_referent_saves_the_follow_up_of_their_mentor(client, pair):
    session = SessionFactory(mentorship=pair)
    referent = pair.mentor.referent
    referent.user_permissions.add(
        *Permission.objects.filter(
            codename__in=["view_session", "change_session", "add_followup", "change_followup"]
        )
    )
    client.force_login(referent)
    values = posted_values(client, change_url(session))
    values |= {"follow_up-0-reviewed": "on", "follow_up-0-needs_attention": "on"}

    assert client.post(change_url(session), values).status_code == 302
    follow_up = FollowUp.objects.get()
    assert (follow_up.reviewed_by, follow_up.needs_attention) == (referent, True)


def test_mark_reviewed_keeps_what_was_written(admin_client, admin_user, pair):
    noted = FollowUpFactory(
        session__mentorship=pair,
        reviewed=False,
        reviewed_at=None,
        comment="Appeler le mentor",
        needs_attention=True,
    ).session
    fresh = SessionFactory(mentorship=pair)

    response = admin_client.post(
        CHANGELIST, {"action": "mark_reviewed", "_selected_action": [noted.pk, fresh.pk]}
    )

    assert response.status_code == 302
    follow_ups = {f.session_id: f for f in FollowUp.objects.all()}
    assert all(f.reviewed and f.reviewed_by == admin_user for f in follow_ups.values())
    assert (follow_ups[noted.pk].comment, follow_ups[noted.pk].needs_attention) == (
        "Appeler le mentor",
        True,
    )
    assert list(Session.objects.awaiting_follow_up()) == []


def test_mark_reviewed_leaves_sessions_of_mentors_one_does_not_follow(client, pair):
    # Not in their list (users.admin_scoping): a forged selection marks nothing.
    session = SessionFactory(mentorship=pair)
    client.force_login(staff_with("view_session", "change_session"))

    response = client.post(
        CHANGELIST, {"action": "mark_reviewed", "_selected_action": [session.pk]}, follow=True
    )

    assert response.status_code == 200
    assert "marquée(s) comme vue(s)" not in response.content.decode()
    assert not FollowUp.objects.exists()


# --- Deletion, through session_delete --------------------------------------------------------


def test_a_coordinator_deletes_a_session_and_the_rhythm_is_recomputed(
    admin_client, admin_user, pair
):
    kept = SessionFactory(mentorship=pair, held_on=datetime.date(2026, 2, 1))
    session = SessionFactory(mentorship=pair, held_on=datetime.date(2026, 3, 10))
    SessionEvaluationFactory(session=session)
    pair.last_session_on, pair.qualifying_sessions = session.held_on, 2
    pair.save()
    deleted_pk = session.pk

    response = admin_client.post(
        reverse("admin:mentoring_sessions_session_delete", args=[session.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    assert list(Session.objects.all()) == [kept]
    pair.refresh_from_db()
    assert (pair.last_session_on, pair.qualifying_sessions) == (datetime.date(2026, 2, 1), 1)
    deletion = Session.history.get(id=deleted_pk, history_type="-")
    assert deletion.history_user == admin_user


def test_deleting_several_sessions_goes_through_the_service_for_each(
    admin_client, admin_user, pair
):
    sessions = [SessionFactory(mentorship=pair) for _ in range(2)]
    pair.qualifying_sessions = 2
    pair.save()

    response = admin_client.post(
        CHANGELIST,
        {
            "action": "delete_selected",
            "_selected_action": [s.pk for s in sessions],
            "post": "yes",
        },
    )

    assert response.status_code == 302
    assert not Session.objects.exists()
    pair.refresh_from_db()
    assert (pair.last_session_on, pair.qualifying_sessions) == (None, 0)
    assert Session.history.filter(history_type="-", history_user=admin_user).count() == 2


def test_a_staff_member_who_is_not_a_coordinator_cannot_delete(client, pair):
    session = SessionFactory(mentorship=pair)
    client.force_login(staff_with("view_session", "change_session", "delete_session"))

    response = client.post(
        reverse("admin:mentoring_sessions_session_delete", args=[session.pk]), {"post": "yes"}
    )

    assert response.status_code == 403
    assert Session.objects.exists()


def test_sessions_are_not_added_in_the_admin(admin_client):
    response = admin_client.get(reverse("admin:mentoring_sessions_session_add"))

    assert response.status_code == 403


# --- Planned meetings, read only ------------------------------------------------------------


def test_planned_meetings_are_read_only(admin_client, pair):
    meeting = PlannedMeetingFactory(mentorship=pair)

    assert (
        admin_client.get(reverse("admin:mentoring_sessions_plannedmeeting_changelist")).status_code
        == 200
    )
    page = admin_client.get(
        reverse("admin:mentoring_sessions_plannedmeeting_change", args=[meeting.pk])
    )
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert (
        admin_client.get(reverse("admin:mentoring_sessions_plannedmeeting_add")).status_code == 403
    )
