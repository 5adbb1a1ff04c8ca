import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from matching.enums import CloseReason, MentorshipStatus
from mentees.models import PriorityPublic
from mentorat.staff.dashboard import Filters, figures
from tests.matching.factories import MentorshipFactory
from tests.mentees.factories import MenteeFactory
from tests.sessions.factories import SessionFactory
from tests.users.factories import UserFactory
from tests.users.staff import login_staff

pytestmark = pytest.mark.django_db
URL = "/admin/dashboard/"


@pytest.fixture(autouse=True)
def _target_date_ahead(settings):
    """The target's date is a fixed setting: these figures are read before it, on any day the
    suite runs (a pair started after the target date rightly no longer counts)."""
    ahead = timezone.localdate() + datetime.timedelta(days=365)
    settings.PROGRAMME_TARGET_DATE = ahead.isoformat()


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
    # The two never matched wait for a mentor; the young person whose pair reached its
    # objectives does not (only a pair ended early puts them back in the queue).
    assert data["waiting"]["count"] == 2
    assert data["waiting"]["longest_days"] == 400
    assert sum(b["count"] for b in data["waiting"]["buckets"]) == 2
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
    login_staff(client, UserFactory(coordinator=True))
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
    login_staff(client, UserFactory(coordinator=True))
    # Session, user, the staff scope (role and antenne, once for the page and the
    # navigation), permission checks, and each figure's aggregate: the same bound whatever the
    # data size, because every figure is one query in the database (no per-row queries); the
    # closures are two (by reason and answered, then the closure questionnaires' answers);
    # the referrals by prescriber are one; the antennes (the filter's choices) one and the
    # table « Par antenne » one.
    with django_assert_max_num_queries(26):
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
    cache.set("dashboard:progress:None|None||", [{"question": "en cache"}])

    assert cached_programme_progress(filters) == [{"question": "en cache"}]
    cache.clear()
    assert cached_programme_progress(filters) == []


# --- Charts of the funnel and of the active pairs' rhythm


def _svg(html: str, chart_id: str) -> str:
    start = html.index(f'id="{chart_id}"')
    start = html.rindex("<svg", 0, start)
    return html[start : html.index("</svg>", start)]


def test_the_funnel_and_the_rhythm_are_drawn_as_accessible_images(client):
    _programme()
    login_staff(client, UserFactory(coordinator=True))
    html = client.get(URL).content.decode()

    funnel = _svg(html, "funnel-chart")
    assert 'role="img"' in funnel and 'aria-labelledby="funnel-chart-title"' in funnel
    assert '<title id="funnel-chart-title">Parcours des jeunes inscrits sur la période</title>' in (
        funnel
    )
    assert funnel.count('class="chart-bar"') == 5
    # The numbers are written beside the bars and told in the description.
    for label, count in [("Inscrits", 5), ("Validés", 4), ("Binôme terminé", 1)]:
        assert f">{label}</text>" in funnel
        assert f"{label} : {count}" in funnel
    compliance = _svg(html, "compliance-chart")
    assert 'role="img"' in compliance
    assert "Binômes actifs selon le rythme des rencontres</title>" in compliance
    assert compliance.count('class="chart-bar"') == 3
    assert "À jour : 1 ; Rencontre à prévoir sous 7 jours : 0 ; En retard : 0" in compliance
    # Drawn with SVG attributes only: nothing a strict CSP would block in the page's content.
    content = html[html.index('id="content-main"') :]
    assert "style=" not in content and "<script" not in content


def test_the_bars_are_proportional_to_the_figures():
    from mentorat.staff.dashboard_charts import BAR_MAX, funnel_chart

    _programme()
    chart = funnel_chart(figures(Filters())["funnel"])
    widths = [bar.width for bar in chart["bars"]]
    assert [bar.value for bar in chart["bars"]] == [5, 4, 2, 1, 1]
    assert widths[0] == BAR_MAX
    assert widths[1] == pytest.approx(BAR_MAX * 4 / 5)


# --- The priority public filter


def _two_publics():
    """A QPV young person in an active pair with a session, with their mentor; another
    young person (not QPV) in a closed pair with a session; a QPV young person waiting."""
    today = timezone.localdate()
    referent = UserFactory(staff=True, first_name="Rita", last_name="Ref")
    qpv_pair = MentorshipFactory(
        active=True,
        mentee__publics=["QPV"],
        mentor__referent=referent,
        started_on=today - datetime.timedelta(days=10),
    )
    other_pair = MentorshipFactory(
        closed=True,
        mentee__publics=["SANS_RESEAU"],
        mentor__referent=referent,
        started_on=today - datetime.timedelta(days=200),
        ended_on=today - datetime.timedelta(days=20),
        close_reason=CloseReason.OBJECTIVES_ACHIEVED,
    )
    SessionFactory(mentorship=qpv_pair, held_on=today)
    SessionFactory(mentorship=other_pair, held_on=today, short=True)
    MenteeFactory(approved=True, publics=["QPV", "ASE"])
    return qpv_pair, other_pair


def test_the_public_filter_counts_only_that_publics_young_people_pairs_and_sessions():
    _two_publics()
    everyone = figures(Filters())
    qpv = figures(Filters(public="QPV"))

    assert everyone["registrations"][1]["total"] == 3
    assert qpv["registrations"][1]["total"] == 2
    # Mentors: the one who accompanies a QPV young person.
    assert everyone["registrations"][0]["total"] == 2
    assert qpv["registrations"][0]["total"] == 1
    assert [step["count"] for step in qpv["funnel"]["steps"]] == [2, 2, 1, 1, 0]
    assert {r["label"]: r["count"] for r in qpv["funnel"]["closed_by_reason"]}[
        "Objectifs atteints"
    ] == 0
    assert qpv["waiting"]["count"] == 1
    assert [c["count"] for c in qpv["compliance"]] == [1, 0, 0]
    assert (qpv["sessions"][-1]["qualifying"], qpv["sessions"][-1]["short"]) == (1, 0)
    assert (everyone["sessions"][-1]["qualifying"], everyone["sessions"][-1]["short"]) == (1, 1)
    assert qpv["closed_duration"]["pairs"] == 0
    assert everyone["closed_duration"]["pairs"] == 1
    assert qpv["priority_publics"]["total"] == 2
    # By public, from the marks: among everyone, and among the QPV young people.
    by_public = {p["code"]: p["count"] for p in everyone["priority_publics"]["publics"]}
    assert (by_public["QPV"], by_public["ASE"], by_public["SANS_RESEAU"]) == (2, 1, 1)
    assert by_public["ZRR"] == 0
    among_qpv = {p["code"]: p["count"] for p in qpv["priority_publics"]["publics"]}
    assert (among_qpv["QPV"], among_qpv["ASE"], among_qpv["SANS_RESEAU"]) == (2, 1, 0)
    assert [(r["name"], r["mentors"]) for r in qpv["caseloads"]["referents"]] == [("Rita Ref", 1)]
    assert [(r["name"], r["mentors"]) for r in everyone["caseloads"]["referents"]] == [
        ("Rita Ref", 2)
    ]
    # The target stays programme-wide.
    assert qpv["target"]["mentored"] == everyone["target"]["mentored"] == 2


def test_an_unknown_public_is_ignored_by_the_page(client):
    _two_publics()
    login_staff(client, UserFactory(coordinator=True))
    response = client.get(URL, {"public": "is_staff"})
    assert response.status_code == 200
    assert response.context["filters"].public == ""
    assert response.context["figures"]["registrations"][1]["total"] == 3


def test_a_withdrawn_public_still_counts_its_young_people_and_an_unused_one_is_left_out():
    _two_publics()
    PriorityPublic.objects.filter(code__in=["ASE", "PJJ"]).update(is_active=False)

    codes = [p["code"] for p in figures(Filters())["priority_publics"]["publics"]]

    assert "ASE" in codes
    assert "PJJ" not in codes
    assert len(codes) == 11


def test_a_public_coordinators_add_is_counted_and_filtered(client):
    PriorityPublic.objects.create(code="CITE_EDUC", label="Cité éducative", question="Q", order=99)
    MenteeFactory(approved=True, publics=["CITE_EDUC"])
    MenteeFactory(approved=True)
    login_staff(client, UserFactory(coordinator=True))

    response = client.get(URL, {"public": "CITE_EDUC"})

    assert response.context["figures"]["registrations"][1]["total"] == 1
    assert '<option value="CITE_EDUC" selected>Cité éducative</option>' in response.content.decode()


def test_the_public_is_kept_in_the_list_and_export_links(client):
    _two_publics()
    login_staff(client, UserFactory(coordinator=True))
    html = client.get(URL, {"public": "QPV", "departement": "93"}).content.decode()
    assert '<option value="QPV" selected>' in html
    mentees = reverse("admin:mentees_mentee_changelist")
    assert f"{mentees}?department__exact=93&amp;public=QPV" in html
    export = reverse("admin:dashboard_export", args=["binomes", "csv"])
    assert f"{export}?departement=93&amp;public=QPV" in html


def test_the_pair_links_lead_to_the_pairs_of_the_filtered_young_people(client):
    qpv_pair, _closed = _two_publics()
    MentorshipFactory(active=True, started_on=timezone.localdate())
    login_staff(client, UserFactory(coordinator=True))
    filters = Filters(public="QPV")
    active = next(c for c in figures(filters)["compliance"] if c["count"])

    response = client.get(active["url"])

    assert response.status_code == 200
    shown = [pair.pk for pair in response.context["cl"].result_list]
    assert shown == [qpv_pair.pk]
    assert "public=QPV" in active["url"]


def test_the_public_filter_adds_no_query(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _many(3)
    _two_publics()
    login_staff(client, UserFactory(coordinator=True))
    with CaptureQueriesContext(connection) as without_filter:
        assert client.get(URL).status_code == 200
    with CaptureQueriesContext(connection) as with_filter:
        assert client.get(URL, {"public": "DECROCHAGE"}).status_code == 200
    # The same figures, each still one aggregate query, whatever the filter.
    assert len(with_filter.captured_queries) == len(without_filter.captured_queries)
