"""The right of access: a person downloads what the programme holds on them from « Mon
espace »; a coordinator exports it from the admin. Constant number of queries."""

import json

import pytest
from django.urls import reverse

from evaluations.enums import Moment
from mentorat.privacy.access import person_data
from mentorat.privacy.enums import DataAccessFormat
from mentorat.privacy.models import DataAccessRecord
from tests.matching.factories import MentorshipFactory
from tests.mentees.factories import MenteeFactory
from tests.mentors.factories import MentorFactory
from tests.sessions.factories import SessionEvaluationFactory, SessionFactory
from tests.spaces.questionnaires import respond
from tests.users.factories import UserFactory
from tests.users.staff import confirmed_device, make_coordinator, make_referent
from users.enums import ConsentKind
from users.models import Consent

from .test_privacy_erasure import MENTEE_MARKERS, a_programme

pytestmark = pytest.mark.django_db

MY_DATA = reverse("spaces:my_data")
MY_DATA_JSON = reverse("spaces:my_data_json")


@pytest.fixture(autouse=True)
def _no_second_factor(settings):
    settings.OTP_REQUIRED_FOR_COORDINATORS = False


def test_it_holds_everything_about_the_person_in_french_sections():
    mentee, _mentor, _pair, _other = a_programme()
    data = person_data(user=mentee.user)
    json.dumps(data)  # serialisable as it is
    assert data["Compte"][0]["Adresse e-mail"] == MENTEE_MARKERS["email"]
    assert "Mot de passe" not in data["Compte"][0]
    registration = data["Inscription comme jeune"][0]
    assert registration["Date de naissance"] == MENTEE_MARKERS["birth_date"]
    assert registration["Nom du représentant légal"] == MENTEE_MARKERS["guardian_name"]
    assert data["Consentements"][0]["Donné par"] == MENTEE_MARKERS["guardian_name"]
    assert data["Binômes"][0]["Commentaire de fin"] == MENTEE_MARKERS["close_comment"]
    assert {row["Objectif"] for row in data["Objectifs"]} == {MENTEE_MARKERS["objective"]}
    assert len(data["Séances"]) == 2
    assert data["Évaluations de séance écrites"][0]["Commentaire"] == MENTEE_MARKERS["evaluation"]
    assert data["Suivis des séances"][0]["Commentaire du référent"] == MENTEE_MARKERS["follow_up"]
    assert data["Prochaines rencontres"][0]["Lieu"] == MENTEE_MARKERS["place"]
    answers = data["Réponses aux questionnaires"]
    assert any(MENTEE_MARKERS["answer"] in (row["Réponse"] or "") for row in answers)
    assert all(row["Question"] and row["Moment"] for row in answers)
    assert {row["Type"] for row in data["Rappels envoyés"]} >= {"Rencontre à prévoir sous 7 jours"}
    assert len(data["Historique de l'inscription"]) >= 2
    assert data["Historique des binômes"]
    # The publics in the words the young person ticked them.
    publics = {row["Public prioritaire"]: row for row in data["Publics prioritaires"]}
    assert set(publics) == {"Suivi par une Mission Locale", "Quartier prioritaire (QPV)"}
    qpv = publics["Quartier prioritaire (QPV)"]
    assert qpv["En clair"] == "J'habite dans un quartier prioritaire de la ville (QPV)"
    assert qpv["Déclaré par"] == "Le jeune"


def test_my_data_page_shows_my_priority_publics_in_plain_words(client):
    mentee = MenteeFactory(publics=["ZRR"])
    client.force_login(mentee.user)

    html = client.get(MY_DATA).content.decode()

    assert "Publics prioritaires" in html
    assert "Zone rurale (ZRR)" in html
    assert "J&#x27;habite à la campagne, loin d&#x27;une grande ville" in html


def test_a_staff_members_authenticator_app_is_listed_once_in_french_without_its_secret(
    client,
):
    referent = make_referent()
    device = confirmed_device(referent)

    data = person_data(user=referent)

    assert not [title for title in data if "TOTP" in title]
    [row] = data["Appareils d'authentification"]
    assert row["Nom de l'appareil"] == device.name
    assert row["Activé"] is True
    assert device.key not in json.dumps(data)
    assert not [label for label in row if label[0].islower() or "_" in label]
    client.force_login(make_coordinator())
    page = client.get(reverse("admin:privacy_person", args=[referent.pk])).content.decode()
    assert "Appareils d&#x27;authentification" in page
    assert "TOTP" not in page


def test_a_mentor_sees_their_screening_and_exchanges_but_not_the_young_persons_answers():
    _mentee, mentor, _pair, _other = a_programme()
    data = person_data(user=mentor.user)
    assert data["Inscription comme jeune"] == []
    assert data["Contrôles d'honorabilité"] and data["Échanges avec votre référent"]
    assert data["Réponses aux questionnaires"] == []


def test_each_member_gets_their_own_closure_answers_and_the_interview_not_the_others_words():
    import datetime

    from evaluations.enums import InterviewWith, QuestionKind
    from evaluations.interviews import closure_interview_record
    from evaluations.services import closure_response_open, response_save

    pair = MentorshipFactory(
        closed=True, started_on=datetime.date(2025, 1, 6), ended_on=datetime.date(2025, 8, 29)
    )
    for user, words in ((pair.mentor.user, "Mots du mentor"), (pair.mentee.user, "Mots du jeune")):
        response = closure_response_open(mentorship=pair, author=user)
        answers = {
            q.pk: 4 if q.kind == QuestionKind.SCALE else q.choices[0] if q.choices else words
            for q in response.questionnaire.questions.all()
        }
        response_save(response=response, author=user, answers=answers, submit=True)
    closure_interview_record(
        mentorship=pair,
        recorded_by=make_coordinator(),
        held_on=datetime.date(2025, 9, 5),
        held_with=InterviewWith.BOTH,
        notes="Notes de l'entretien",
    )

    mentor = json.dumps(person_data(user=pair.mentor.user), ensure_ascii=False, default=str)
    mentee = json.dumps(person_data(user=pair.mentee.user), ensure_ascii=False, default=str)

    assert "Mots du mentor" in mentor and "Mots du jeune" not in mentor
    assert "Mots du jeune" in mentee and "Mots du mentor" not in mentee
    assert "Notes de l'entretien" in mentor and "Notes de l'entretien" in mentee


def _grow(pair, times: int):
    for _ in range(times):
        session = SessionFactory(mentorship=pair)
        SessionEvaluationFactory(session=session, side="mentee")


def test_the_page_shows_only_my_data_in_a_constant_number_of_queries(
    client, django_assert_num_queries
):
    pair = MentorshipFactory(active=True)
    respond(pair, Moment.START)
    other = MentorshipFactory(active=True, mentee__goals="Les objectifs de quelqu'un d'autre")
    user = pair.mentee.user
    client.force_login(user)
    _grow(pair, 1)
    # session, user, mentor, mentee, priority publics (with their names), pairs, sessions,
    # consents, screenings, exchanges, trainings, objectives, evaluations, follow-ups, closure
    # interviews, planned meetings, responses, answers (with their questions), reminders,
    # preferences, registration history, pairs history, django-axes' three logs,
    # second-factor devices; the trainings; the referral that brought them, a prescriber's
    # account; the trace of this access (insert).
    with django_assert_num_queries(29):
        client.get(MY_DATA)
    _grow(pair, 5)
    with django_assert_num_queries(29):
        response = client.get(MY_DATA)
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert user.email in html
    assert other.mentee.goals not in html
    assert other.mentee.user.email not in html


def _queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return len(captured.captured_queries)


def test_each_access_to_my_data_is_traced(client):
    mentee = MenteeFactory()
    client.force_login(mentee.user)

    client.get(MY_DATA)
    client.get(MY_DATA_JSON)

    traces = DataAccessRecord.objects.order_by("pk")
    assert [(t.person_id, t.accessed_by_id, t.format) for t in traces] == [
        (mentee.user.pk, mentee.user.pk, DataAccessFormat.PAGE),
        (mentee.user.pk, mentee.user.pk, DataAccessFormat.JSON),
    ]


def test_a_coordinators_export_is_traced_and_listed_for_coordinators(client):
    person = MenteeFactory().user
    coordinator = make_coordinator()
    client.force_login(coordinator)

    client.get(reverse("admin:privacy_person", args=[person.pk]))
    client.get(reverse("admin:privacy_person_export", args=[person.pk]))

    traces = DataAccessRecord.objects.order_by("pk")
    assert [(t.person_id, t.accessed_by_id, t.format) for t in traces] == [
        (person.pk, coordinator.pk, DataAccessFormat.PAGE),
        (person.pk, coordinator.pk, DataAccessFormat.JSON),
    ]
    trail = client.get(reverse("admin:privacy_dataaccessrecord_changelist"))
    assert trail.status_code == 200
    assert [t.pk for t in trail.context["cl"].result_list] == [t.pk for t in reversed(traces)]


def test_a_referents_refused_export_leaves_no_trace(client):
    person = MenteeFactory().user
    client.force_login(make_referent())
    assert client.get(reverse("admin:privacy_person", args=[person.pk])).status_code == 403
    assert not DataAccessRecord.objects.exists()


def test_the_download_is_an_attachment_of_my_own_data(client):
    mentee = MenteeFactory()
    client.force_login(mentee.user)
    response = client.get(MY_DATA_JSON)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"] == 'attachment; filename="mes-donnees.json"'
    data = json.loads(response.content)
    assert data["Compte"][0]["Adresse e-mail"] == mentee.user.email
    assert data["Inscription comme jeune"][0]["Objectifs"] == mentee.goals


def test_mon_espace_links_to_my_data(client):
    client.force_login(UserFactory())
    html = client.get(reverse("spaces:home")).content.decode()
    assert f'href="{MY_DATA}"' in html
    assert "Télécharger mes données" in html


@pytest.mark.parametrize("url", [MY_DATA, MY_DATA_JSON])
def test_logged_out_visitors_are_sent_to_the_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert reverse("login") in response.url


# The coordinators' export in the admin.


def test_a_coordinator_reads_and_downloads_a_persons_data(client, django_assert_num_queries):
    pair = MentorshipFactory(active=True)
    person = pair.mentee.user
    client.force_login(make_coordinator())
    url = reverse("admin:privacy_person", args=[person.pk])
    # The admin's own checks (session, user, staff roles, second factor) are the admin site's;
    # the person's sections are the same 21 queries as on « Mes données ».
    first = _queries(client, url)
    _grow(pair, 4)
    with django_assert_num_queries(first):
        page = client.get(url)
    html = page.content.decode()
    assert html.count("<h1") == 1
    assert person.email in html
    assert reverse("admin:privacy_person_export", args=[person.pk]) in html

    download = client.get(reverse("admin:privacy_person_export", args=[person.pk]))
    assert download["Content-Disposition"] == (
        f'attachment; filename="donnees-personnelles-{person.pk}.json"'
    )
    assert json.loads(download.content)["Compte"][0]["Adresse e-mail"] == person.email


def test_the_user_change_page_has_the_rgpd_buttons_for_coordinators(client):
    person = UserFactory()
    client.force_login(make_coordinator())
    html = client.get(reverse("admin:users_user_change", args=[person.pk])).content.decode()
    assert "Exporter les données (RGPD)" in html
    assert reverse("admin:privacy_person", args=[person.pk]) in html
    assert reverse("admin:privacy_person_anonymise", args=[person.pk]) in html


@pytest.mark.parametrize(
    ("factory", "admin_url"),
    [
        (MenteeFactory, "admin:mentees_mentee_change"),
        (MentorFactory, "admin:mentors_mentor_change"),
    ],
)
def test_the_registration_change_pages_have_the_rgpd_buttons(client, factory, admin_url):
    registration = factory()
    client.force_login(make_coordinator())
    html = client.get(reverse(admin_url, args=[registration.pk])).content.decode()
    assert reverse("admin:privacy_person", args=[registration.user_id]) in html
    assert reverse("admin:privacy_person_anonymise", args=[registration.user_id]) in html


def test_the_user_change_page_lists_the_consents_as_given(client):
    mentee = MenteeFactory()
    consent = Consent.objects.create(
        user=mentee.user,
        kind=ConsentKind.GUARDIAN,
        version="2026-01",
        given_by_name="Nadia Tuteur",
        given_by_email="nadia.tuteur@example.org",
    )
    client.force_login(make_coordinator())
    html = client.get(reverse("admin:users_user_change", args=[mentee.user_id])).content.decode()
    assert consent.get_kind_display() in html
    assert consent.version in html
    assert "Nadia Tuteur" in html


@pytest.mark.parametrize("name", ["privacy_person", "privacy_person_export"])
def test_a_referent_may_not_export_anybody(client, name):
    person = MenteeFactory().user
    client.force_login(make_referent())
    response = client.get(reverse(f"admin:{name}", args=[person.pk]))
    assert response.status_code == 403


def test_a_member_is_sent_to_the_admin_login(client):
    person = MenteeFactory().user
    client.force_login(UserFactory())
    response = client.get(reverse("admin:privacy_person_export", args=[person.pk]))
    assert response.status_code == 302
    assert "/admin/login/" in response.url


def test_an_unknown_person_is_not_found(client):
    client.force_login(make_coordinator())
    assert client.get(reverse("admin:privacy_person", args=[99999])).status_code == 404
