import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from matching.enums import CloseReason, MentorshipStatus
from mentorat.staff.dashboard import Filters, figures
from tests.matching.factories import MentorshipFactory
from tests.mentees.factories import MenteeFactory
from tests.sessions.factories import SessionFactory
from tests.users.factories import UserFactory

pytestmark = pytest.mark.django_db
URL = "/admin/dashboard/"


def _programme():
    today = timezone.localdate()
    long_ago = timezone.now() - datetime.timedelta(days=400)
    referent = UserFactory(staff=True, first_name="Rita", last_name="Ref")
    MenteeFactory(postal_code="93200")  # pending review
    waiting = MenteeFactory(approved=True, postal_code="93200")
    old = MenteeFactory(approved=True, postal_code="75019")
    old.created_at = long_ago
    old.save()
    active = MentorshipFactory(
        active=True,
        mentee__postal_code="93200",
        mentor__referent=referent,
        started_on=today - datetime.timedelta(days=10),
    )
    MentorshipFactory(
        closed=True,
        mentee__postal_code="75019",
        started_on=today - datetime.timedelta(days=200),
        ended_on=today - datetime.timedelta(days=20),
        close_reason=CloseReason.OBJECTIVES_ACHIEVED,
    )
    SessionFactory(mentorship=active, held_on=today)
    SessionFactory(mentorship=active, held_on=today, short=True)
    return waiting, old


def test_figures_on_hand_built_data():
    _programme()
    data = figures(Filters())
    assert data["target"]["mentored"] == 2
    assert data["target"]["target"] == 500
    assert data["target"]["monthly_pace"] is not None
    mentees = data["registrations"][1]
    assert mentees["total"] == 5
    counts = {s["label"]: s["count"] for s in mentees["statuses"]}
    assert counts["En attente de validation"] == 1
    assert counts["Validée"] == 4
    steps = [step["count"] for step in data["funnel"]["steps"]]
    assert steps == [5, 4, 2, 1, 1]
    reasons = {r["label"]: r["count"] for r in data["funnel"]["closed_by_reason"]}
    assert reasons["Objectifs atteints"] == 1
    # The young person of the closed pair and the two never matched wait for a mentor.
    assert data["waiting"]["count"] == 3
    assert data["waiting"]["longest_days"] == 400
    assert sum(b["count"] for b in data["waiting"]["buckets"]) == 3
    assert data["waiting"]["buckets"][-1]["count"] == 1
    assert {c["label"]: c["count"] for c in data["compliance"]}["À jour"] == 1
    this_month = data["sessions"][-1]
    assert (this_month["qualifying"], this_month["short"]) == (1, 1)
    assert len(data["sessions"]) == 12
    assert data["closed_duration"] == {
        "pairs": 1,
        "mean_days": 180,
        "url": data["closed_duration"]["url"],
    }
    assert data["priority_publics"]["total"] == 5
    caseloads = data["caseloads"]
    assert caseloads["cap"] == 25
    assert [(r["name"], r["mentors"]) for r in caseloads["referents"]] == [("Rita Ref", 1)]
    assert caseloads["unassigned"] == 1


def test_filters_change_the_numbers():
    _programme()
    in_93 = figures(Filters(department="93"))
    assert in_93["registrations"][1]["total"] == 3
    assert in_93["closed_duration"]["pairs"] == 0
    assert in_93["sessions"][-1]["qualifying"] == 1
    in_75 = figures(Filters(department="75"))
    assert in_75["sessions"][-1]["qualifying"] == 0
    recent = figures(Filters(since=timezone.localdate() - datetime.timedelta(days=30)))
    assert recent["registrations"][1]["total"] == 4
    assert recent["closed_duration"]["pairs"] == 0
    assert [c["count"] for c in recent["compliance"]] == [1, 0, 0]
    # The target is programme-wide.
    assert in_93["target"]["mentored"] == recent["target"]["mentored"] == 2


def test_coordinator_sees_the_dashboard_with_links(client):
    _programme()
    client.force_login(UserFactory(coordinator=True))
    response = client.get(URL, {"departement": "93"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Tableau de bord du programme" in content
    assert 'role="img"' in content
    assert reverse("admin:mentees_mentee_changelist") + "?status__exact=pending_review" in content
    assert "<script>" not in content  # no inline JavaScript (strict CSP)


def test_staff_who_are_not_coordinators_get_403(client):
    client.force_login(UserFactory(staff=True))
    assert client.get(URL).status_code == 403


def test_anonymous_goes_to_the_admin_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def _many(count):
    for _ in range(count):
        pair = MentorshipFactory(active=True, mentor__referent=UserFactory(staff=True))
        SessionFactory(mentorship=pair)
        MentorshipFactory(closed=True, ended_on=timezone.localdate())
        MenteeFactory(approved=True)


@pytest.mark.parametrize("count", [1, 8])
def test_constant_number_of_queries(client, django_assert_max_num_queries, count):
    _many(count)
    client.force_login(UserFactory(coordinator=True))
    # Session, user and each figure's aggregate: the same bound whatever the data size,
    # because every figure is one query in the database (no per-row queries).
    with django_assert_max_num_queries(20):
        assert client.get(URL).status_code == 200


def test_closed_status_links_are_filtered_lists():
    _programme()
    data = figures(Filters())
    step = data["funnel"]["steps"][-1]
    assert f"status__exact={MentorshipStatus.CLOSED}" in step["url"]


def test_the_questionnaire_figures_are_reused_for_a_few_minutes():
    from django.core.cache import cache

    from mentorat.staff.dashboard import Filters, cached_programme_progress

    filters = Filters(since=None, until=None, department="")
    cache.set("dashboard:progress:None|None|", [{"question": "en cache"}])

    assert cached_programme_progress(filters) == [{"question": "en cache"}]
    cache.clear()
    assert cached_programme_progress(filters) == []
