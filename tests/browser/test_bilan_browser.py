"""A coordinator reaches the funders' report from their staff home, changes the period and
downloads the XLSX: each page clean for axe-core on the staff's usual laptop screen."""

import datetime
import io
from pathlib import Path

import openpyxl
import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.staff.test_bilan import build_programme
from tests.users.staff import make_coordinator

from .conftest import log_in_to_the_admin

pytestmark = pytest.mark.browser


def test_a_coordinator_opens_the_bilan_changes_the_period_and_downloads_it(
    open_page, assert_accessible
):
    build_programme()
    coordinator = make_coordinator(first_name="Camille")
    page = open_page("staff")
    log_in_to_the_admin(page, coordinator)

    page.goto(reverse("admin:staff_home"))
    page.get_by_role("link", name="Bilan pour les financeurs").click()
    expect(page.get_by_role("heading", name="Bilan pour les financeurs")).to_be_visible()
    assert_accessible(page)

    # A period whose end comes before its start: told beside the field, nothing computed.
    page.get_by_label("Du", exact=True).fill("2025-07-01")
    page.get_by_label("Au", exact=True).fill("2025-06-30")
    page.get_by_role("button", name="Calculer le bilan").click()
    expect(page.get_by_text("Le début de la période doit précéder sa fin.")).to_be_visible()
    expect(page.get_by_label("Du", exact=True)).to_have_value("2025-07-01")
    assert_accessible(page)

    page.get_by_label("Du", exact=True).fill("2025-01-01")
    page.get_by_role("button", name="Calculer le bilan").click()
    expect(page.get_by_text("Bilan du 1 janvier 2025 au 30 juin 2025")).to_be_visible()
    publics = page.get_by_role("table", name="Binômes commencés par public prioritaire du jeune")
    qpv = publics.locator("tr", has=page.get_by_role("cell", name="QPV", exact=True))
    expect(qpv.get_by_role("cell").nth(1)).to_have_text("2")
    page.get_by_text("Détail par département").click()
    expect(
        page.get_by_role("table", name="Binômes commencés par département du jeune")
    ).to_be_visible()
    assert_accessible(page)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Télécharger le bilan (XLSX)").first.click()
    download = download_info.value
    assert download.suggested_filename == "bilan-mentorat-2025-01-01-au-2025-06-30.xlsx"
    workbook = openpyxl.load_workbook(io.BytesIO(Path(download.path()).read_bytes()))
    summary = dict(list(workbook["Synthèse"].iter_rows(values_only=True))[1:])
    assert summary["Fin de la période"] == datetime.datetime(2025, 6, 30)
    assert summary["Binômes commencés"] == 2
