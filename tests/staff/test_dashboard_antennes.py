"""The dashboard and its exports by antenne: an antenne coordinator's are their antenne's,
whatever the query string says; a national coordinator chooses every antenne, one, or the
national programme, and reads the table « Par antenne » whose last row is the sum of the
others; the cached figures are never shared between scopes; and the number of queries does
not grow with the data nor with the number of antennes."""

import csv
import io

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mentorat.staff.dashboard import Filters, cached_programme_progress, figures, progress_cache_key
from mentorat.staff.dashboard_antennes import NO_ANTENNE
from tests.antennes.factories import make_antenne
from tests.matching.factories import MentorshipFactory
from tests.staff.antenne_world import NOW, TODAY, Place, build, populate
from tests.users.staff import login_staff, make_antenne_coordinator, make_coordinator

pytestmark = pytest.mark.django_db

URL = reverse("admin:dashboard")


@pytest.fixture(autouse=True)
def _fixed_day():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def export(client, what: str, **params) -> list[list[str]]:
    response = client.get(reverse("admin:dashboard_export", args=[what, "csv"]), params)
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def _ids(rows: list[list[str]]) -> set[int]:
    return {int(row[0]) for row in rows[1:]}


def _summary(data: dict) -> dict:
    """The figures that tell one place from another."""
    return {
        "mentors": data["registrations"][0]["total"],
        "mentees": data["registrations"][1]["total"],
        "funnel": [step["count"] for step in data["funnel"]["steps"]],
        "waiting": data["waiting"]["count"],
        "active": sum(state["count"] for state in data["compliance"]),
        "sessions": sum(month["qualifying"] + month["short"] for month in data["sessions"]),
        "closed": data["closed_duration"]["pairs"],
        "closures": data["closures"]["total"],
        "progress": [(row["pairs"], row["mean_change"]) for row in data["progress"]],
        "caseloads": [(row["name"], row["mentors"]) for row in data["caseloads"]["referents"]],
    }


# --- An antenne coordinator


def test_an_antenne_coordinator_reads_their_antennes_figures_only(client):
    lyon, marseille, national = build()
    login_staff(client, make_antenne_coordinator(lyon.antenne))

    page = client.get(URL)

    assert page.status_code == 200
    assert page.context["filters"].antenne == str(lyon.antenne_id)
    assert _summary(page.context["figures"]) == _summary(
        figures(Filters(antenne=str(lyon.antenne_id)))
    )
    assert _summary(page.context["figures"]) == {
        "mentors": 3,  # the two pairs' mentors and the one to review
        "mentees": 3,
        "funnel": [3, 3, 2, 1, 1],
        "waiting": 1,
        "active": 1,
        "sessions": 1,
        "closed": 1,
        "closures": 1,
        "progress": [(1, 2.0)],
        "caseloads": [("Rita Réf Lyon", 2)],
    }
    html = page.content.decode()
    assert "<h1>Tableau de bord de l&#x27;antenne Lyon</h1>" in html
    assert (
        "Les chiffres, les listes et les exports de cette page sont ceux de votre antenne" in html
    )
    # No choice of antenne, no table of the antennes.
    assert 'name="antenne"' not in html
    assert "Par antenne" not in html
    # Nobody of another antenne nor of the national programme is named.
    assert "Mission Locale Lyon 1" in html
    for other in (marseille, national):
        assert f"Réf {other.name}" not in html
        assert f"Mission Locale {other.name}" not in html


@pytest.mark.parametrize("forged", ["other", NO_ANTENNE, "", "999999"])
def test_an_antenne_in_the_query_string_is_ignored_for_an_antenne_coordinator(client, forged):
    lyon, marseille, _national = build()
    login_staff(client, make_antenne_coordinator(lyon.antenne))
    antenne = str(marseille.antenne_id) if forged == "other" else forged

    page = client.get(URL, {"antenne": antenne})

    assert page.status_code == 200
    assert page.context["filters"].antenne == str(lyon.antenne_id)
    assert page.context["figures"]["waiting"]["count"] == 1
    assert "Mission Locale Marseille" not in page.content.decode()


def test_an_antenne_coordinators_target_is_their_antennes_yearly_one(client):
    lyon, marseille, _national = build()
    login_staff(client, make_antenne_coordinator(lyon.antenne))

    target = client.get(URL).context["figures"]["target"]

    # The active pair started this year; the closed one started last year.
    assert target["kind"] == "antenne"
    assert (target["antenne"], target["year"], target["started"], target["target"]) == (
        "Lyon",
        2026,
        1,
        10,
    )
    # Nine pairs to start in the seven months left, June included.
    assert (target["remaining"], target["months_left"], target["monthly_pace"]) == (9, 7, 2)
    # Marseille has no target: the page says so.
    login_staff(client, make_antenne_coordinator(marseille.antenne))
    page = client.get(URL)
    assert page.context["figures"]["target"]["target"] is None
    assert "L'antenne n'a pas d'objectif annuel" in page.content.decode()


def test_an_antenne_coordinators_exports_hold_their_antennes_rows_only(client):
    lyon, marseille, national = build(size=2)
    login_staff(client, make_antenne_coordinator(lyon.antenne))
    lyon_pairs = {pair.pk for pair in lyon.pairs}

    assert _ids(export(client, "binomes")) == lyon_pairs
    # A forged antenne changes nothing.
    assert _ids(export(client, "binomes", antenne=marseille.antenne_id)) == lyon_pairs
    assert _ids(export(client, "binomes", antenne=NO_ANTENNE)) == lyon_pairs
    assert _ids(export(client, "seances")) == {session.pk for session in lyon.sessions}
    indicators = {row[1]: row[2] for row in export(client, "indicateurs")[1:]}
    assert indicators["Antenne"] == "Lyon"
    assert indicators["Objectif de binômes en 2026"] == "10"
    assert indicators["Binômes commencés en 2026"] == "2"
    assert indicators["Jeunes en attente"] == "2"
    # Nobody else's pairs nor sessions.
    others = {pair.pk for place in (marseille, national) for pair in place.pairs}
    assert not others & _ids(export(client, "binomes"))


# --- A national coordinator


def test_a_national_coordinator_chooses_an_antenne_or_the_national_programme(client):
    lyon, marseille, national = build()
    login_staff(client, make_coordinator())

    everything = client.get(URL)
    only_marseille = client.get(URL, {"antenne": marseille.antenne_id})
    only_national = client.get(URL, {"antenne": NO_ANTENNE})
    unknown = client.get(URL, {"antenne": "999999"})

    html = everything.content.decode()
    assert '<option value="" selected>Toutes les antennes</option>' in html
    assert f'<option value="{lyon.antenne_id}">Lyon</option>' in html
    assert '<option value="national">Programme national (sans antenne)</option>' in html
    assert everything.context["figures"]["waiting"]["count"] == 3
    assert everything.context["figures"]["target"]["kind"] == "programme"
    assert only_marseille.context["filters"].antenne == str(marseille.antenne_id)
    assert f'<option value="{marseille.antenne_id}" selected>Marseille</option>' in (
        only_marseille.content.decode()
    )
    assert _summary(only_marseille.context["figures"])["caseloads"] == [("Rita Réf Marseille", 2)]
    assert only_national.context["figures"]["waiting"]["count"] == 1
    assert _summary(only_national.context["figures"])["caseloads"] == [
        ("Rita Réf Seine-Saint-Denis", 2)
    ]
    assert "Mission Locale Seine-Saint-Denis 1" in only_national.content.decode()
    assert "Mission Locale Lyon" not in only_national.content.decode()
    # An antenne that does not exist is ignored, like a mistyped date.
    assert unknown.context["filters"].antenne == ""
    # The exports keep the choice.
    assert _ids(export(client, "binomes", antenne=marseille.antenne_id)) == {
        pair.pk for pair in marseille.pairs
    }
    assert _ids(export(client, "binomes", antenne=NO_ANTENNE)) == {
        pair.pk for pair in national.pairs
    }
    assert len(_ids(export(client, "binomes"))) == 6


def test_the_antennes_and_the_national_programme_add_up_to_the_whole_programme():
    lyon, marseille, _national = build(size=2)
    # A pair across two places counts once, in its young person's antenne.
    MentorshipFactory(
        active=True, started_on=TODAY, mentee__antenne=marseille.antenne, mentor__antenne=None
    )
    whole = _summary(figures(Filters()))
    places = [
        _summary(figures(Filters(antenne=antenne)))
        for antenne in (str(lyon.antenne_id), str(marseille.antenne_id), NO_ANTENNE)
    ]

    for key in ("mentors", "mentees", "waiting", "active", "sessions", "closed", "closures"):
        assert whole[key] == sum(place[key] for place in places), key
    assert whole["funnel"] == [
        sum(steps) for steps in zip(*(p["funnel"] for p in places), strict=True)
    ]


def test_the_table_par_antenne_sets_each_antenne_against_its_target_and_sums_them(client):
    lyon, _marseille, _national = build(size=2)
    make_antenne("Lille", ["59"], target_pairs_per_year=4)  # nobody yet
    login_staff(client, make_coordinator())

    page = client.get(URL)

    table = page.context["by_antenne"]
    rows = {row["name"]: row for row in table["rows"]}
    assert list(rows) == ["Lille", "Lyon", "Marseille", "Programme national (sans antenne)"]
    figures_by_name = {
        name: (row["started"], row["target"], row["active"], row["waiting"])
        for name, row in rows.items()
    }
    assert figures_by_name == {
        "Lille": (0, 4, 0, 0),
        "Lyon": (2, 10, 2, 2),
        "Marseille": (2, None, 2, 2),
        "Programme national (sans antenne)": (2, None, 2, 2),
    }
    assert rows["Lyon"]["share"] == pytest.approx(0.2)
    assert rows["Marseille"]["share"] is None
    total = table["total"]
    # The roll-up is the sum of the rows, and the whole programme's own figures.
    for key in ("started", "active", "waiting"):
        assert total[key] == sum(row[key] for row in rows.values())
    data = page.context["figures"]
    assert total["waiting"] == data["waiting"]["count"] == 6
    assert total["active"] == sum(state["count"] for state in data["compliance"]) == 6
    # The targets of the antennes that have one, added up.
    assert total["target"] == 14
    html = page.content.decode()
    assert '<h2 id="par-antenne">Par antenne</h2>' in html
    assert f'href="{URL}?antenne={lyon.antenne_id}">Lyon</a>' in html
    assert f'href="{URL}?antenne=national">Programme national (sans antenne)</a>' in html
    assert "<td>non fixé</td>" in html
    assert "L'objectif du programme lui-même est de 500 jeunes accompagnés" in html


def test_the_links_to_the_lists_carry_the_antenne(client):
    lyon, _marseille, _national = build()
    login_staff(client, make_coordinator())
    data = figures(Filters(antenne=str(lyon.antenne_id)))
    active = next(state for state in data["compliance"] if state["count"])
    mentees = data["registrations"][1]

    assert f"antenne__id__exact={lyon.antenne_id}" in mentees["url"]
    assert f"mentee__antenne__id__exact={lyon.antenne_id}" in active["url"]
    pairs = client.get(active["url"])
    assert pairs.status_code == 200
    assert [pair.pk for pair in pairs.context["cl"].result_list] == [lyon.pairs[0].pk]
    young_people = client.get(mentees["url"])
    assert young_people.context["cl"].result_count == 3
    national = client.get(figures(Filters(antenne=NO_ANTENNE))["registrations"][1]["url"])
    assert national.context["cl"].result_count == 3


# --- The cached questionnaire figures


def test_the_cached_questionnaire_figures_are_never_shared_between_scopes(client):
    lyon, marseille, _national = build()
    national = make_coordinator()
    lyon_coordinator = make_antenne_coordinator(lyon.antenne)

    def progress(user, **params):
        login_staff(client, user)
        rows = client.get(URL, params).context["figures"]["progress"]
        return [(row["pairs"], row["mean_change"]) for row in rows]

    # The whole programme: three pairs (2 → 4, 2 → 4, 2 → 3); Lyon's: one (2 → 4).
    assert progress(national) == [(3, pytest.approx(5 / 3))]
    assert progress(lyon_coordinator) == [(1, 2.0)]
    assert progress(national) == [(3, pytest.approx(5 / 3))]
    # The national programme alone, then Marseille chosen: their own entries.
    assert progress(national, antenne=NO_ANTENNE) == [(1, 1.0)]
    assert progress(national, antenne=marseille.antenne_id) == [(1, 2.0)]
    assert progress(lyon_coordinator, antenne=NO_ANTENNE) == [(1, 2.0)]


def test_the_cache_keys_of_the_scopes_differ():
    lyon = make_antenne("Lyon", ["69"])
    keys = {
        progress_cache_key(Filters(antenne=antenne))
        for antenne in ("", NO_ANTENNE, str(lyon.pk), str(lyon.pk + 1))
    }

    assert len(keys) == 4
    cache.set(progress_cache_key(Filters()), [{"question": "du programme entier"}])
    assert cached_programme_progress(Filters(antenne=str(lyon.pk))) == []


# --- Queries


def _queries(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params or {}).status_code == 200
    return len(captured)


@pytest.mark.parametrize("who", ["antenne", "national"])
def test_the_dashboard_costs_the_same_queries_whatever_the_data_and_the_antennes(client, who):
    lyon, _marseille, _national = build(size=1)
    user = make_antenne_coordinator(lyon.antenne) if who == "antenne" else make_coordinator()
    login_staff(client, user)
    exports = reverse("admin:dashboard_export", args=["binomes", "csv"])
    asked = [
        (URL, {}),
        (URL, {"antenne": lyon.antenne_id}),
        (exports, {"antenne": lyon.antenne_id}),
    ]
    small = [_queries(client, url, params) for url, params in asked]

    for code in ("10", "11"):
        antenne = make_antenne(f"Antenne {code}", [code], target_pairs_per_year=5)
        populate(Place(antenne, antenne.name), postal_code=f"{code}000", size=3)
    populate(lyon, postal_code="69003", size=3)
    cache.clear()

    assert [_queries(client, url, params) for url, params in asked] == small


def test_an_antenne_coordinators_dashboard_holds_its_number_of_queries(
    client, django_assert_num_queries
):
    lyon, _marseille, _national = build(size=2)
    login_staff(client, make_antenne_coordinator(lyon.antenne))
    # As a national coordinator's (test_dashboard.test_constant_number_of_queries) less the
    # table « Par antenne », the antennes being their own one (to name it).
    with django_assert_num_queries(25):
        assert client.get(URL).status_code == 200
