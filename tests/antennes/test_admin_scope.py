"""An antenne coordinator sees and acts in the admin only within their antenne: every list of
people or pairs shows their antenne's rows (none of the national programme's), any other
object's page answers 404 (change, history, delete), autocomplete and search are scoped, and
the lists cost the same queries as a national coordinator's. What is the national team's
(the antennes, the accounts, the prescribers' network, the login logs) is closed to them."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from evaluations.enums import InterviewWith, Moment, ResponseStatus
from evaluations.models import ClosureInterview, Questionnaire, Response
from mentees.models import Mentee
from mentorat.demo.factories import OrganisationFactory, ReferralFactory
from mentorat.privacy.enums import DataAccessFormat, ErasureReason
from mentorat.privacy.models import DataAccessRecord, ErasureRecord
from mentors.enums import ExchangeKind
from mentors.models import Exchange, TrainingSession
from prescribers.enums import ConsultedPage
from prescribers.models import ReferralConsultation
from reminders.enums import ReminderKind, ReminderStatus
from reminders.models import Reminder, ReminderPreference
from tests.antennes.factories import make_antenne
from tests.matching.factories import MentorshipFactory
from tests.mentees.factories import MenteeFactory
from tests.mentors.factories import (
    MentorFactory,
    TrainingRegistrationFactory,
    TrainingSessionFactory,
)
from tests.sessions.factories import PlannedMeetingFactory, SessionFactory
from tests.users.factories import OwedEmailFactory
from tests.users.staff import (
    login_staff,
    make_antenne_coordinator,
    make_antenne_referent,
    make_coordinator,
    make_referent,
)
from users.antennes import Antenne, AntenneMembership, AntenneMove
from users.enums import AntenneRole, ConsentKind
from users.models import AuthenticatorDevice, Consent

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 3, 2)

# Every scoped admin: (key of `rows_of`, app label, model name).
SCOPED = [
    ("mentor", "mentors", "mentor"),
    ("mentee", "mentees", "mentee"),
    ("pair", "matching", "mentorship"),
    ("session", "mentoring_sessions", "session"),
    ("planned", "mentoring_sessions", "plannedmeeting"),
    ("response", "evaluations", "response"),
    ("interview", "evaluations", "closureinterview"),
    ("exchange", "mentors", "exchange"),
    ("seat", "mentors", "trainingregistration"),
    ("training", "mentors", "trainingsession"),
    ("referral", "prescribers", "referral"),
    ("consultation", "prescribers", "referralconsultation"),
    ("consent", "users", "consent"),
    ("email", "users", "owedemail"),
    ("reminder", "reminders", "reminder"),
    ("preference", "reminders", "reminderpreference"),
    ("access", "privacy", "dataaccessrecord"),
    ("erasure", "privacy", "erasurerecord"),
    ("device", "users", "authenticatordevice"),
]
IDS = [key for key, _, _ in SCOPED]

# The national team's alone: absent from an antenne coordinator's index, 403 on their lists.
NATIONAL_ONLY = [
    "admin:users_antenne_changelist",
    "admin:users_antenne_add",
    "admin:users_antennemove_changelist",
    "admin:users_user_changelist",
    "admin:prescribers_organisation_changelist",
    "admin:prescribers_prescriber_changelist",
    "admin:axes_accessattempt_changelist",
    "admin:axes_accesslog_changelist",
    "admin:auth_group_changelist",
]


def rows_of(antenne: Antenne | None) -> dict:
    """One row of each scoped admin for the people of `antenne` (None: the national
    programme): a pair of the antenne and all that hangs on it."""
    mentor = MentorFactory(approved=True, antenne=antenne)
    mentee = MenteeFactory(approved=True, antenne=antenne)
    pair = MentorshipFactory(active=True, mentor=mentor, mentee=mentee)
    referent = make_antenne_referent(antenne) if antenne else make_referent()
    exchange = Exchange.objects.create(referent=referent, happened_on=DAY, kind=ExchangeKind.NOTE)
    exchange.mentors.add(mentor)
    training = TrainingSessionFactory(antenne=antenne)
    referral = ReferralFactory(mentee=mentee, registered_at=timezone.now())
    return {
        "mentor": mentor,
        "mentee": mentee,
        "pair": pair,
        "session": SessionFactory(mentorship=pair),
        "planned": PlannedMeetingFactory(mentorship=pair),
        "response": Response.objects.create(
            mentorship=pair,
            moment=Moment.START,
            questionnaire=Questionnaire.objects.current().get(),
            status=ResponseStatus.SUBMITTED,
            submitted_at=timezone.now(),
        ),
        "interview": ClosureInterview.objects.create(
            mentorship=pair, held_on=DAY, held_with=InterviewWith.BOTH, recorded_by=referent
        ),
        "exchange": exchange,
        "seat": TrainingRegistrationFactory(mentor=mentor, session=training),
        "training": training,
        "referral": referral,
        "consultation": ReferralConsultation.objects.create(
            referral=referral, consulted_by=referral.prescriber.user, page=ConsultedPage.DETAIL
        ),
        "consent": Consent.objects.create(
            user=mentee.user,
            kind=ConsentKind.PRIVACY_NOTICE,
            version="2026-01",
            given_by_name="Le jeune",
        ),
        "email": OwedEmailFactory(failed=True, recipient=mentor.user),
        "reminder": Reminder.objects.create(
            kind=ReminderKind.MEETING_DUE_SOON,
            target=f"pair:{pair.pk}",
            recipient=mentor.user,
            recipient_email=mentor.user.email,
            period="2026-W10",
            status=ReminderStatus.SENT,
            sent_at=timezone.now(),
        ),
        "preference": ReminderPreference.objects.create(user=mentee.user),
        "access": DataAccessRecord.objects.create(
            person_id=mentee.user_id, format=DataAccessFormat.PAGE
        ),
        "erasure": ErasureRecord.objects.create(
            person_id=mentor.user_id, reason=ErasureReason.REQUEST
        ),
        "device": AuthenticatorDevice.objects.create(
            user=referent, name="Téléphone", confirmed=True
        ),
    }


@pytest.fixture
def lyon():
    return make_antenne("Lyon", ["69"])


@pytest.fixture
def lille():
    return make_antenne("Lille", ["59"])


@pytest.fixture
def ours(lyon):
    return rows_of(lyon)


@pytest.fixture
def theirs(lille):
    return rows_of(lille)


@pytest.fixture
def national():
    return rows_of(None)


@pytest.fixture
def lyon_coordinator(client, lyon):
    user = make_antenne_coordinator(lyon)
    login_staff(client, user)
    return user


def url(app: str, model: str, page: str, *args) -> str:
    return reverse(f"admin:{app}_{model}_{page}", args=args)


def listed(client, app, model, **params) -> set:
    response = client.get(url(app, model, "changelist"), params)
    assert response.status_code == 200
    return {obj.pk for obj in response.context["cl"].result_list}


def devices_of(user) -> set:
    return set(AuthenticatorDevice.objects.filter(user=user).values_list("pk", flat=True))


def changelist_queries(client, app, model) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url(app, model, "changelist")).status_code == 200
    return len(queries)


# --- Lists ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("key", "app", "model"), SCOPED, ids=IDS)
def test_an_antenne_coordinator_lists_only_their_antennes_rows(
    client, lyon_coordinator, ours, theirs, national, key, app, model
):
    expected = {ours[key].pk}
    if key == "training":
        # A national session is open to every mentor: each antenne sees it.
        expected.add(national[key].pk)
    if key == "device":
        # The coordinator is of the antenne's team too.
        expected |= devices_of(lyon_coordinator)

    assert listed(client, app, model) == expected


@pytest.mark.parametrize(("key", "app", "model"), SCOPED, ids=IDS)
def test_a_national_coordinator_lists_every_antennes_rows_and_the_national_ones(
    client, ours, theirs, national, key, app, model
):
    coordinator = make_coordinator()
    login_staff(client, coordinator)
    expected = {ours[key].pk, theirs[key].pk, national[key].pk}
    if key == "device":
        expected |= devices_of(coordinator)

    assert listed(client, app, model) == expected


@pytest.mark.parametrize(("key", "app", "model"), SCOPED, ids=IDS)
def test_the_lists_cost_an_antenne_coordinator_the_queries_of_a_national_one_whatever_their_size(
    client, lyon, lille, lyon_coordinator, key, app, model
):
    national_client = login_staff(Client(), make_coordinator())
    for antenne in (lyon, lille, None):
        rows_of(antenne)
    clients = [client, national_client]
    small = [changelist_queries(each, app, model) for each in clients]
    for antenne in (lyon, lille, None, lyon, lille, None):
        rows_of(antenne)
    large = [changelist_queries(each, app, model) for each in clients]

    assert small == large == [small[0], small[0]]


def test_search_finds_nobody_of_another_antenne(client, lyon_coordinator, ours, theirs):
    found = listed(client, "mentors", "mentor", q=theirs["mentor"].user.last_name)

    assert theirs["mentor"].pk not in found


# --- Another antenne's objects ----------------------------------------------------------------


@pytest.mark.parametrize(("key", "app", "model"), SCOPED, ids=IDS)
def test_another_antennes_object_and_a_national_one_answer_404_on_every_page(
    client, lyon_coordinator, ours, theirs, national, key, app, model
):
    outside = [theirs[key]] if key == "training" else [theirs[key], national[key]]
    # The delete page asks the permission first: a list nobody deletes from answers 403 for
    # any object, ours or not; the others, 404 as for an object that does not exist.
    delete_missing = client.get(url(app, model, "delete", 999_999)).status_code
    for obj in outside:
        for page in ("change", "history"):
            assert client.get(url(app, model, page, obj.pk)).status_code == 404, (page, obj)
        assert client.get(url(app, model, "delete", obj.pk)).status_code == delete_missing

    assert delete_missing in {403, 404}
    assert client.get(url(app, model, "change", ours[key].pk)).status_code == 200
    assert client.get(url(app, model, "history", ours[key].pk)).status_code == 200


def test_another_antennes_person_cannot_be_deleted(client, lyon_coordinator, ours, theirs):
    for model in ("mentor", "mentee"):
        delete = url(f"{model}s", model, "delete", theirs[model].pk)

        assert client.get(delete).status_code == 404
        assert client.post(delete, {"post": "yes"}).status_code == 404
        assert client.get(url(f"{model}s", model, "delete", ours[model].pk)).status_code == 200


@pytest.mark.parametrize("view", ["approve", "reject", "antenne"])
@pytest.mark.parametrize("model", ["mentor", "mentee"])
def test_the_review_and_move_pages_of_another_antennes_person_answer_404(
    client, lyon_coordinator, ours, theirs, national, model, view
):
    app = f"{model}s"
    for obj in (theirs[model], national[model]):
        assert client.get(url(app, model, view, obj.pk)).status_code in {404, 405}
        assert client.post(url(app, model, view, obj.pk)).status_code == 404


def test_the_publics_of_another_antennes_young_person_cannot_be_changed(
    client, lyon_coordinator, theirs
):
    mentee = theirs["mentee"]

    response = client.post(url("mentees", "mentee", "publics", mentee.pk), {"tout_confirmer": "1"})

    assert response.status_code == 404


def test_an_action_on_a_forged_selection_leaves_another_antennes_people_alone(
    client, lyon_coordinator, theirs
):
    mentee = MenteeFactory(antenne=theirs["mentee"].antenne)

    client.post(
        url("mentees", "mentee", "changelist"),
        {"action": "approve_selected", "_selected_action": [mentee.pk]},
    )

    mentee.refresh_from_db()
    assert mentee.status != "approved"


# --- Autocomplete and the choices of related fields --------------------------------------------


def autocomplete_ids(client, model: str, field: str, term: str = "") -> set:
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "mentors", "model_name": model, "field_name": field, "term": term},
    )
    assert response.status_code == 200
    return {int(result["id"]) for result in response.json()["results"]}


@pytest.mark.parametrize(
    ("model", "field"), [("exchange", "mentors"), ("trainingregistration", "mentor")]
)
def test_autocomplete_offers_the_antennes_mentors_only(
    client, lyon_coordinator, ours, theirs, national, model, field
):
    theirs["mentor"].user.last_name = "Marqueurdelille"
    theirs["mentor"].user.save()

    assert autocomplete_ids(client, model, field) == {ours["mentor"].pk}
    assert autocomplete_ids(client, model, field, "Marqueurdelille") == set()


def test_a_national_coordinators_autocomplete_offers_every_mentor(client, ours, theirs, national):
    login_staff(client, make_coordinator())

    assert autocomplete_ids(client, "exchange", "mentors") == {
        rows["mentor"].pk for rows in (ours, theirs, national)
    }


def test_a_seat_for_another_antennes_mentor_is_refused_beside_the_field(
    client, lyon_coordinator, ours, theirs
):
    response = client.post(
        url("mentors", "trainingregistration", "add"),
        {"session": ours["training"].pk, "mentor": theirs["mentor"].pk, "attended": "unknown"},
    )

    assert response.status_code == 200
    assert "mentor" in response.context["adminform"].form.errors
    assert not theirs["mentor"].training_registrations.filter(session=ours["training"]).exists()


def test_an_exchange_keeps_the_attendees_of_another_antenne_when_an_antenne_coordinator_saves_it(
    client, lyon_coordinator, ours, theirs
):
    exchange = ours["exchange"]
    exchange.mentors.add(theirs["mentor"])
    # Written by a référent of the national team, who follows mentors of several antennes.
    exchange.referent = make_referent()
    exchange.save()
    # A name found nowhere else on the page.
    theirs["mentor"].user.last_name = "Marqueurdelille"
    theirs["mentor"].user.save()
    change = url("mentors", "exchange", "change", exchange.pk)
    page = client.get(change)
    assert "Marqueurdelille" not in page.content.decode()

    response = client.post(
        change,
        {
            "referent": exchange.referent_id,
            "mentors": [ours["mentor"].pk],
            "happened_on": "02/03/2026",
            "kind": ExchangeKind.CALL,
            "note": "Point téléphonique.",
        },
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    exchange.refresh_from_db()
    assert exchange.kind == ExchangeKind.CALL
    assert set(exchange.mentors.all()) == {ours["mentor"], theirs["mentor"]}


def test_an_antenne_coordinator_gives_a_mentor_a_referent_of_their_antenne_only(
    client, lyon, lille, lyon_coordinator, ours
):
    ours_referent = make_antenne_referent(lyon)
    make_antenne_referent(lille)
    make_referent()

    page = client.get(url("mentors", "mentor", "change", ours["mentor"].pk))

    offered = {user.pk for user in page.context["adminform"].form.fields["referent"].queryset}
    team = AntenneMembership.objects.filter(antenne=lyon, role=AntenneRole.REFERENT)
    assert offered == set(team.values_list("user_id", flat=True))
    assert ours_referent.pk in offered


# --- Training sessions ------------------------------------------------------------------------


def session_form(**overrides) -> dict:
    data = {
        "kind": "initial",
        "title": "Formation initiale (Lyon)",
        "starts_at_0": "15/06/2026",
        "starts_at_1": "14:00",
        "duration_minutes": "180",
        "place": "Maison des associations, Lyon 3e",
        "video_link": "",
        "capacity": "15",
        "registrations-TOTAL_FORMS": "0",
        "registrations-INITIAL_FORMS": "0",
        "registrations-MIN_NUM_FORMS": "0",
        "registrations-MAX_NUM_FORMS": "1000",
    }
    return data | overrides


def test_an_antenne_coordinator_plans_a_session_for_their_antenne(
    client, lyon, lille, lyon_coordinator
):
    page = client.get(url("mentors", "trainingsession", "add"))
    field = page.context["adminform"].form.fields["antenne"]
    assert list(field.queryset) == [lyon]

    response = client.post(url("mentors", "trainingsession", "add"), session_form(antenne=lyon.pk))

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert TrainingSession.objects.get().antenne == lyon


def test_an_antenne_coordinator_cannot_plan_a_national_session_nor_another_antennes(
    client, lyon, lille, lyon_coordinator
):
    for antenne in ("", lille.pk):
        response = client.post(
            url("mentors", "trainingsession", "add"), session_form(antenne=antenne)
        )
        assert response.status_code == 200
        assert "antenne" in response.context["adminform"].form.errors
    assert not TrainingSession.objects.exists()


def test_an_antenne_coordinator_reads_a_national_session_without_changing_it(
    client, lyon_coordinator, ours, national
):
    session = national["training"]
    change = url("mentors", "trainingsession", "change", session.pk)

    page = client.get(change)
    posted = client.post(change, session_form(title="Renommée"))

    assert page.status_code == 200
    assert page.context["has_change_permission"] is False
    assert posted.status_code == 403
    session.refresh_from_db()
    assert session.title != "Renommée"
    assert client.post(url("mentors", "trainingsession", "delete", session.pk)).status_code == 403


def test_an_antenne_coordinator_reads_on_a_national_session_the_seats_of_their_mentors_only(
    client, lyon_coordinator, ours, theirs, national
):
    session = national["training"]
    for rows in (ours, theirs):
        TrainingRegistrationFactory(mentor=rows["mentor"], session=session)

    page = client.get(url("mentors", "trainingsession", "change", session.pk))

    [inline] = page.context["inline_admin_formsets"]
    assert {form.instance.mentor for form in inline.formset.forms} == {ours["mentor"]}


def test_a_national_coordinator_plans_a_national_session(client):
    login_staff(client, make_coordinator())

    response = client.post(url("mentors", "trainingsession", "add"), session_form(antenne=""))

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert TrainingSession.objects.get().antenne is None


def test_a_mentor_is_offered_the_national_sessions_and_their_antennes(
    client, lyon, lille, ours, theirs, national
):
    client.force_login(ours["mentor"].user)

    page = client.get(reverse("spaces:trainings"))

    assert page.status_code == 200
    assert {session.pk for session in page.context["coming"]} == {
        ours["training"].pk,
        national["training"].pk,
    }


def test_a_mentor_cannot_sign_up_for_another_antennes_session(client, ours, theirs):
    client.force_login(ours["mentor"].user)

    response = client.post(reverse("spaces:training_sign_up", args=[theirs["training"].pk]))

    assert response.status_code == 404
    assert not theirs["training"].registrations.filter(mentor=ours["mentor"]).exists()


# --- The national team's admins ---------------------------------------------------------------


@pytest.mark.parametrize("name", NATIONAL_ONLY)
def test_the_national_teams_admins_are_closed_to_an_antenne_coordinator(
    client, lyon_coordinator, name
):
    assert client.get(reverse(name)).status_code == 403


def test_the_antennes_are_absent_from_an_antenne_coordinators_index(client, lyon_coordinator):
    page = client.get(reverse("admin:index"))

    models = {model["object_name"] for app in page.context["app_list"] for model in app["models"]}
    assert models.isdisjoint(
        {"Antenne", "AntenneMove", "User", "Organisation", "Prescriber", "AccessAttempt"}
    )
    assert {"Mentor", "Mentee", "Mentorship", "TrainingSession"} <= models


def test_a_national_coordinator_opens_the_antennes(client, lyon, ours):
    login_staff(client, make_coordinator())

    assert client.get(reverse("admin:users_antenne_changelist")).status_code == 200
    assert client.get(url("users", "antenne", "change", lyon.pk)).status_code == 200
    assert client.get(reverse("admin:users_antennemove_changelist")).status_code == 200


def test_an_antenne_coordinator_cannot_open_their_own_antennes_page(client, lyon, lyon_coordinator):
    assert client.get(url("users", "antenne", "change", lyon.pk)).status_code == 403


@pytest.mark.parametrize(
    ("app", "model"), [("evaluations", "questionnaire"), ("mentees", "prioritypublic")]
)
def test_the_programmes_lists_are_read_only_for_an_antenne_coordinator(
    client, lyon_coordinator, app, model
):
    page = client.get(url(app, model, "changelist"))

    assert page.status_code == 200
    assert client.get(url(app, model, "add")).status_code == 403
    obj = page.context["cl"].result_list[0]
    assert client.get(url(app, model, "change", obj.pk)).context["has_change_permission"] is False


def test_the_priority_publics_count_the_antennes_young_people_only(
    client, lyon_coordinator, ours, theirs
):
    from mentees.models import PriorityMark, PriorityPublic

    public = PriorityPublic.objects.order_by("pk").first()
    for rows in (ours, theirs):
        PriorityMark.objects.create(mentee=rows["mentee"], public=public)

    page = client.get(url("mentees", "prioritypublic", "changelist"))

    [row] = [obj for obj in page.context["cl"].result_list if obj.pk == public.pk]
    assert row.marks_count == 1


# --- The team of an antenne -------------------------------------------------------------------


def membership_form(antenne: Antenne, user, role: str) -> dict:
    return {
        "name": antenne.name,
        "departments_covered": list(antenne.departments.values_list("department", flat=True)),
        "contact_email": antenne.contact_email,
        "memberships-TOTAL_FORMS": "1",
        "memberships-INITIAL_FORMS": "0",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
        "memberships-0-user": str(user.pk),
        "memberships-0-role": role,
    }


@pytest.fixture
def national_coordinator(client):
    user = make_coordinator()
    login_staff(client, user)
    return user


def test_the_coordination_of_an_antenne_is_refused_to_somebody_not_in_the_coordinators_group(
    client, national_coordinator, lyon
):
    referent = make_referent(first_name="Inès", last_name="Morel")

    response = client.post(
        url("users", "antenne", "change", lyon.pk),
        membership_form(lyon, referent, AntenneRole.COORDINATOR),
    )

    assert response.status_code == 200
    [formset] = response.context["inline_admin_formsets"]
    assert formset.formset.forms[0].errors["role"] == [
        "Inès Morel n'est pas dans le groupe des coordinateurs : la coordination d'une antenne "
        "en a les droits. Ajoutez d'abord ce groupe à son compte (« Utilisateurs »), ou "
        "choisissez « Référent »."
    ]
    assert not AntenneMembership.objects.filter(user=referent).exists()


def test_a_coordinator_placed_as_a_referent_of_an_antenne_is_refused(
    client, national_coordinator, lyon
):
    coordinator = make_coordinator(first_name="Paul", last_name="Roux")

    response = client.post(
        url("users", "antenne", "change", lyon.pk),
        membership_form(lyon, coordinator, AntenneRole.REFERENT),
    )

    assert response.status_code == 200
    [formset] = response.context["inline_admin_formsets"]
    assert "Choisissez « Coordination de l'antenne »" in formset.formset.forms[0].errors["role"][0]


def test_a_coordinator_is_given_the_coordination_of_an_antenne(client, national_coordinator, lyon):
    coordinator = make_coordinator()

    response = client.post(
        url("users", "antenne", "change", lyon.pk),
        membership_form(lyon, coordinator, AntenneRole.COORDINATOR),
    )

    assert response.status_code == 302
    assert coordinator.antenne_membership.role == AntenneRole.COORDINATOR


# --- Handing a person over to another antenne -------------------------------------------------


def test_an_antenne_coordinator_hands_a_young_person_over_to_another_antenne(
    client, lyon, lille, lyon_coordinator, ours
):
    mentee = ours["mentee"]
    move = url("mentees", "mentee", "antenne", mentee.pk)
    assert "ne fait plus partie de votre antenne" in client.get(move).content.decode()

    response = client.post(move, {"antenne": lille.pk, "reason": "Déménagement à Lille"})

    assert response.status_code == 302
    assert response.url == reverse("admin:mentees_mentee_changelist")
    assert Mentee.objects.get(pk=mentee.pk).antenne == lille
    assert AntenneMove.objects.get().moved_by == lyon_coordinator
    assert client.get(url("mentees", "mentee", "change", mentee.pk)).status_code == 404


def test_an_antenne_coordinator_cannot_move_another_antennes_person(
    client, lyon, lyon_coordinator, theirs
):
    mentor = theirs["mentor"]

    response = client.post(
        url("mentors", "mentor", "antenne", mentor.pk), {"antenne": lyon.pk, "reason": "Pour voir"}
    )

    assert response.status_code == 404
    mentor.refresh_from_db()
    assert mentor.antenne == theirs["mentor"].antenne
    assert not AntenneMove.objects.exists()


# --- Referrals before the young person registers ------------------------------------------------


def test_a_referral_not_yet_registered_is_the_antenne_of_its_organisations_departement(
    client, lyon_coordinator
):
    in_lyon = ReferralFactory(prescriber__organisation=OrganisationFactory(department="69"))
    ReferralFactory(prescriber__organisation=OrganisationFactory(department="59"))
    ReferralFactory(prescriber__organisation=OrganisationFactory(department="93"))

    assert listed(client, "prescribers", "referral") == {in_lyon.pk}
