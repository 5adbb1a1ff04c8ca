import csv
import datetime
import io
import re

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from matching.enums import CloseReason
from mentees.models import PriorityPublic
from mentorat.staff.exports import (
    HEADER_LABELS,
    PAIR_HEADERS,
    REFERENT_PAIR_HEADERS,
    SESSION_HEADERS,
    dataset,
    render,
)
from tests.matching.factories import MentorshipFactory
from tests.sessions.factories import SessionFactory
from tests.users.factories import UserFactory
from tests.users.staff import login_staff, make_coordinator, make_referent

pytestmark = pytest.mark.django_db


def url(what, fmt):
    return reverse("admin:dashboard_export", args=[what, fmt])


@pytest.fixture
def coordinator_client(client):
    return login_staff(client, UserFactory(coordinator=True))


@pytest.fixture
def pairs():
    today = timezone.localdate()
    recent = MentorshipFactory(active=True, started_on=today - datetime.timedelta(days=5))
    old = MentorshipFactory(active=True, started_on=today - datetime.timedelta(days=300))
    SessionFactory(mentorship=recent, held_on=today, duration_minutes=95)
    SessionFactory(mentorship=old, held_on=today - datetime.timedelta(days=200), short=True)
    return recent, old


def labels(headers):
    return [HEADER_LABELS[name] for name in headers]


def _csv(response):
    """The file as French spreadsheet software reads it: UTF-8 with a byte-order mark, `;`."""
    assert response.status_code == 200
    assert response.content.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def test_pairs_csv_columns_rows_and_period(coordinator_client, pairs):
    recent, old = pairs
    rows = _csv(coordinator_client.get(url("binomes", "csv")))
    assert rows[0] == labels(PAIR_HEADERS)
    assert [int(row[0]) for row in rows[1:]] == sorted([recent.pk, old.pk])
    since = (timezone.localdate() - datetime.timedelta(days=30)).isoformat()
    rows = _csv(coordinator_client.get(url("binomes", "csv"), {"du": since}))
    assert len(rows) == 2
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["N° du binôme"] == str(recent.pk)
    assert row["N° du mentor"] == str(recent.mentor_id)
    assert row["N° du jeune"] == str(recent.mentee_id)
    assert row["Statut"] == "Actif"
    assert row["Début"] == recent.started_on.strftime("%d/%m/%Y")
    assert row["Fin"] == ""
    # No contact data nor free text.
    content = coordinator_client.get(url("binomes", "csv")).content.decode()
    assert recent.mentee.user.email not in content


def test_sessions_xlsx(coordinator_client, pairs):
    recent, _ = pairs
    response = coordinator_client.get(
        url("seances", "xlsx"),
        {"du": (timezone.localdate() - datetime.timedelta(days=30)).isoformat()},
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == labels(SESSION_HEADERS)
    assert rows[0][:5] == ("N° de la séance", "N° du binôme", "Date", "Durée (minutes)", "Format")
    assert len(rows) == 2
    assert rows[1][1] == recent.pk
    assert rows[1][3] == 95
    assert rows[1][4] == "En personne"
    assert rows[1][5] == 1
    # A real date, shown JJ/MM/AAAA.
    assert rows[1][2].date() == timezone.localdate()
    assert sheet["C2"].number_format == "DD/MM/YYYY"


def test_figures_csv(coordinator_client, pairs):
    rows = _csv(coordinator_client.get(url("indicateurs", "csv")))
    assert rows[0] == ["Rubrique", "Indicateur", "Valeur", "Code du public prioritaire"]
    values = {row[1]: row[2] for row in rows[1:]}
    assert values["Jeunes accompagnés"] == "2"
    assert re.fullmatch(r"\d{2}/\d{2}/\d{4}", values["Date de l'objectif"])
    # The funders' codes of the priority publics, and only there.
    codes = {row[1]: row[3] for row in rows[1:] if row[3]}
    assert codes == dict(PriorityPublic.objects.active().values_list("label", "code"))
    assert codes["Aide sociale à l'enfance (ASE)"] == "ASE"
    # Months in words, not 2026-12.
    assert not [row for row in rows[1:] if re.search(r"\d{4}-\d{2}", row[1])]


def test_the_figures_count_each_public_from_the_marks_and_follow_the_public_filter(
    coordinator_client,
):
    MentorshipFactory(active=True, mentee__publics=["QPV", "ASE"])
    MentorshipFactory(active=True, mentee__publics=["QPV"])
    MentorshipFactory(active=True)

    def by_code(query):
        rows = _csv(coordinator_client.get(url("indicateurs", "csv"), query))
        return {row[3]: row[2] for row in rows[1:] if row[3]}

    everyone, qpv, ase = by_code({}), by_code({"public": "QPV"}), by_code({"public": "ASE"})
    assert (everyone["QPV"], everyone["ASE"], everyone["ZRR"]) == ("2", "1", "0")
    assert (qpv["QPV"], qpv["ASE"]) == ("2", "1")
    assert (ase["QPV"], ase["ASE"]) == ("1", "1")
    # An unknown code is ignored: the whole programme.
    assert by_code({"public": "INCONNU"}) == everyone
    pairs = _csv(coordinator_client.get(url("binomes", "csv"), {"public": "ASE"}))
    assert len(pairs) == 2


def test_unknown_export_is_404(coordinator_client):
    assert coordinator_client.get(url("binomes", "pdf")).status_code == 404
    assert coordinator_client.get(url("contacts", "csv")).status_code == 404


def test_staff_in_no_role_get_403(client):
    client.force_login(UserFactory(staff=True))
    assert client.get(url("binomes", "csv")).status_code == 403
    assert client.get(url("seances", "csv")).status_code == 403


@pytest.mark.parametrize("what", ["binomes", "seances", "indicateurs"])
def test_anonymous_and_mentors_go_to_the_admin_login(client, what):
    page = client.get(url(what, "csv"))
    assert page.status_code == 302
    assert page.url.startswith(reverse("admin:login"))
    client.force_login(MentorshipFactory(active=True).mentor.user)
    page = client.get(url(what, "csv"))
    assert page.status_code == 302
    assert page.url.startswith(reverse("admin:login"))


# --- A référent exports the pairs and sessions of their own mentors


@pytest.fixture
def two_caseloads():
    """Two référents, each with one mentor in an active pair with a session; a pair with no
    référent at all."""
    today = timezone.localdate()
    mine, theirs = make_referent(), make_referent()
    my_pair = MentorshipFactory(active=True, mentor__referent=mine, started_on=today)
    their_pair = MentorshipFactory(active=True, mentor__referent=theirs, started_on=today)
    nobodys_pair = MentorshipFactory(active=True, started_on=today)
    sessions = {
        pair.pk: SessionFactory(mentorship=pair, held_on=today)
        for pair in (my_pair, their_pair, nobodys_pair)
    }
    return mine, my_pair, their_pair, sessions


def test_a_referents_pairs_are_exactly_their_mentors_without_the_young_persons_columns(
    client, two_caseloads
):
    referent, my_pair, their_pair, _ = two_caseloads
    login_staff(client, referent)

    rows = _csv(client.get(url("binomes", "csv")))

    assert rows[0] == labels(REFERENT_PAIR_HEADERS)
    assert "N° du jeune" not in rows[0] and "Département du jeune" not in rows[0]
    assert set(PAIR_HEADERS) - set(REFERENT_PAIR_HEADERS) == {"jeune_id", "departement_jeune"}
    assert [row[0] for row in rows[1:]] == [str(my_pair.pk)]
    assert str(their_pair.pk) not in {row[0] for row in rows[1:]}
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["N° du mentor"] == str(my_pair.mentor_id)
    assert row["Statut"] == "Actif"


def test_a_referents_sessions_are_exactly_their_mentors(client, two_caseloads):
    referent, my_pair, _, sessions = two_caseloads
    login_staff(client, referent)

    response = client.get(url("seances", "xlsx"))

    assert response.status_code == 200
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.values)
    assert list(rows[0]) == labels(SESSION_HEADERS)
    assert [(row[0], row[1]) for row in rows[1:]] == [(sessions[my_pair.pk].pk, my_pair.pk)]


def test_the_filters_apply_within_the_referents_scope(client, two_caseloads):
    referent, my_pair, _, _ = two_caseloads
    login_staff(client, referent)
    other_department = "75" if my_pair.mentee.department != "75" else "93"

    rows = _csv(client.get(url("binomes", "csv"), {"departement": other_department}))

    assert rows == [labels(REFERENT_PAIR_HEADERS)]


def test_a_coordinator_still_exports_every_pair_in_every_column(client, two_caseloads):
    login_staff(client, make_coordinator())
    rows = _csv(client.get(url("binomes", "csv")))
    assert rows[0] == labels(PAIR_HEADERS)
    assert len(rows) == 4
    assert len(_csv(client.get(url("seances", "csv")))) == 4


def test_a_referent_may_not_export_the_programme_figures(client, two_caseloads):
    login_staff(client, two_caseloads[0])
    assert client.get(url("indicateurs", "csv")).status_code == 403


def test_the_referents_home_links_to_their_exports(client, two_caseloads):
    login_staff(client, two_caseloads[0])
    html = client.get(reverse("admin:referent_home")).content.decode()
    assert f'href="{url("binomes", "csv")}"' in html
    assert f'href="{url("seances", "xlsx")}"' in html
    assert url("indicateurs", "csv") not in html


@pytest.mark.parametrize("size", [1, 6])
@pytest.mark.parametrize("what", ["binomes", "seances"])
def test_a_referents_export_runs_a_constant_number_of_queries(
    client, django_assert_num_queries, size, what
):
    referent = make_referent()
    for _ in range(size):
        SessionFactory(mentorship=MentorshipFactory(active=True, mentor__referent=referent))
    login_staff(client, referent)
    # Session, user, the admin site's second-factor check (a coordinator test), the staff
    # scope (role and antenne, one query), the rows: 5 whatever the size.
    with django_assert_num_queries(5):
        rows = _csv(client.get(url(what, "csv")))
    assert len(rows) == size + 1


def test_a_closed_pair_reads_with_its_reason_and_dates_in_french(coordinator_client):
    pair = MentorshipFactory(closed=True, close_reason=CloseReason.MENTOR_WITHDREW)
    response = coordinator_client.get(url("binomes", "csv"))
    [header, values] = _csv(response)
    row = dict(zip(header, values, strict=True))
    assert row["Statut"] == "Terminé"
    assert row["Motif de fin"] == "Le mentor a arrêté"
    assert row["Fin"] == pair.ended_on.strftime("%d/%m/%Y")

    sheet = openpyxl.load_workbook(
        io.BytesIO(coordinator_client.get(url("binomes", "xlsx")).content)
    ).active
    xlsx = dict(zip((c.value for c in sheet[1]), sheet[2], strict=True))
    assert xlsx["Motif de fin"].value == row["Motif de fin"]
    assert xlsx["Fin"].value.date() == pair.ended_on
    assert xlsx["Fin"].number_format == "DD/MM/YYYY"


def test_a_file_writes_decimals_with_a_comma_and_empty_cells_as_nothing():
    data = dataset(
        [(2.5, datetime.date(2027, 3, 1), None, "active")],
        headers=["valeur", "date", "fin", "statut"],
        title="essai",
    )
    rows = list(csv.reader(io.StringIO(render(data, "csv").decode("utf-8-sig")), delimiter=";"))
    assert rows == [["Valeur", "Date", "Fin", "Statut"], ["2,5", "01/03/2027", "", "Actif"]]
