"""The funders' report's page and XLSX: who may open them, the period form and its French
errors, the file's sheets and figures, and a number of queries that does not grow with the
data."""

import datetime
import io

import openpyxl
import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mentees.priority import PriorityPublic
from mentorat.staff.bilan_charts import LABEL_CHARACTERS, short
from tests.matching.factories import MentorshipFactory
from tests.staff.test_bilan import build_programme
from tests.users.factories import UserFactory
from tests.users.staff import login_staff, make_coordinator, make_referent
from tests.utils import assert_error_tied_to_field
from users.programme import RULES

pytestmark = pytest.mark.django_db

URL = reverse("admin:bilan")
XLSX_URL = reverse("admin:bilan_export")
FIRST_HALF = {"du": "2025-01-01", "au": "2025-06-30"}
# A Wednesday in December 2026, 10:00 in Paris.
TODAY = datetime.datetime(2026, 12, 2, 10, tzinfo=datetime.timezone(datetime.timedelta(hours=1)))


@pytest.fixture
def coordinator(client):
    return login_staff(client, make_coordinator())


def test_a_coordinator_sees_the_figures_of_the_period_with_charts_and_tables(client, coordinator):
    build_programme()

    response = client.get(URL, FIRST_HALF)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Bilan du 1 janvier 2025 au 30 juin 2025" in html
    assert html.count('role="img"') == 5
    # Every chart has its table, whose caption names what it counts.
    for caption in [
        "Binômes commencés par public prioritaire du jeune",
        "Binômes commencés par âge du jeune le jour où le binôme a commencé",
        "Binômes commencés par civilité du jeune",
        "Binômes commencés par région du jeune",
        "Binômes terminés pendant la période, par motif",
    ]:
        assert f"<caption>{caption}</caption>" in html
    assert "Un jeune peut relever de plusieurs publics prioritaires" in html
    assert f"Durée minimale de {RULES.minimum_duration}" in html
    assert f'href="{XLSX_URL}?du=2025-01-01&amp;au=2025-06-30"' in html
    assert "<script>" not in html


def test_without_dates_the_period_is_the_current_year_up_to_today(client, coordinator):
    with time_machine.travel(TODAY, tick=False):
        MentorshipFactory(active=True, started_on=datetime.date(2026, 3, 1))
        MentorshipFactory(active=True, started_on=datetime.date(2025, 12, 31))

        response = client.get(URL)

    assert response.context["period"].start == datetime.date(2026, 1, 1)
    assert response.context["period"].end == datetime.date(2026, 12, 2)
    assert response.context["figures"]["mentored"]["pairs"] == 1
    html = response.content.decode()
    assert 'value="2026-01-01"' in html and 'value="2026-12-02"' in html


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"du": "2025-02-30", "au": "2025-06-30"}, "du", "Indiquez une date valide"),
        ({"du": "2025-01-01", "au": "demain"}, "au", "Indiquez une date valide"),
        ({"du": "2026-01-01", "au": "2026-12-03"}, "au", "ne peut pas dépasser aujourd"),
        ({"du": "2025-07-01", "au": "2025-06-30"}, "du", "doit précéder sa fin"),
    ],
)
def test_a_wrong_period_is_told_beside_its_field_and_kept(
    client, coordinator, params, field, message
):
    with time_machine.travel(TODAY, tick=False):
        response = client.get(URL, params)

    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert_error_tied_to_field(html, field)
    assert "Le bilan n'a pas été calculé" in html
    assert response.context["figures"] is None
    for name, value in params.items():
        assert f'name="{name}" value="{value}"' in html


def test_a_wrong_period_in_a_download_link_shows_the_page_and_its_error(client, coordinator):
    response = client.get(XLSX_URL, {"du": "2025-07-01", "au": "2025-06-30"})

    assert response["Content-Type"].startswith("text/html")
    assert "doit précéder sa fin" in response.content.decode()


def test_the_xlsx_has_a_sheet_per_breakdown_with_french_headers(client, coordinator):
    build_programme()

    response = client.get(XLSX_URL, FIRST_HALF)

    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"] == (
        'attachment; filename="bilan-mentorat-2025-01-01-au-2025-06-30.xlsx"'
    )
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == [
        "Synthèse",
        "Publics prioritaires",
        "Âges",
        "Sexe",
        "Départements",
        "Régions",
        "Fins de binôme",
        "Auto-évaluation",
        # A national coordinator's report: the antennes side by side.
        "Par antenne",
    ]
    summary = {
        row[0]: row[1] for row in workbook["Synthèse"].iter_rows(min_row=2, values_only=True)
    }
    assert summary["Début de la période"] == datetime.datetime(2025, 1, 1)
    assert workbook["Synthèse"]["B2"].number_format == "DD/MM/YYYY"
    assert summary["Binômes commencés"] == 2
    assert summary[f"Binômes ayant atteint {RULES.minimum_duration} pendant la période"] == 2
    assert summary["Heures de mentorat"] == 9.0
    assert summary[f"Binômes terminés avant {RULES.minimum_duration}"] == 3
    assert summary["Mentors actifs"] == 6
    publics = list(workbook["Publics prioritaires"].iter_rows(values_only=True))
    assert publics[0] == (
        "Code",
        "Public prioritaire",
        "Binômes commencés",
        "Jeunes",
        "Binômes dont le public est confirmé par l'équipe",
    )
    assert {row[0]: row[2] for row in publics[1:]}["QPV"] == 2
    ages = list(workbook["Âges"].iter_rows(values_only=True))
    assert ages[0] == ("Âge au début du binôme", "Binômes commencés")
    assert ("11 à 15 ans", 1) in ages
    sexes = dict(list(workbook["Sexe"].iter_rows(values_only=True))[1:])
    assert sexes == {"Madame": 1, "Monsieur": 0, "Non renseigné": 1}
    departments = list(workbook["Départements"].iter_rows(values_only=True))
    assert departments[1:] == [("69", "Auvergne-Rhône-Alpes", 1, 1), ("93", "Île-de-France", 1, 1)]
    closures = {row[0]: row[1:] for row in workbook["Fins de binôme"].iter_rows(values_only=True)}
    assert closures["Motif de fin"] == ("Binômes terminés", f"Dont avant {RULES.minimum_duration}")
    assert closures["Autre raison"] == (2, 1)


def _grow(times: int) -> None:
    for _ in range(times):
        build_programme()


@pytest.mark.parametrize("url", [URL, XLSX_URL])
def test_the_number_of_queries_does_not_grow_with_the_data(client, coordinator, url):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url, FIRST_HALF).status_code == 200
        return len(captured)

    _grow(1)
    small = queries()
    _grow(4)
    cache.clear()  # the questionnaire figures are kept a few minutes: counted again
    assert queries() == small


def test_the_page_holds_its_number_of_queries(client, coordinator, django_assert_num_queries):
    _grow(3)
    # Session, user, second factor and the staff scope (role and antenne, read once for the
    # page and the navigation): 4; the antennes (the filter's choices): 1; the report: 11
    # (two for the young people, two for the publics, one each for the places, the minimum
    # duration, the rhythm, the sessions, the closures, the self-assessment and the mentors);
    # the table « Par antenne »: 1; the admin's header (the user's permissions and the
    # coordinator checks of the sidebar): 4.
    with django_assert_num_queries(21):
        assert client.get(URL, FIRST_HALF).status_code == 200


@pytest.mark.parametrize("url", [URL, XLSX_URL])
def test_referents_and_staff_without_a_role_are_refused(client, url):
    login_staff(client, make_referent())
    assert client.get(url).status_code == 403
    client.logout()
    client.force_login(UserFactory(staff=True))
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("url", [URL, XLSX_URL])
def test_members_and_visitors_are_sent_to_the_admin_login(client, url):
    assert client.get(url).status_code == 302
    client.force_login(UserFactory())
    response = client.get(url)
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_the_staff_home_and_the_navigation_lead_to_the_report(client, coordinator):
    html = client.get(reverse("admin:staff_home")).content.decode()

    assert f'<a href="{URL}">Bilan pour les financeurs</a>' in html
    assert f'<a href="{URL}">Bilan</a>' in html


def test_a_long_public_label_is_cut_in_the_chart_and_whole_in_the_table(client, coordinator):
    build_programme()
    long_label = "Ni en emploi, ni en études, ni en formation (NEET) depuis longtemps"
    PriorityPublic.objects.create(code="LONG", label=long_label, question="Question")

    html = client.get(URL, FIRST_HALF).content.decode()

    assert f'<th scope="row">{long_label}</th>' in html
    assert f">{short(long_label)}</text>" in html
    assert len(short(long_label)) <= LABEL_CHARACTERS
