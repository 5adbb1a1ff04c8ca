import datetime
import re

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from mentees.enums import Declarant
from mentees.errors import MenteeError
from mentees.models import Mentee, PriorityMark, PriorityPublic
from mentees.services import mentee_register
from tests.mentees.form_data import birth_date_for_age, mentee_form_data, minor_form_data
from tests.utils import assert_error_tied_to_field
from users.enums import ConsentKind, RegistrationStatus

URL = reverse("mentees:register")

pytestmark = pytest.mark.django_db


def post(client, capture, data):
    with capture(execute=True):
        return client.post(URL, data)


def test_an_adult_registers_pending_review_without_a_guardian(
    client, django_capture_on_commit_callbacks
):
    response = post(client, django_capture_on_commit_callbacks, mentee_form_data())

    assert response.status_code == 302
    assert response.url == reverse("mentees:registration_done")
    mentee = Mentee.objects.select_related("user").get()
    assert mentee.status == RegistrationStatus.PENDING_REVIEW
    assert mentee.department == "93"
    assert mentee.mission_locale_name == "Mission Locale de Saint-Denis"
    # The publics ticked are marks the young person declared, waiting for staff.
    marks = mentee.priority_marks.select_related("public").order_by("public__code")
    assert [(m.public.code, m.declared_by, m.declared_by_user, m.confirmed_at) for m in marks] == [
        ("MISSION_LOCALE", Declarant.MENTEE, None, None),
        ("QPV", Declarant.MENTEE, None, None),
        ("SANS_RESEAU", Declarant.MENTEE, None, None),
    ]
    assert mentee.needs == ["alternance", "cv_interview"]
    assert mentee.phone.as_e164 == "+33761234567"
    assert [consent.kind for consent in mentee.user.consents.all()] == [ConsentKind.PRIVACY_NOTICE]
    [message] = mail.outbox
    assert message.to == ["yanis.benali@example.org"]


def test_each_public_ticked_at_registration_has_its_history_row(client):
    client.post(URL, mentee_form_data())

    mentee = Mentee.objects.get()
    history = PriorityMark.history.filter(mentee_id=mentee.pk).order_by("public__code")
    assert [
        (row.public.code, row.history_type, row.history_user, row.history_change_reason)
        for row in history
    ] == [
        (code, "+", None, "Déclaré à l'inscription")
        for code in ("MISSION_LOCALE", "QPV", "SANS_RESEAU")
    ]
    assert {row.id for row in history} == set(mentee.priority_marks.values_list("pk", flat=True))


@pytest.mark.parametrize(
    ("age", "accepted"),
    [(10, False), (11, True), (30, True), (31, False)],
)
def test_age_must_be_11_to_30_inclusive_on_the_exact_birthday(client, age, accepted):
    # Today is the birthday: 11 and 30 are in, 31 is out, 10 is out.
    today = datetime.date(2026, 3, 15)
    with time_machine.travel(datetime.datetime(2026, 3, 15, 12, tzinfo=datetime.UTC)):
        birth_date = birth_date_for_age(age, today=today).isoformat()
        data = (
            minor_form_data(age, birth_date=birth_date)
            if age < 18
            else mentee_form_data(birth_date=birth_date)
        )
        response = client.post(URL, data)

    assert Mentee.objects.exists() is accepted
    if not accepted:
        errors = " ".join(response.context["form"].errors["birth_date"])
        assert ("à partir de 11 ans" if age < 11 else "jusqu'à 30 ans inclus") in errors
        assert_error_tied_to_field(response.content.decode(), "birth_date")


def test_the_day_before_the_31st_birthday_is_still_accepted(client):
    today = datetime.date(2026, 3, 15)
    with time_machine.travel(datetime.datetime(2026, 3, 15, 12, tzinfo=datetime.UTC)):
        birth_date = birth_date_for_age(31, today=today) + datetime.timedelta(days=1)
        client.post(URL, mentee_form_data(birth_date=birth_date.isoformat()))
    assert Mentee.objects.exists()


def test_a_birth_date_in_an_impossible_format_is_refused_in_french(client):
    response = client.post(URL, mentee_form_data(birth_date="31/02/2008"))
    assert "Saisissez une date de naissance valide" in " ".join(
        response.context["form"].errors["birth_date"]
    )


@pytest.mark.parametrize("field", ["guardian_name", "guardian_email", "guardian_phone"])
def test_a_minor_must_give_a_legal_guardian_contact(client, field):
    response = client.post(URL, minor_form_data(16, **{field: ""}))

    assert not Mentee.objects.exists()
    assert "Obligatoire pour les moins de 18 ans" in " ".join(
        response.context["form"].errors[field]
    )
    assert_error_tied_to_field(response.content.decode(), field)


def test_the_guardian_address_must_differ_from_the_young_persons(client):
    response = client.post(URL, minor_form_data(16, guardian_email="yanis.benali@example.org"))
    assert "différente de la tienne" in " ".join(response.context["form"].errors["guardian_email"])


def test_an_invalid_guardian_phone_is_refused(client):
    response = client.post(URL, minor_form_data(16, guardian_phone="0000"))
    assert "numéro de téléphone valide" in " ".join(
        response.context["form"].errors["guardian_phone"]
    )


def test_a_minor_from_15_is_reviewed_at_once_and_the_guardian_is_asked_for_consent(
    client, django_capture_on_commit_callbacks
):
    post(client, django_capture_on_commit_callbacks, minor_form_data(16))

    mentee = Mentee.objects.get()
    assert mentee.status == RegistrationStatus.PENDING_REVIEW
    assert mentee.guardian_consent_at is None
    assert mentee.guardian_phone.as_e164 == "+33611223344"
    to_guardian = [message for message in mail.outbox if message.to == ["nadia.benali@example.org"]]
    assert len(to_guardian) == 1
    assert "/jeunes/accord-parental/" in to_guardian[0].body
    assert "Yanis" not in to_guardian[0].subject


def test_under_15_the_registration_waits_for_the_guardian_before_review(
    client, django_capture_on_commit_callbacks
):
    post(client, django_capture_on_commit_callbacks, minor_form_data(13))

    mentee = Mentee.objects.get()
    assert mentee.status == RegistrationStatus.AWAITING_GUARDIAN_CONSENT
    assert {tuple(message.to) for message in mail.outbox} == {
        ("yanis.benali@example.org",),
        ("nadia.benali@example.org",),
    }
    [acknowledgement] = [m for m in mail.outbox if m.to == ["yanis.benali@example.org"]]
    assert "représentant légal doit d'abord donner son accord" in acknowledgement.body


def test_the_mission_locale_must_be_named_when_followed_by_one(client):
    response = client.post(URL, mentee_form_data(mission_locale_name=""))
    assert (
        "Indique le nom de ta Mission Locale."
        in response.context["form"].errors["mission_locale_name"]
    )
    html = response.content.decode()
    assert_error_tied_to_field(html, "mission_locale_name")
    # What was ticked stays ticked.
    ticked = re.findall(r'<input[^>]*name="priority_publics"[^>]*>', html)
    assert sorted(re.search(r'value="(\w+)"', box)[1] for box in ticked if "checked" in box) == [
        "MISSION_LOCALE",
        "QPV",
        "SANS_RESEAU",
    ]


def test_no_mission_locale_name_is_asked_without_the_mission_locale_public(client):
    client.post(URL, mentee_form_data(priority_publics=["QPV"], mission_locale_name=""))
    assert Mentee.objects.get().priority_marks.get().public.code == "QPV"


def test_a_young_person_may_tick_no_public(client):
    client.post(URL, mentee_form_data(priority_publics=None, mission_locale_name=""))
    assert not Mentee.objects.get().priority_marks.exists()


def test_the_form_asks_the_active_publics_in_plain_words_in_their_order(client):
    PriorityPublic.objects.filter(code="PJJ").update(is_active=False)
    PriorityPublic.objects.filter(code="ORIENTATION").update(order=0)

    html = client.get(URL).content.decode()

    assert "Coche ce qui te correspond" in html
    codes = re.findall(r'name="priority_publics" value="(\w+)"', html)
    assert codes[0] == "ORIENTATION"
    assert "PJJ" not in codes
    assert len(codes) == PriorityPublic.objects.active().count() == 11
    assert "J&#x27;habite à la campagne, loin d&#x27;une grande ville" in html
    assert "Protection judiciaire" not in html


def test_a_withdrawn_public_is_refused_beside_the_field(client):
    PriorityPublic.objects.filter(code="QPV").update(is_active=False)

    response = client.post(URL, mentee_form_data())

    assert not Mentee.objects.exists()
    assert "n'est plus proposé" in " ".join(response.context["form"].errors["priority_publics"])
    assert_error_tied_to_field(response.content.decode(), "priority_publics")


def test_the_service_refuses_a_withdrawn_public_whoever_calls_it():
    withdrawn = PriorityPublic.objects.get(code="ASE")
    withdrawn.is_active = False
    withdrawn.save()
    fields = {
        "birth_date": birth_date_for_age(20),
        "situation": "etudiant",
        "postal_code": "93200",
        "needs": ["alternance"],
        "goals": "Trouver une alternance.",
        "meeting_mode": "in_person",
        "priority_publics": [withdrawn],
    }
    with pytest.raises(MenteeError) as refused:
        mentee_register(email="a@example.org", first_name="A", last_name="B", fields=fields)
    assert "n'est plus proposé" in refused.value.errors["priority_publics"]
    assert not Mentee.objects.exists()


def test_a_same_gender_preference_needs_a_civility(client):
    response = client.post(URL, mentee_form_data(wants_same_gender_mentor="on", civility=""))
    assert "mentor du même genre" in " ".join(response.context["form"].errors["civility"])


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("situation", "", "Ce champ est obligatoire."),
        ("needs", [], "Cochez au moins une case."),
        ("languages", [], "Cochez au moins une case."),
        ("meeting_mode", "teleportation", "Sélectionnez un choix valide"),
        ("goals", "x" * 1501, "au plus 1500 caractères"),
        ("postal_code", "ABCDE", "code postal français"),
        ("accept_privacy", None, "politique de confidentialité"),
    ],
)
def test_it_refuses_bad_input_beside_the_field(client, field, value, message):
    response = client.post(URL, mentee_form_data(**{field: value}))
    assert not Mentee.objects.exists()
    assert message in " ".join(response.context["form"].errors[field])
    assert_error_tied_to_field(response.content.decode(), field)


def test_a_rejected_form_keeps_what_was_typed(client):
    response = client.post(URL, mentee_form_data(postal_code="1", goals="Devenir infirmier"))
    html = response.content.decode()
    assert 'value="Yanis"' in html
    assert 'value="yanis.benali@example.org"' in html
    assert "Devenir infirmier</textarea>" in html
    assert 'value="IUT de Saint-Denis"' in html


def test_the_error_summary_links_each_field_in_error(client):
    response = client.post(URL, mentee_form_data(phone="12", needs=[]))
    html = response.content.decode()
    summary = html.split('id="form-errors"')[1].split("</div>")[0]
    assert '<a class="alert-link" href="#id_phone">Téléphone</a>' in summary
    needs_link = '<a class="alert-link" href="#div_id_needs">J&#x27;ai besoin d&#x27;aide pour</a>'
    assert needs_link in summary
    assert 'id="div_id_needs"' in html


def test_the_meeting_format_radios_have_no_empty_choice(client):
    html = client.get(URL).content.decode()
    assert 'name="meeting_mode" value=""' not in html
    assert html.count('name="meeting_mode"') == 3
