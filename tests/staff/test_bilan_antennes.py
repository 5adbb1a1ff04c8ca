"""The funders' report by antenne: an antenne coordinator's report and file are their
antenne's, whatever the query string says; a national coordinator's hold the table and the
sheet « Par antenne », whose last row is the sum of the others; the report of every antenne is
the sum of the antennes' and the national programme's; the number of queries does not grow
with the data nor with the number of antennes."""

import io

import openpyxl
import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mentorat.staff.bilan import Period, bilan, progress
from mentorat.staff.dashboard_antennes import NO_ANTENNE
from tests.antennes.factories import make_antenne
from tests.staff.antenne_world import NOW, Place, build, populate
from tests.users.staff import login_staff, make_antenne_coordinator, make_coordinator

pytestmark = pytest.mark.django_db

URL = reverse("admin:bilan")
XLSX_URL = reverse("admin:bilan_export")
YEAR = {"du": "2026-01-01", "au": "2026-06-15"}
PERIOD = Period(start=NOW.date().replace(month=1, day=1), end=NOW.date())


@pytest.fixture(autouse=True)
def _fixed_day():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def _summary(data: dict) -> dict:
    return {
        "pairs": data["mentored"]["pairs"],
        "young_people": data["mentored"]["young_people"],
        "departments": [row["code"] for row in data["places"]["departments"]],
        "rhythm": data["rhythm"]["pairs"],
        "sessions": data["sessions"]["sessions"],
        "closures": data["closures"]["total"],
        "progress": [(row["pairs"], row["mean_change"]) for row in data["progress"]],
        "mentors": data["mentors"]["active"],
    }


def _workbook(response):
    assert response.status_code == 200
    return openpyxl.load_workbook(io.BytesIO(response.content))


def test_an_antenne_coordinators_report_is_their_antennes(client):
    lyon, marseille, _national = build()
    login_staff(client, make_antenne_coordinator(lyon.antenne))

    page = client.get(URL, YEAR)
    forged = client.get(URL, {**YEAR, "antenne": marseille.antenne_id})

    assert page.status_code == 200
    assert _summary(page.context["figures"]) == {
        # The pair started this year; the other started last year and closed this year.
        "pairs": 1,
        "young_people": 1,
        "departments": ["69"],
        "rhythm": 2,
        "sessions": 1,
        "closures": 1,
        "progress": [(1, 2.0)],
        "mentors": 2,
    }
    assert _summary(forged.context["figures"]) == _summary(page.context["figures"])
    html = page.content.decode()
    assert "Ce bilan est celui de votre antenne : <strong>Lyon</strong>" in html
    assert 'name="antenne"' not in html
    assert "Par antenne" not in html
    assert "13" not in _summary(forged.context["figures"])["departments"]
    assert (
        page.context["xlsx_url"]
        == f"{XLSX_URL}?du=2026-01-01&au=2026-06-15&antenne={lyon.antenne_id}"
    )


def test_an_antenne_coordinators_file_is_their_antennes_without_the_other_antennes(client):
    lyon, marseille, _national = build()
    login_staff(client, make_antenne_coordinator(lyon.antenne))

    response = client.get(XLSX_URL, {**YEAR, "antenne": marseille.antenne_id})

    workbook = _workbook(response)
    assert response["Content-Disposition"] == (
        'attachment; filename="bilan-mentorat-lyon-2026-01-01-au-2026-06-15.xlsx"'
    )
    assert "Par antenne" not in workbook.sheetnames
    summary = dict(workbook["Synthèse"].iter_rows(min_row=2, values_only=True))
    assert summary["Antenne"] == "Lyon"
    assert summary["Binômes commencés"] == 1
    departments = list(workbook["Départements"].iter_rows(min_row=2, values_only=True))
    assert [row[0] for row in departments] == ["69"]


def test_a_national_coordinator_reads_the_antennes_side_by_side(client):
    lyon, _marseille, _national = build(size=2)
    make_antenne("Lille", ["59"], target_pairs_per_year=4)
    login_staff(client, make_coordinator())

    page = client.get(URL, YEAR)

    table = page.context["figures"]["by_antenne"]
    rows = {row["name"]: row for row in table["rows"]}
    assert {
        name: (r["started"], r["target"], r["active"], r["waiting"]) for name, r in rows.items()
    } == {
        "Lille": (0, 4, 0, 0),
        # Active during the period: the two pairs active today and the two closed in June.
        "Lyon": (2, 10, 4, 2),
        "Marseille": (2, None, 4, 2),
        "Programme national (sans antenne)": (2, None, 4, 2),
    }
    total = table["total"]
    assert (total["started"], total["target"], total["active"], total["waiting"]) == (6, 14, 12, 6)
    assert total["started"] == page.context["figures"]["mentored"]["pairs"]
    assert total["active"] == page.context["figures"]["rhythm"]["pairs"]
    html = page.content.decode()
    assert '<option value="" selected>Toutes les antennes</option>' in html
    assert (
        f'href="{URL}?du=2026-01-01&amp;au=2026-06-15&amp;antenne={lyon.antenne_id}">Lyon</a>'
        in html
    )

    workbook = _workbook(client.get(XLSX_URL, YEAR))
    sheet = list(workbook["Par antenne"].iter_rows(values_only=True))
    assert sheet[0][:3] == ("Antenne", "Binômes commencés", "Objectif annuel de binômes")
    assert sheet[1:] == [
        ("Lille", 0, 4, 0, 0, 0),
        ("Lyon", 2, 10, 20, 4, 2),
        ("Marseille", 2, None, None, 4, 2),
        ("Programme national (sans antenne)", 2, None, None, 4, 2),
        ("Ensemble du programme", 6, 14, 42.9, 12, 6),
    ]
    summary = dict(workbook["Synthèse"].iter_rows(min_row=2, values_only=True))
    assert summary["Antenne"] == "Toutes les antennes"


def test_a_national_coordinator_chooses_an_antenne_or_the_national_programme(client):
    lyon, _marseille, national = build()
    login_staff(client, make_coordinator())

    only_national = client.get(URL, {**YEAR, "antenne": NO_ANTENNE})
    only_lyon = client.get(XLSX_URL, {**YEAR, "antenne": lyon.antenne_id})

    assert _summary(only_national.context["figures"])["departments"] == ["93"]
    assert only_national.context["antenne_label"] == "Programme national (sans antenne)"
    # The table stays: it is the national coordinators' view of every antenne.
    assert only_national.context["figures"]["by_antenne"] is not None
    assert only_lyon["Content-Disposition"].endswith(
        'filename="bilan-mentorat-lyon-2026-01-01-au-2026-06-15.xlsx"'
    )
    summary = dict(_workbook(only_lyon)["Synthèse"].iter_rows(min_row=2, values_only=True))
    assert summary["Antenne"] == "Lyon"
    # The national programme's pair started this year is not among Lyon's.
    assert summary["Binômes commencés"] == 1
    assert national.pairs[0].started_on.year == 2026


def test_the_antennes_and_the_national_programme_add_up_to_the_whole_report():
    lyon, marseille, _national = build(size=2)
    whole = _summary(bilan(PERIOD))
    places = [
        _summary(bilan(PERIOD, antenne=antenne))
        for antenne in (str(lyon.antenne_id), str(marseille.antenne_id), NO_ANTENNE)
    ]

    for key in ("pairs", "young_people", "rhythm", "sessions", "closures", "mentors"):
        assert whole[key] == sum(place[key] for place in places), key
    assert whole["departments"] == sorted(code for p in places for code in p["departments"])


def test_the_cached_self_assessment_is_kept_apart_per_antenne():
    lyon, _marseille, _national = build()

    whole = progress(PERIOD)
    lyon_only = progress(PERIOD, str(lyon.antenne_id))
    national_only = progress(PERIOD, NO_ANTENNE)

    assert [(row["pairs"], row["mean_change"]) for row in lyon_only] == [(1, 2.0)]
    assert [(row["pairs"], row["mean_change"]) for row in national_only] == [(1, 1.0)]
    assert [row["pairs"] for row in whole] == [3]
    # Read again from the cache: each its own.
    assert progress(PERIOD, str(lyon.antenne_id)) == lyon_only
    assert progress(PERIOD) == whole


@pytest.mark.parametrize("who", ["antenne", "national"])
def test_the_report_costs_the_same_queries_whatever_the_data_and_the_antennes(client, who):
    lyon, _marseille, _national = build(size=1)
    user = make_antenne_coordinator(lyon.antenne) if who == "antenne" else make_coordinator()
    login_staff(client, user)

    def queries() -> list[int]:
        counts = []
        for url in (URL, XLSX_URL):
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url, {**YEAR, "antenne": lyon.antenne_id}).status_code == 200
            counts.append(len(captured))
        return counts

    small = queries()
    for code in ("10", "11"):
        antenne = make_antenne(f"Antenne {code}", [code], target_pairs_per_year=5)
        populate(Place(antenne, antenne.name), postal_code=f"{code}000", size=3)
    populate(lyon, postal_code="69003", size=3)
    cache.clear()

    assert queries() == small


def test_an_antenne_coordinators_report_holds_its_number_of_queries(
    client, django_assert_num_queries
):
    lyon, _marseille, _national = build(size=2)
    login_staff(client, make_antenne_coordinator(lyon.antenne))
    # As a national coordinator's (test_bilan_views) less the table « Par antenne »; the
    # antennes read are their own one (to name it).
    with django_assert_num_queries(20):
        assert client.get(URL, YEAR).status_code == 200
