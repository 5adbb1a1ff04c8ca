"""An antenne's coordination acts only within its antenne (issue 17): every service check that
said « the pair's référent or a coordinator » now says « the pair's référent, or a coordinator
whose scope holds the pair » (the national coordination: every pair; an antenne's: a pair whose
young person or mentor is of the antenne). A coordinator of another antenne is refused by the
services and finds nothing on the pages (404); the référent keeps their rights, whatever
their antenne."""

import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evaluations.enums import InterviewWith, Moment, ResponseStatus
from evaluations.interviews import InterviewError, closure_interview_record
from evaluations.models import ClosureInterview, Response
from evaluations.services import QuestionnaireError, response_mark_read, response_reopen
from matching.enums import CloseReason
from matching.services import PairRuleError
from mentorat.demo.factories import PrescriberFactory
from mentorat.privacy.access import persons_within
from mentorat.privacy.erasure import ErasureError, is_anonymised, person_anonymise
from mentorat.privacy.models import DataAccessRecord
from mentors.errors import MentorError
from mentors.services import mentor_assign_referent, referent_assignment_refusal
from mentors.services_training import training_attendance_record
from sessions import services as session_services
from sessions.models import FollowUp, Session
from tests.antennes.factories import make_antenne
from tests.matching.factories import MentorshipFactory
from tests.mentees.factories import MenteeFactory
from tests.mentors.factories import MentorFactory, TrainingRegistrationFactory
from tests.sessions.factories import SessionFactory
from tests.spaces.questionnaires import respond
from tests.users.staff import (
    login_staff,
    make_antenne_coordinator,
    make_antenne_referent,
    make_coordinator,
    make_referent,
)
from users.antennes import AntenneMove
from users.scopes import may_act_on, staff_scope
from users.services import AntenneError, RegistrationError, registration_move_antenne
from users.two_factor import second_factor_required

pytestmark = pytest.mark.django_db

STARTED, ENDED = datetime.date(2025, 3, 3), datetime.date(2025, 10, 15)
HELD = datetime.date(2025, 10, 20)


@pytest.fixture
def lyon():
    return make_antenne("Lyon", ["69"])


@pytest.fixture
def lille():
    return make_antenne("Lille", ["59"])


@pytest.fixture
def staff(lyon, lille):
    """Who may and who may not: the coordination of the pair's antenne, of another one, the
    national coordination, and the pair's référent (of the antenne)."""
    return {
        "ours": make_antenne_coordinator(lyon, first_name="Léa"),
        "theirs": make_antenne_coordinator(lille, first_name="Louis"),
        "national": make_coordinator(first_name="Nadia"),
        "referent": make_antenne_referent(lyon, first_name="Rémi"),
    }


def in_lyon(lyon, referent, **traits):
    """A pair of the Lyon antenne: its young person and its mentor there."""
    return MentorshipFactory(
        mentor__antenne=lyon, mentee__antenne=lyon, mentor__referent=referent, **traits
    )


@pytest.fixture
def pair(lyon, staff):
    return in_lyon(lyon, staff["referent"], active=True)


@pytest.fixture
def closed(lyon, staff):
    return in_lyon(
        lyon,
        staff["referent"],
        closed=True,
        started_on=STARTED,
        ended_on=ENDED,
        close_reason=CloseReason.UNREACHABLE,
    )


# Who may act on a pair of Lyon, for the checks the référent shares (follow-ups, closure
# interview, reading a questionnaire first), and for those of the coordination alone.
SHARED = [("ours", True), ("theirs", False), ("national", True), ("referent", True)]
COORDINATION = [("ours", True), ("theirs", False), ("national", True), ("referent", False)]


# --- The rule (users.scopes.may_act_on)


def test_a_pair_across_two_antennes_is_in_both_coordinations_scopes(lyon, lille, staff):
    across = MentorshipFactory(active=True, mentor__antenne=lille, mentee__antenne=lyon)
    national = MentorshipFactory(active=True)

    for who in ("ours", "theirs", "national"):
        assert session_services.may_follow_up(across, staff[who])
    assert session_services.may_follow_up(national, staff["national"])
    assert not session_services.may_follow_up(national, staff["ours"])


def test_the_antennes_are_read_only_for_an_antenne_coordinator(staff):
    def unread():
        raise AssertionError("read for nobody but an antenne coordinator")

    assert may_act_on(staff["national"], antenne_ids=unread)
    assert not may_act_on(make_referent(), antenne_ids=unread)
    referent = staff["referent"]
    assert may_act_on(referent, referent_id=referent.pk, antenne_ids=unread)
    assert may_act_on(
        staff["ours"], antenne_ids=lambda: (None, staff["ours"].antenne_membership.antenne_id)
    )


def test_the_pairs_referent_follows_it_whatever_their_antenne(lille):
    referent = make_antenne_referent(lille)
    pair = MentorshipFactory(active=True, mentor__referent=referent)

    assert session_services.may_follow_up(pair, referent)


# --- Sessions: follow-up and deletion


@pytest.mark.parametrize(("who", "allowed"), SHARED)
def test_who_follows_up_a_session(pair, staff, who, allowed):
    session = SessionFactory(mentorship=pair)

    def follow_up():
        return session_services.session_follow_up(session=session, referent=staff[who])

    if allowed:
        assert follow_up().reviewed_by == staff[who]
    else:
        with pytest.raises(PairRuleError):
            follow_up()
        assert not FollowUp.objects.exists()


@pytest.mark.parametrize(("who", "allowed"), COORDINATION)
def test_who_deletes_a_session(pair, staff, who, allowed):
    session = SessionFactory(mentorship=pair)

    def delete():
        session_services.session_delete(session=session, deleted_by=staff[who])

    if allowed:
        delete()
        assert not Session.objects.exists()
    else:
        with pytest.raises(PairRuleError) as refused:
            delete()
        assert refused.value.errors == {None: "Seule la coordination peut supprimer une séance."}
        assert Session.objects.filter(pk=session.pk).exists()


def test_the_antennes_coordinator_follows_up_from_the_session_page(client, pair, staff):
    session = SessionFactory(mentorship=pair)
    url = reverse("sessions:follow_up", args=[session.pk])
    login_staff(client, staff["ours"])

    assert url in client.get(reverse("sessions:detail", args=[session.pk])).content.decode()
    sent = client.post(url, {"reviewed": "on", "comment": "Vu en réunion d'antenne."})

    assert sent.status_code == 302
    assert FollowUp.objects.get(session=session).reviewed_by == staff["ours"]


def test_another_antennes_coordinator_cannot_follow_up_from_the_page(client, pair, staff):
    session = SessionFactory(mentorship=pair)
    login_staff(client, staff["theirs"])

    # 403 while the pair itself is visible to every coordinator; 404 once
    # matching.selectors.mentorships_visible_to reads the scope too.
    sent = client.post(reverse("sessions:follow_up", args=[session.pk]), {"reviewed": "on"})

    assert sent.status_code in (403, 404)
    assert not FollowUp.objects.exists()


# --- The closure interview: service and page


def record(pair, by):
    return closure_interview_record(
        mentorship=pair, recorded_by=by, held_on=HELD, held_with=InterviewWith.BOTH, notes="Bilan."
    )


@pytest.mark.parametrize(("who", "allowed"), SHARED)
def test_who_records_the_closure_interview(closed, staff, who, allowed):
    if allowed:
        assert record(closed, staff[who]).recorded_by == staff[who]
    else:
        with pytest.raises(InterviewError) as refused:
            record(closed, staff[who])
        assert refused.value.errors == {
            None: "Seuls le référent du binôme et la coordination notent l'entretien de fin."
        }
        assert not ClosureInterview.objects.exists()


def interview_page(pair):
    return reverse("admin:closure_interview", args=[pair.pk])


@pytest.mark.parametrize(("who", "allowed"), SHARED)
def test_who_finds_the_closure_interview_page(client, closed, staff, who, allowed):
    login_staff(client, staff[who])

    page = client.get(interview_page(closed))
    sent = client.post(interview_page(closed), {"held_on": "2025-10-20", "held_with": "both"})

    assert (page.status_code, sent.status_code) == ((200, 302) if allowed else (404, 404))
    assert ClosureInterview.objects.exists() == allowed


def test_the_closure_interview_page_costs_the_same_for_an_antenne_coordinator(
    client, lyon, closed, staff, django_assert_num_queries
):
    """Its queries: the admin's (session, user, second factor, the scope read once for the
    navigation and the lookup), the pair, its interview and versions, the closure answers."""
    login_staff(client, staff["national"])
    national = len(_queries(client, interview_page(closed)))
    login_staff(client, staff["ours"])
    ours = len(_queries(client, interview_page(closed)))
    # More pairs, here and elsewhere, change nothing.
    for _ in range(3):
        in_lyon(lyon, staff["referent"], closed=True, started_on=STARTED, ended_on=ENDED)
        MentorshipFactory(closed=True, started_on=STARTED, ended_on=ENDED)

    with django_assert_num_queries(ours):
        assert client.get(interview_page(closed)).status_code == 200
    assert ours == national


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return queries


# --- Questionnaires: the first staff reader, the reopening


@pytest.mark.parametrize(("who", "allowed"), SHARED)
def test_who_marks_a_questionnaire_read(pair, staff, who, allowed):
    submitted = respond(pair, Moment.START)

    assert response_mark_read(response=submitted, reader=staff[who]) is allowed
    assert Response.objects.unread().exists() is not allowed


@pytest.mark.parametrize(("who", "allowed"), COORDINATION)
def test_who_reopens_a_questionnaire(pair, staff, who, allowed):
    submitted = respond(pair, Moment.START)

    if allowed:
        assert response_reopen(response=submitted, reopened_by=staff[who]).reopened_by == staff[who]
    else:
        with pytest.raises(QuestionnaireError):
            response_reopen(response=submitted, reopened_by=staff[who])
    submitted.refresh_from_db()
    assert (submitted.status == ResponseStatus.DRAFT) is allowed


# --- Mentors: the training attendance, the référent


@pytest.mark.parametrize(("who", "allowed"), SHARED)
def test_who_records_a_lyon_mentors_attendance(lyon, staff, who, allowed):
    seat = TrainingRegistrationFactory(
        session__past=True, mentor__antenne=lyon, mentor__referent=staff["referent"]
    )

    if allowed:
        training_attendance_record(registration=seat, attended=True, recorded_by=staff[who])
    else:
        with pytest.raises(MentorError, match="que des mentors que vous suivez"):
            training_attendance_record(registration=seat, attended=True, recorded_by=staff[who])
    seat.refresh_from_db()
    assert seat.attended is (True if allowed else None)


def test_an_antennes_mentor_gets_a_referent_of_their_antenne(lyon, lille, staff):
    mentor = MentorFactory(approved=True, antenne=lyon, user__first_name="Inès")

    mentor_assign_referent(mentor=mentor, referent=staff["referent"], assigned_by=staff["ours"])

    mentor.refresh_from_db()
    assert mentor.referent == staff["referent"]


@pytest.mark.parametrize("where", ["lille", "national"])
def test_a_referent_of_another_antenne_or_the_national_team_is_refused_in_french(
    lyon, lille, staff, where
):
    mentor = MentorFactory(
        approved=True, antenne=lyon, user__first_name="Inès", user__last_name="Bernard"
    )
    other = make_antenne_referent(lille, first_name="Paul", last_name="Martin")
    referent = other if where == "lille" else make_referent(first_name="Paul", last_name="Martin")

    refusal = referent_assignment_refusal(mentor=mentor, referent=referent)
    with pytest.raises(RegistrationError) as refused:
        mentor_assign_referent(mentor=mentor, referent=referent, assigned_by=staff["national"])

    assert (
        refusal
        == str(refused.value)
        == (
            "Inès Bernard fait partie de l'antenne Lyon : choisissez un référent de cette antenne "
            "(Paul Martin n'en est pas)."
        )
    )
    mentor.refresh_from_db()
    assert mentor.referent is None


def test_a_national_mentor_may_have_any_referent(lyon):
    mentor = MentorFactory(approved=True, antenne=None)

    assert referent_assignment_refusal(mentor=mentor, referent=make_antenne_referent(lyon)) is None
    assert referent_assignment_refusal(mentor=mentor, referent=make_referent()) is None


@pytest.mark.parametrize(("who", "allowed"), COORDINATION)
def test_who_assigns_a_lyon_mentors_referent(lyon, staff, who, allowed):
    mentor = MentorFactory(approved=True, antenne=lyon, user__first_name="Inès")
    referent = make_antenne_referent(lyon)

    if allowed:
        mentor_assign_referent(mentor=mentor, referent=referent, assigned_by=staff[who])
    else:
        with pytest.raises(RegistrationError, match="seule la coordination de son antenne"):
            mentor_assign_referent(mentor=mentor, referent=referent, assigned_by=staff[who])
    mentor.refresh_from_db()
    assert (mentor.referent == referent) is allowed


# --- Antenne moves


@pytest.mark.parametrize(("who", "allowed"), COORDINATION)
def test_who_moves_a_lyon_young_person(lyon, lille, staff, who, allowed):
    mentee = MenteeFactory(antenne=lyon)

    def move():
        return registration_move_antenne(
            registration=mentee, antenne=lille, moved_by=staff[who], reason="Déménage à Lille"
        )

    if allowed:
        assert move().to_antenne == lille
    else:
        with pytest.raises(AntenneError, match="Seule la coordination de son antenne"):
            move()
        assert not AntenneMove.objects.exists()
    mentee.refresh_from_db()
    assert mentee.antenne == (lille if allowed else lyon)


def test_only_the_national_coordination_moves_a_person_of_the_national_programme(lyon, staff):
    mentee = MenteeFactory(antenne=None)

    with pytest.raises(AntenneError):
        registration_move_antenne(
            registration=mentee, antenne=lyon, moved_by=staff["ours"], reason="Vit à Lyon"
        )
    registration_move_antenne(
        registration=mentee, antenne=lyon, moved_by=staff["national"], reason="Vit à Lyon"
    )

    mentee.refresh_from_db()
    assert mentee.antenne == lyon


# --- RGPD: a person's data and their anonymisation


def rgpd_urls(person):
    return [
        reverse(name, args=[person.pk])
        for name in ("admin:privacy_person", "admin:privacy_person_export")
    ]


@pytest.mark.parametrize(("who", "found"), [("ours", True), ("theirs", False), ("national", True)])
def test_who_reads_and_exports_a_lyon_persons_data(client, lyon, staff, who, found):
    person = MenteeFactory(antenne=lyon).user
    login_staff(client, staff[who])

    statuses = [client.get(url).status_code for url in rgpd_urls(person)]

    assert statuses == ([200, 200] if found else [404, 404])
    assert DataAccessRecord.objects.filter(person_id=person.pk).count() == (2 if found else 0)


def test_a_mentor_of_the_antenne_is_in_its_scope_and_the_rest_is_the_national_teams(
    lyon, lille, staff
):
    mentor = MentorFactory(antenne=lyon).user
    elsewhere = MentorFactory(antenne=lille).user
    national = MenteeFactory(antenne=None).user
    prescriber = PrescriberFactory().user

    ours = set(persons_within(staff_scope(staff["ours"])))
    everybody = set(persons_within(staff_scope(staff["national"])))

    assert mentor in ours
    assert not {elsewhere, national, prescriber, staff["ours"]} & ours
    assert {mentor, elsewhere, national, prescriber} <= everybody
    assert not persons_within(staff_scope(staff["referent"])).exists()


def test_the_data_page_costs_the_same_for_an_antenne_coordinator(client, lyon, staff):
    person = MenteeFactory(antenne=lyon).user
    url = reverse("admin:privacy_person", args=[person.pk])

    login_staff(client, staff["national"])
    national = len(_queries(client, url))
    login_staff(client, staff["ours"])

    assert len(_queries(client, url)) == national
    download = client.get(reverse("admin:privacy_person_export", args=[person.pk]))
    assert json.loads(download.content)["Compte"][0]["Adresse e-mail"] == person.email


@pytest.mark.parametrize(
    ("who", "allowed"), [("ours", True), ("theirs", False), ("national", True)]
)
def test_who_anonymises_a_lyon_person(client, lyon, staff, who, allowed):
    person = MenteeFactory(antenne=lyon).user
    url = reverse("admin:privacy_person_anonymise", args=[person.pk])
    login_staff(client, staff[who])

    page = client.get(url)
    sent = client.post(url, {"reason": "request", "confirm": "on"})

    assert (page.status_code, sent.status_code) == ((200, 302) if allowed else (404, 404))
    person.refresh_from_db()
    assert is_anonymised(person) is allowed


def test_the_erasure_service_refuses_a_person_outside_the_scope(lyon, staff):
    person = MenteeFactory(antenne=lyon).user

    with pytest.raises(ErasureError, match="Seule la coordination de son antenne"):
        person_anonymise(user=person, performed_by=staff["theirs"], reason="request")
    person.refresh_from_db()
    assert not is_anonymised(person)
    # The nightly retention job acts for nobody in particular.
    person_anonymise(user=person, performed_by=None, reason="retention")
    person.refresh_from_db()
    assert is_anonymised(person)


# --- The second factor


def test_an_antenne_coordinator_owes_the_second_factor_like_any_coordinator(client, lyon):
    coordinator = make_antenne_coordinator(lyon)

    assert second_factor_required(coordinator)
    client.force_login(coordinator)
    response = client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("two_factor_verify"))


def test_an_antennes_referent_does_not_unless_referents_must(client, lyon, settings):
    settings.OTP_REQUIRED_FOR_REFERENTS = False
    assert not second_factor_required(make_antenne_referent(lyon))
    settings.OTP_REQUIRED_FOR_REFERENTS = True
    assert second_factor_required(make_antenne_referent(lyon))
