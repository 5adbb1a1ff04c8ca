"""The RGPD pages in a real browser: a young person reads and downloads their data on a phone;
a coordinator reads a person's data and anonymises them from the admin. axe-core audits each."""

import json

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from mentorat.privacy.models import ErasureRecord
from tests.matching.factories import MentorshipFactory
from tests.privacy.history import LOGGED_IN_WORDS, a_young_person_with_a_full_history
from tests.privacy.test_my_data_page import ENGLISH, ISO_TIMESTAMP
from tests.users.staff import make_coordinator

from .conftest import assert_no_accessibility_violations, log_in_to_the_admin
from .test_matching_pages import log_in

pytestmark = pytest.mark.browser


def test_a_young_person_reads_and_downloads_their_data_on_a_phone(phone_page, assert_accessible):
    pair = MentorshipFactory(active=True)
    mentee = pair.mentee
    log_in(phone_page, mentee.user)

    phone_page.goto(reverse("spaces:home"))
    phone_page.get_by_role("link", name="Télécharger mes données").click()

    expect(phone_page.get_by_role("heading", level=1)).to_be_visible()
    expect(phone_page.get_by_role("main")).to_contain_text(mentee.user.email)
    assert_accessible(phone_page)
    with phone_page.expect_download() as download_info:
        phone_page.get_by_role("link", name="Télécharger mes données (fichier JSON)").click()
    data = json.loads(download_info.value.path().read_text(encoding="utf-8"))
    assert data["Compte"][0]["Adresse e-mail"] == mentee.user.email


def test_a_coordinator_reads_then_anonymises_a_person(page):
    pair = MentorshipFactory(closed=True)
    person = pair.mentee.user
    log_in_to_the_admin(page, make_coordinator())

    page.goto(reverse("admin:users_user_change", args=[person.pk]))
    page.get_by_role("link", name="Exporter les données (RGPD)").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Données")
    expect(page.locator("#content")).to_contain_text(person.email)
    # The admin's own breadcrumbs have their own axe finding: this page's part is audited.
    assert_no_accessibility_violations(page)

    page.get_by_role("link", name="Anonymiser").click()
    assert_no_accessibility_violations(page)
    page.get_by_role("radio").first.check()
    page.get_by_role("checkbox").check()
    page.get_by_role("button", name="Anonymiser définitivement").click()

    expect(page.locator(".messagelist")).to_be_visible()
    assert ErasureRecord.objects.filter(person_id=person.pk).exists()
    person.refresh_from_db()
    assert person.email.endswith(".invalid")


def test_my_data_with_a_full_history_reads_on_a_phone_without_scrolling_sideways(phone_page):
    mentee, _mentor, _pair = a_young_person_with_a_full_history()
    log_in(phone_page, mentee.user)

    phone_page.goto(reverse("spaces:my_data"))

    main = phone_page.get_by_role("main")
    expect(main).to_contain_text("Chrome sur Android")
    expect(phone_page.get_by_role("heading", level=2, name="Mes connexions")).to_be_visible()
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"« Mes données » is {width} px wide on a 390 px phone"
    text = main.inner_text()
    labels = phone_page.locator("main dt").all_inner_texts()
    assert [label for label in labels if ENGLISH.search(label)] == []
    assert not ISO_TIMESTAMP.search(text)
    assert "{'" not in text
    assert LOGGED_IN_WORDS in text
    assert_no_accessibility_violations(phone_page)
