"""Mentors and young people register through the real forms, in a real browser, the way a
person does it: by reading labels, ticking boxes, picking a date."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from mentees.ages import years_before
from mentees.models import Mentee
from mentors.models import Mentor
from users.enums import RegistrationStatus

pytestmark = pytest.mark.browser

THANK_YOU = "Merci, votre inscription est bien envoyée"
THANK_YOU_YOUNG = "Merci, ton inscription est bien envoyée"


def field(page, label):
    """The control whose label reads `label`, give or take the required-field asterisk: a
    plain substring match would mistake « Nom » for « Prénom »."""
    return page.get_by_label(exactly(label))


def exactly(text):
    # Label text is matched untrimmed, with crispy's asterisk appended to required fields.
    return re.compile(rf"^\s*{re.escape(text)}\s*\*?\s*$")


def born(years_old, *, days_past_birthday):
    return years_before(timezone.localdate(), years_old) - datetime.timedelta(
        days=days_past_birthday
    )


def expect_honeypot_untouched(page):
    honeypot = page.locator("input[name=website]")
    expect(honeypot).to_be_hidden()
    expect(honeypot).to_have_value("")


def expect_thank_you_page(page, url_name):
    # A young person is addressed as « tu », a mentor as « vous ».
    thanks = THANK_YOU_YOUNG if url_name.startswith("mentees:") else THANK_YOU
    expect(page.get_by_role("heading", level=1)).to_have_text(thanks)
    assert page.url.endswith(reverse(url_name))


def test_a_mentor_registers(page):
    page.goto(reverse("mentors:register"))

    field(page, "Civilité").select_option(label="Madame")
    field(page, "Prénom").fill("Sophie")
    field(page, "Nom").fill("Lemoine")
    # People type their address with capitals; the account must not depend on them.
    field(page, "Adresse e-mail").fill("Sophie.Lemoine@example.org")
    field(page, "Téléphone").fill("06 12 34 56 78")
    field(page, "Employeur").fill("Orange")
    field(page, "Métier / poste").fill("Cheffe de projet")
    field(page, "Secteur d'activité").select_option(label="Informatique, numérique")
    field(page, "Années d'expérience").fill("12")
    page.get_by_label("Orientation", exact=True).check()
    page.get_by_label("Trouver une alternance", exact=True).check()
    page.get_by_label("Informatique, numérique", exact=True).check()
    page.get_by_label("Communication, marketing", exact=True).check()
    field(page, "Code postal").fill("93200")
    page.get_by_label("Les deux", exact=True).check()
    page.get_by_label("En semaine, en soirée", exact=True).check()
    page.get_by_label("Français", exact=True).check()
    page.get_by_label("Anglais", exact=True).check()
    field(page, "Nombre de jeunes suivis en même temps").fill("2")
    field(page, "Accepte d'accompagner des mineurs").check()
    field(page, "Motivation").fill("Aider des jeunes à trouver leur voie.")
    page.get_by_label("je m'engage à respecter la charte du mentor").check()
    page.get_by_label("j'accepte la politique de confidentialité").check()
    expect_honeypot_untouched(page)
    page.get_by_role("button", name="Devenir mentor").click()

    expect_thank_you_page(page, "mentors:registration_done")
    mentor = Mentor.objects.select_related("user").get()
    assert mentor.user.email == "sophie.lemoine@example.org"
    assert (mentor.user.first_name, mentor.user.last_name) == ("Sophie", "Lemoine")
    assert mentor.civility == "mme"
    assert mentor.phone.as_e164 == "+33612345678"
    assert (mentor.employer, mentor.job_title, mentor.sector) == (
        "Orange",
        "Cheffe de projet",
        "it",
    )
    assert mentor.years_of_experience == 12
    assert mentor.help_topics == ["orientation", "alternance"]
    assert mentor.sectors_to_share == ["communication", "it"]
    assert (mentor.postal_code, mentor.department) == ("93200", "93")
    assert mentor.meeting_mode == "both"
    assert mentor.availability == ["weekday_evening"]
    assert mentor.languages == ["fr", "en"]
    assert mentor.capacity == 2
    assert mentor.accepts_minors is True
    assert mentor.motivation == "Aider des jeunes à trouver leur voie."
    assert mentor.status == RegistrationStatus.PENDING_REVIEW


def fill_young_person_form(page, *, birth_date):
    field(page, "Civilité").select_option(label="Monsieur")
    field(page, "Prénom").fill("Yanis")
    field(page, "Nom").fill("Benali")
    field(page, "Adresse e-mail").fill("yanis.benali@example.org")
    field(page, "Téléphone").fill("07 61 23 45 67")
    # A date input takes ISO text whatever the locale shows; the browser does the rest.
    field(page, "Date de naissance").fill(birth_date.isoformat())
    field(page, "Code postal").fill("93200")
    page.get_by_label("Trouver une alternance", exact=True).check()
    page.get_by_label("CV et entretien", exact=True).check()
    field(page, "Ce que j'attends du mentorat, avec mes mots").fill(
        "Trouver une alternance en développement web."
    )
    page.get_by_label("En présentiel", exact=True).check()
    page.get_by_label("En semaine, en soirée", exact=True).check()
    page.get_by_label("Le week-end", exact=True).check()
    page.get_by_label("Français", exact=True).check()
    page.get_by_label("j'accepte la politique de confidentialité").check()


def test_a_young_person_registers_from_a_phone(phone_page):
    page = phone_page
    birth_date = born(20, days_past_birthday=100)
    page.goto(reverse("mentees:register"))

    fill_young_person_form(page, birth_date=birth_date)
    field(page, "Situation").select_option(label="Étudiant ou étudiante")
    field(page, "Établissement ou structure").fill("IUT de Saint-Denis")
    field(page, "Une Mission Locale m'accompagne").check()
    field(page, "Laquelle ?").fill("Mission Locale de Saint-Denis")
    field(page, "J'habite dans un quartier prioritaire de la ville (QPV)").check()
    page.get_by_label("Informatique, numérique", exact=True).check()
    expect_honeypot_untouched(page)
    page.get_by_role("button", name="Trouver un mentor").click()

    expect_thank_you_page(page, "mentees:registration_done")
    mentee = Mentee.objects.select_related("user").get()
    assert mentee.user.email == "yanis.benali@example.org"
    assert (mentee.user.first_name, mentee.user.last_name) == ("Yanis", "Benali")
    assert mentee.civility == "m"
    assert mentee.phone.as_e164 == "+33761234567"
    assert mentee.birth_date == birth_date
    assert mentee.situation == "etudiant"
    assert mentee.school_or_structure == "IUT de Saint-Denis"
    assert mentee.mission_locale_name == "Mission Locale de Saint-Denis"
    # The two publics ticked, declared by the young person and waiting for staff.
    assert sorted(
        mentee.priority_marks.filter(confirmed_at__isnull=True).values_list(
            "public__code", flat=True
        )
    ) == ["MISSION_LOCALE", "QPV"]
    assert mentee.needs == ["alternance", "cv_interview"]
    assert mentee.sectors_of_interest == ["it"]
    assert mentee.goals == "Trouver une alternance en développement web."
    assert (mentee.postal_code, mentee.department) == ("93200", "93")
    assert mentee.meeting_mode == "in_person"
    assert mentee.availability == ["weekday_evening", "weekend"]
    assert mentee.languages == ["fr"]
    assert (mentee.guardian_name, mentee.guardian_email) == ("", "")
    assert not mentee.guardian_phone
    assert mentee.status == RegistrationStatus.PENDING_REVIEW


def test_a_sixteen_year_old_registers_with_their_guardian(page, mailoutbox):
    birth_date = born(16, days_past_birthday=10)
    page.goto(reverse("mentees:register"))

    fill_young_person_form(page, birth_date=birth_date)
    field(page, "Situation").select_option(label="Lycéen ou lycéenne")
    field(page, "Nom et prénom du représentant légal").fill("Nadia Benali")
    field(page, "E-mail du représentant légal").fill("nadia.benali@example.org")
    field(page, "Téléphone du représentant légal").fill("06 11 22 33 44")
    page.get_by_role("button", name="Trouver un mentor").click()

    expect_thank_you_page(page, "mentees:registration_done")
    mentee = Mentee.objects.get(user__email="yanis.benali@example.org")
    assert mentee.birth_date == birth_date
    assert mentee.is_minor()
    assert mentee.situation == "lyceen"
    assert mentee.guardian_name == "Nadia Benali"
    assert mentee.guardian_email == "nadia.benali@example.org"
    assert mentee.guardian_phone.as_e164 == "+33611223344"
    assert mentee.guardian_consent_at is None
    # At 16 the registration is reviewed while the guardian's consent is awaited.
    assert mentee.status == RegistrationStatus.PENDING_REVIEW
    assert any("nadia.benali@example.org" in message.to for message in mailoutbox)


def test_a_thirty_one_year_old_is_told_beside_the_birth_date_and_keeps_what_they_typed(page):
    page.goto(reverse("mentees:register"))

    fill_young_person_form(page, birth_date=born(31, days_past_birthday=30))
    field(page, "Situation").select_option(label="En emploi")
    page.get_by_role("button", name="Trouver un mentor").click()

    error = page.locator("#id_birth_date_error")
    expect(error).to_have_text("Le programme accueille les jeunes jusqu'à 30 ans inclus.")
    expect(error).to_be_visible()
    expect(field(page, "Date de naissance")).to_have_attribute(
        "aria-describedby", re.compile(r"\bid_birth_date_error\b")
    )
    expect(field(page, "Prénom")).to_have_value("Yanis")
    assert not Mentee.objects.exists()
