import csv
import datetime
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from mentorat.staff.exports import PAIR_HEADERS, SESSION_HEADERS
from tests.matching.factories import MentorshipFactory
from tests.sessions.factories import SessionFactory
from tests.users.factories import UserFactory

pytestmark = pytest.mark.django_db


def url(what, fmt):
    return reverse("admin:dashboard_export", args=[what, fmt])


@pytest.fixture
def coordinator_client(client):
    client.force_login(UserFactory(coordinator=True))
    return client


@pytest.fixture
def pairs():
    today = timezone.localdate()
    recent = MentorshipFactory(active=True, started_on=today - datetime.timedelta(days=5))
    old = MentorshipFactory(active=True, started_on=today - datetime.timedelta(days=300))
    SessionFactory(mentorship=recent, held_on=today, duration_minutes=95)
    SessionFactory(mentorship=old, held_on=today - datetime.timedelta(days=200), short=True)
    return recent, old


def _csv(response):
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_pairs_csv_columns_rows_and_period(coordinator_client, pairs):
    recent, old = pairs
    rows = _csv(coordinator_client.get(url("binomes", "csv")))
    assert rows[0] == PAIR_HEADERS
    assert [int(row[0]) for row in rows[1:]] == sorted([recent.pk, old.pk])
    since = (timezone.localdate() - datetime.timedelta(days=30)).isoformat()
    rows = _csv(coordinator_client.get(url("binomes", "csv"), {"since": since}))
    assert len(rows) == 2
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["binome_id"] == str(recent.pk)
    assert row["mentor_id"] == str(recent.mentor_id)
    assert row["statut"] == "active"
    # No contact data nor free text.
    content = coordinator_client.get(url("binomes", "csv")).content.decode()
    assert recent.mentee.user.email not in content


def test_sessions_xlsx(coordinator_client, pairs):
    recent, _ = pairs
    response = coordinator_client.get(
        url("seances", "xlsx"),
        {"since": (timezone.localdate() - datetime.timedelta(days=30)).isoformat()},
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == SESSION_HEADERS
    assert len(rows) == 2
    assert rows[1][1] == recent.pk
    assert rows[1][3] == 95
    assert rows[1][5] == 1


def test_figures_csv(coordinator_client, pairs):
    rows = _csv(coordinator_client.get(url("indicateurs", "csv")))
    assert rows[0] == ["rubrique", "indicateur", "valeur"]
    values = {row[1]: row[2] for row in rows[1:]}
    assert values["Jeunes accompagnés"] == "2"


def test_unknown_export_is_404(coordinator_client):
    assert coordinator_client.get(url("binomes", "pdf")).status_code == 404
    assert coordinator_client.get(url("contacts", "csv")).status_code == 404


def test_exports_are_for_coordinators_only(client):
    client.force_login(UserFactory(staff=True))
    assert client.get(url("binomes", "csv")).status_code == 403
    client.logout()
    assert client.get(url("binomes", "csv")).status_code == 302
