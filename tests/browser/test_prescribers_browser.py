"""A prescriber refers a young person from their space on a laptop (after the code of their
authenticator app); the young person completes their registration from the e-mailed link on
a phone. Every page passes axe."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from mentees.models import Mentee
from mentorat.demo.factories import PrescriberFactory
from prescribers.models import Referral
from tests.users.factories import DEFAULT_PASSWORD
from tests.users.staff import confirmed_device, current_code

from .test_registration import born, expect_thank_you_page, field

pytestmark = pytest.mark.browser
# The e-mail's link, on the site's address (SITE_URL): its path, opened on the live server.
LINK = re.compile(r"https?://[^/\s]+(/orientation/inscription/\S+/)")


def test_a_prescriber_refers_a_young_person_who_completes_the_registration_on_a_phone(
    open_page, assert_accessible, mailoutbox
):
    prescriber = PrescriberFactory(organisation__name="Lycée Paul-Éluard")
    device = confirmed_device(prescriber.user)
    birth_date = born(17, days_past_birthday=40)

    # The prescriber, on the laptop: password, then the code, then their space.
    page = open_page("staff")
    page.goto(reverse("home"))
    page.get_by_role("link", name="Se connecter").click()
    page.get_by_label("Adresse e-mail").fill(prescriber.user.email)
    page.get_by_label("Mot de passe").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    assert_accessible(page)
    page.get_by_label("Code à 6 chiffres").fill(current_code(device))
    page.get_by_role("button", name="Valider").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes orientations")
    assert_accessible(page)

    page.get_by_role("link", name="Orienter un jeune").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Orienter un jeune")
    assert_accessible(page)
    field(page, "Prénom du jeune").fill("Inès")
    field(page, "Nom du jeune").fill("Moreau")
    field(page, "Adresse e-mail du jeune").fill("ines.moreau@example.org")
    field(page, "Date de naissance").fill(birth_date.isoformat())
    field(page, "Pourquoi un mentor l'aiderait").fill("Aucun réseau pour trouver un stage.")
    page.get_by_label("Aide sociale à l'enfance (ASE)", exact=True).check()
    # A minor without the guardian's contact: refused beside the field, the rest kept.
    page.get_by_role("button", name="Envoyer le lien d'inscription").click()
    expect(page.get_by_role("alert")).to_contain_text("Nom et prénom du représentant légal")
    assert_accessible(page)
    expect(field(page, "Nom du jeune")).to_have_value("Moreau")
    field(page, "Nom et prénom du représentant légal").fill("Karima Moreau")
    field(page, "E-mail du représentant légal").fill("karima.moreau@example.org")
    field(page, "Téléphone du représentant légal").fill("06 11 22 33 44")
    page.get_by_role("button", name="Envoyer le lien d'inscription").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Inès Moreau")
    expect(page.get_by_text("Étape actuelle : Orienté")).to_be_visible()
    assert_accessible(page)

    # The young person, on their phone, from the e-mail.
    [invitation] = [m for m in mailoutbox if m.to == ["ines.moreau@example.org"]]
    assert [m.to for m in mailoutbox if m.to == ["karima.moreau@example.org"]]
    link = LINK.search(invitation.body).group(1)
    phone = open_page("phone")
    phone.goto(link)
    expect(phone.get_by_role("heading", level=1)).to_have_text("Compléter mon inscription")
    assert_accessible(phone)
    expect(field(phone, "Prénom")).to_have_value("Inès")
    expect(field(phone, "Adresse e-mail")).to_have_value("ines.moreau@example.org")
    expect(field(phone, "Nom et prénom du représentant légal")).to_have_value("Karima Moreau")
    field(phone, "Téléphone").fill("07 61 23 45 67")
    field(phone, "Situation").select_option(label="Lycéen ou lycéenne")
    field(phone, "Code postal").fill("93200")
    phone.get_by_label("Trouver un stage", exact=True).check()
    field(phone, "Ce que j'attends du mentorat, avec mes mots").fill("Trouver un stage de 3e.")
    phone.get_by_label("En présentiel", exact=True).check()
    phone.get_by_label("Le week-end", exact=True).check()
    phone.get_by_label("Français", exact=True).check()
    phone.get_by_label("j'accepte la politique de confidentialité").check()
    phone.get_by_role("button", name="Trouver un mentor").click()
    expect_thank_you_page(phone, "mentees:registration_done")
    assert_accessible(phone)

    mentee = Mentee.objects.select_related("user").get()
    assert mentee.user.email == "ines.moreau@example.org"
    assert Referral.objects.get().mentee == mentee

    # Back on the laptop, the prescriber sees the new stage, and nothing else.
    page.reload()
    expect(page.get_by_text("Étape actuelle : Inscrit")).to_be_visible()
    page.get_by_role("link", name="Retour à mes orientations").click()
    expect(page.get_by_role("cell", name="Inscrit")).to_be_visible()
    assert_accessible(page)
