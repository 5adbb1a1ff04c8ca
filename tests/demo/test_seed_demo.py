from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.db.models import Max, Q
from django.test import RequestFactory
from django.urls import reverse

from mentees.ages import DIGITAL_CONSENT_AGE, MAX_AGE, MIN_AGE
from mentees.models import Mentee, PriorityMark
from mentorat.demo.management.commands.seed_demo import PRODUCTION_SETTINGS
from mentorat.demo.national import NATIONAL_DOMAIN
from mentorat.demo.seed import (
    COORDINATOR_EMAIL,
    MENTEE_EMAIL,
    MENTOR_EMAIL,
    REFERENT_EMAIL,
    UNASSIGNED_MENTOR_EMAIL,
)
from mentors.models import Mentor, ScreeningRecord
from tests.users.factories import DEFAULT_PASSWORD
from users.enums import RegistrationStatus
from users.geography import department_from_postal_code
from users.history import status_changes
from users.models import Consent, User

pytestmark = pytest.mark.django_db

DEMO_LOGINS = [COORDINATOR_EMAIL, REFERENT_EMAIL, MENTOR_EMAIL, MENTEE_EMAIL]


def seed(**options) -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out, **options)
    return out.getvalue()


def seed_national(*, mentees: int = 300, mentors: int = 150) -> str:
    return seed(scale="national", mentees=mentees, mentors=mentors)


def national(model):
    return model.objects.filter(user__email__endswith=f"@{NATIONAL_DOMAIN}")


def snapshot() -> dict:
    """Everything a second run could create or touch."""
    return {
        "users": User.objects.count(),
        "mentors": Mentor.objects.count(),
        "mentees": Mentee.objects.count(),
        "screenings": ScreeningRecord.objects.count(),
        "consents": Consent.objects.count(),
        "mentor history": Mentor.history.count(),
        "mentee history": Mentee.history.count(),
        "last mentor change": Mentor.objects.aggregate(Max("updated_at"))["updated_at__max"],
        "last mentee change": Mentee.objects.aggregate(Max("updated_at"))["updated_at__max"],
        "last login": User.objects.aggregate(Max("last_login"))["last_login__max"],
    }


def test_running_the_demo_twice_creates_and_changes_nothing():
    seed()
    first = snapshot()

    output = seed()

    assert snapshot() == first
    assert "0 personne(s) créée(s)" in output


def test_the_demo_has_about_a_dozen_mentors_and_twenty_young_people():
    seed()

    assert Mentor.objects.count() == 12
    assert Mentee.objects.count() == 20


@pytest.mark.parametrize("email", DEMO_LOGINS)
def test_each_demo_login_authenticates_with_the_demo_password(email):
    seed()

    # The login protection (django-axes) needs the request it counts failures for.
    request = RequestFactory().post("/compte/connexion/")
    assert authenticate(request, username=email, password=DEFAULT_PASSWORD) is not None


def test_the_demo_logins_have_the_roles_their_names_promise():
    seed()

    coordinator = User.objects.get(email=COORDINATOR_EMAIL)
    referent = User.objects.get(email=REFERENT_EMAIL)
    mentee = Mentee.objects.get(user__email=MENTEE_EMAIL)
    assert coordinator.is_staff and coordinator.is_superuser
    assert referent.is_staff and not referent.is_superuser
    assert Mentor.objects.approved().filter(user__email=MENTOR_EMAIL).exists()
    assert mentee.status == RegistrationStatus.APPROVED
    assert not mentee.is_minor()


def test_the_demo_coordinator_passes_the_second_factor_with_the_demo_code(client):
    seed()
    client.post(reverse("login"), {"username": COORDINATOR_EMAIL, "password": DEFAULT_PASSWORD})
    assert client.get(reverse("admin:index")).status_code == 302  # the code is still awaited

    out = StringIO()
    call_command("demo_code", stdout=out)
    response = client.post(reverse("two_factor_verify"), {"code": out.getvalue().strip()})

    assert response.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


def test_the_demo_code_needs_the_demo():
    with pytest.raises(CommandError, match="seed_demo"):
        call_command("demo_code", stdout=StringIO())


def test_the_demo_prints_the_four_logins_and_the_password_in_french():
    output = seed()

    assert f"Comptes de démonstration (mot de passe : {DEFAULT_PASSWORD})" in output
    for email in DEMO_LOGINS:
        assert email in output


def test_the_demo_has_an_under_15_awaiting_guardian_consent():
    seed()

    waiting = Mentee.objects.awaiting_guardian_consent()
    assert any(mentee.age() < 15 and mentee.guardian_email for mentee in waiting)


def test_the_demo_has_minors_with_and_without_guardian_consent():
    seed()

    minors = Mentee.objects.minors()
    assert minors.filter(guardian_consent_at__isnull=False).exists()
    assert minors.filter(guardian_consent_at__isnull=True).exists()


def test_the_demo_has_an_approved_mentor_cleared_for_minors():
    seed()

    assert Mentor.objects.approved().cleared_for_minors().filter(user__email=MENTOR_EMAIL).exists()


def test_the_demo_has_a_mentor_accepting_minors_whose_screening_expired():
    seed()

    accepting = Mentor.objects.filter(accepts_minors=True, screenings__isnull=False)
    assert accepting.exclude(pk__in=Mentor.objects.cleared_for_minors()).exists()


def test_the_demo_covers_every_status_priority_public_and_several_departements():
    seed()

    for model in (Mentor, Mentee):
        statuses = set(model.objects.values_list("status", flat=True))
        assert {"pending_review", "approved", "rejected"} <= statuses
    marked = set(PriorityMark.objects.values_list("public__code", flat=True))
    assert {"QPV", "MISSION_LOCALE", "SANS_RESEAU", "DECROCHAGE", "ORIENTATION"} <= marked
    # The State's publics too, and marks both waiting for staff and confirmed by them.
    assert {"LYCEE_PRO", "NEET", "BOURSIER", "ZRR"} <= marked
    assert PriorityMark.objects.unconfirmed().exists()
    assert PriorityMark.objects.confirmed().filter(confirmed_by__isnull=False).exists()
    assert Mentee.objects.values("department").distinct().count() >= 5


def test_a_demo_review_shows_in_the_history_with_the_reviewer():
    seed()

    mentee = Mentee.objects.get(user__email=MENTEE_EMAIL)
    last_change = status_changes(mentee)[-1]
    assert last_change.to_status == RegistrationStatus.APPROVED
    assert last_change.by == User.objects.get(email=REFERENT_EMAIL)


def test_the_national_mode_creates_the_requested_counts():
    output = seed_national()

    assert national(Mentee).count() == 300
    assert national(Mentor).count() == 150
    assert "Jeu national : 300 jeunes" in output


def test_the_national_mode_is_idempotent():
    seed_national()
    first = snapshot()

    seed_national()

    assert snapshot() == first


def test_the_national_mode_tops_up_to_larger_counts():
    seed_national()

    seed_national(mentees=320, mentors=160)

    assert national(Mentee).count() == 320
    assert national(Mentor).count() == 160


def test_every_national_minor_has_a_guardian():
    seed_national()

    minors = national(Mentee).minors()
    assert minors.exists()
    without_guardian = Q(guardian_name="") | Q(guardian_email="") | Q(guardian_phone="")
    assert not minors.filter(without_guardian).exists()


def test_no_national_adult_has_a_guardian():
    seed_national()

    adults = national(Mentee).exclude(pk__in=Mentee.objects.minors())
    assert not adults.exclude(guardian_name="").exists()


def test_every_national_row_has_the_departement_of_its_postal_code():
    seed_national()

    for model in (Mentee, Mentor):
        rows = national(model).values_list("postal_code", "department")
        assert all(department == department_from_postal_code(code) for code, department in rows)
        assert national(model).values("department").distinct().count() > 10


def test_every_national_phone_number_is_valid():
    seed_national()

    mentees = list(national(Mentee))
    assert all(mentee.phone.is_valid() for mentee in mentees + list(national(Mentor)))
    assert all(mentee.guardian_phone.is_valid() for mentee in mentees if mentee.guardian_phone)


def test_national_under_15s_without_consent_wait_for_it():
    seed_national()

    waiting = national(Mentee).awaiting_guardian_consent()
    assert waiting.exists()
    assert not waiting.filter(guardian_consent_at__isnull=False).exists()
    assert all(mentee.age() < DIGITAL_CONSENT_AGE for mentee in waiting)


def test_national_young_people_are_between_11_and_30():
    seed_national()

    ages = {mentee.age() for mentee in national(Mentee)}
    assert min(ages) >= MIN_AGE
    assert max(ages) <= MAX_AGE


def test_national_mode_gives_some_approved_mentors_a_valid_screening():
    seed_national()

    assert national(Mentor).approved().cleared_for_minors().exists()


def test_counts_are_refused_without_the_national_scale():
    with pytest.raises(CommandError, match="--scale national"):
        seed(mentees=10)


def test_the_seed_refuses_production_settings_unless_forced(settings):
    settings.SETTINGS_MODULE = PRODUCTION_SETTINGS

    with pytest.raises(CommandError, match="--force"):
        seed()
    assert not User.objects.exists()


def test_the_demo_sends_no_email(django_capture_on_commit_callbacks):
    from django.core import mail

    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=StringIO())
    assert mail.outbox == []


def test_the_demo_has_active_pairs_and_an_unanswered_proposal_created_once():
    from matching.models import Mentorship

    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())

    active = Mentorship.objects.active()
    # The demo logins' pair, and two more of the demo référent's caseload.
    assert active.count() == 3
    pair = active.get(mentee__user__email=MENTEE_EMAIL)
    assert pair.mentor.user.email == MENTOR_EMAIL
    assert pair.started_on is not None
    assert all(p.explanation for p in active)
    assert {p.mentor.referent.email for p in active} == {REFERENT_EMAIL}
    assert Mentorship.objects.proposed().count() == 1
    assert Mentorship.objects.unanswered().count() == 1


# The life of the active demo pair, and the demo référent


def demo_pair():
    from matching.models import Mentorship

    return Mentorship.objects.active().get(
        mentor__user__email=MENTOR_EMAIL, mentee__user__email=MENTEE_EMAIL
    )


def pair_life_snapshot() -> dict:
    """Everything the pair's life adds, for the idempotence test."""
    from matching.models import Mentorship, Objective
    from sessions.models import FollowUp, PlannedMeeting, Session, SessionEvaluation

    return {
        "objectives": list(Objective.objects.values_list("pk", "status", "status_changed_at")),
        "objective history": Objective.history.count(),
        "sessions": list(Session.objects.values_list("pk", "held_on", "logged_at")),
        "session history": Session.history.count(),
        "evaluations": list(SessionEvaluation.objects.values_list("pk", "rating", "created_at")),
        "follow-ups": list(FollowUp.objects.values_list("pk", "reviewed", "reviewed_at")),
        "planned": list(PlannedMeeting.objects.values_list("pk", "starts_at", "updated_at")),
        "pairs": list(
            Mentorship.objects.values_list("pk", "last_session_on", "qualifying_sessions")
        ),
        "pair history": Mentorship.history.count(),
        "referents": list(Mentor.objects.values_list("pk", "referent")),
    }


def test_the_demo_referent_accompanies_the_demo_mentors_still_in_the_programme():
    seed()

    referent = User.objects.get(email=REFERENT_EMAIL)
    mentors = Mentor.objects.exclude(status=RegistrationStatus.REJECTED)
    assert mentors.get(user__email=MENTOR_EMAIL).referent == referent
    # All but one, just approved, whom the coordinator has still to give a référent.
    assigned = mentors.exclude(user__email=UNASSIGNED_MENTOR_EMAIL)
    assert set(assigned.values_list("referent", flat=True)) == {referent.pk}
    assert list(Mentor.objects.without_referent()) == [
        Mentor.objects.get(user__email=UNASSIGNED_MENTOR_EMAIL)
    ]
    assert not Mentor.objects.filter(status=RegistrationStatus.REJECTED, referent__isnull=False)


def test_the_demo_referent_is_in_the_referents_group():
    from users.roles import is_coordinator, is_referent

    seed()

    referent = User.objects.get(email=REFERENT_EMAIL)
    assert is_referent(referent) and not is_coordinator(referent)
    assert referent.has_perm("matching.view_mentorship")
    assert referent.has_perm("mentoring_sessions.change_followup")


def test_the_referent_assignment_is_in_the_mentors_history():
    seed()

    mentor = Mentor.objects.get(user__email=MENTOR_EMAIL)
    latest = mentor.history.first()
    assert latest.referent_id == User.objects.get(email=REFERENT_EMAIL).pk
    assert latest.history_user == User.objects.get(email=COORDINATOR_EMAIL)
    assert latest.history_change_reason == "Référent attribué"


def test_the_demo_referent_sees_the_active_pair():
    from matching.selectors import mentorships_visible_to

    seed()

    assert demo_pair() in mentorships_visible_to(User.objects.get(email=REFERENT_EMAIL))


def test_the_active_demo_pair_has_objectives_one_achieved_set_by_its_members():
    from matching.enums import ObjectiveStatus

    seed()

    pair = demo_pair()
    objectives = list(pair.objectives.all())
    assert 2 <= len(objectives) <= 3
    statuses = [objective.status for objective in objectives]
    assert statuses.count(ObjectiveStatus.ACHIEVED) == 1
    # Not every objective is met: the pair is not ready to close yet.
    assert any(objective.is_pending for objective in objectives)
    members = {pair.mentor.user, pair.mentee.user}
    assert {objective.created_by for objective in objectives} <= members
    assert all(record.history_user in members for o in objectives for record in o.history.all())


def test_the_active_demo_pair_has_sessions_one_flagged_below_the_minimum():
    from matching.rules import MINIMUM_SESSION_MINUTES

    seed()

    pair = demo_pair()
    sessions = list(pair.sessions.all())
    assert 2 <= len(sessions) <= 3
    assert [s.duration_minutes for s in sessions if s.is_below_minimum] == [60]
    assert all(pair.started_on <= s.held_on <= s.logged_at.date() for s in sessions)
    # The pair's rhythm is the services' own bookkeeping of these sessions.
    assert pair.last_session_on == max(s.held_on for s in sessions)
    assert pair.qualifying_sessions == sum(
        s.duration_minutes >= MINIMUM_SESSION_MINUTES for s in sessions
    )


def test_the_demo_sessions_are_evaluated_by_both_members_and_followed_up():
    from matching.enums import ComplianceState, Side
    from sessions.models import Session

    seed()

    pair = demo_pair()
    sessions = list(pair.sessions.order_by("held_on"))
    sides = [set(s.evaluations.values_list("side", flat=True)) for s in sessions]
    assert all(Side.MENTOR in evaluated for evaluated in sides)
    assert sum(evaluated == {Side.MENTOR, Side.MENTEE} for evaluated in sides) >= 2
    # The latest one waits for the young person: a task to show in their space.
    assert sides[-1] == {Side.MENTOR}
    assert all(e.author == pair.mentor.user for e in pair_evaluations(pair, Side.MENTOR))
    assert all(e.author == pair.mentee.user for e in pair_evaluations(pair, Side.MENTEE))
    referent = User.objects.get(email=REFERENT_EMAIL)
    reviewed = Session.objects.filter(mentorship=pair, follow_up__reviewed=True)
    assert reviewed.count() == 1
    assert reviewed.get().follow_up.reviewed_by == referent
    assert Session.objects.filter(mentorship=pair).awaiting_follow_up().exists()
    assert pair.compliance_state() == ComplianceState.ON_TRACK
    assert pair.meets_minimum_so_far()


def pair_evaluations(pair, side):
    from sessions.models import SessionEvaluation

    return SessionEvaluation.objects.filter(session__mentorship=pair, side=side)


def test_the_active_demo_pair_has_a_next_meeting_planned_with_a_place():
    from django.utils import timezone

    seed()

    meeting = demo_pair().planned_meeting
    assert meeting.starts_at > timezone.now()
    assert meeting.place
    assert meeting.planned_by.email == MENTOR_EMAIL


def test_running_the_demo_twice_adds_nothing_to_the_pairs_life():
    seed()
    first = pair_life_snapshot()

    seed()

    assert pair_life_snapshot() == first


def test_a_demo_seeded_before_the_pairs_had_a_life_gets_it_on_the_next_run():
    from matching.models import Objective
    from sessions.models import PlannedMeeting, Session

    seed()
    # As an earlier version of the seed left it: the pairs, nothing in them, no référent.
    Session.objects.all().delete()
    Objective.objects.all().delete()
    PlannedMeeting.objects.all().delete()
    Mentor.objects.update(referent=None)

    output = seed()

    pair = demo_pair()
    assert "0 binôme(s) créé(s)" in output
    assert pair.objectives.exists() and pair.sessions.exists()
    assert hasattr(pair, "planned_meeting")
    assert pair.mentor.referent.email == REFERENT_EMAIL


# National pairs and sessions


@pytest.fixture
def national_pairs():
    from mentorat.demo.national import seed_national
    from mentorat.demo.programme import seed_national_programme

    seed_national(mentees=300, mentors=150)
    return seed_national_programme(pairs=20, sessions=100)


def test_national_pairs_are_created_up_to_the_requested_count_once(national_pairs):
    from matching.models import Mentorship
    from mentorat.demo.programme import seed_national_programme
    from sessions.models import Session

    assert national_pairs.pairs_created == national_pairs.pairs_total == 20
    assert national_pairs.sessions_created == 100
    first = (Mentorship.objects.count(), Session.objects.count())

    again = seed_national_programme(pairs=20, sessions=100)

    assert (again.pairs_created, again.sessions_created) == (0, 0)
    assert (Mentorship.objects.count(), Session.objects.count()) == first


def test_national_pairs_break_no_pair_rule_nor_a_mentors_capacity(national_pairs):
    from django.db.models import F
    from django.utils import timezone

    from matching.eligibility import with_matching_facts
    from matching.models import Mentorship
    from matching.selectors import pair_evaluation

    for pair in Mentorship.objects.active().select_related("mentor", "mentee"):
        assert pair_evaluation(mentee=pair.mentee, mentor=pair.mentor, proposal=pair)[0] == []
    mentors = with_matching_facts(national(Mentor), today=timezone.localdate())
    assert not mentors.filter(open_pairs__gt=F("capacity")).exists()
    assert not Mentor.objects.filter(mentorships__isnull=False, referent__isnull=True).exists()


def test_national_sessions_fall_within_their_pair_and_set_its_rhythm(national_pairs):
    from django.utils import timezone

    from matching.models import Mentorship
    from matching.rules import MINIMUM_SESSION_MINUTES

    pairs = list(Mentorship.objects.prefetch_related("sessions"))
    assert sum(len(pair.sessions.all()) for pair in pairs) == national_pairs.sessions_created
    for pair in pairs:
        sessions = list(pair.sessions.all())
        days = [session.held_on for session in sessions]
        assert all(
            pair.started_on <= day <= (pair.ended_on or timezone.localdate()) for day in days
        )
        assert pair.last_session_on == (max(days) if days else None)
        assert pair.qualifying_sessions == sum(
            session.duration_minutes >= MINIMUM_SESSION_MINUTES for session in sessions
        )
        assert all(s.logged_by_id == pair.mentor.user_id for s in sessions)
        assert pair.objectives.exists()


def test_national_evaluations_are_written_by_the_side_they_belong_to(national_pairs):
    from matching.enums import Side
    from sessions.models import SessionEvaluation

    evaluations = SessionEvaluation.objects.select_related("session__mentorship__mentor")
    assert evaluations.filter(side=Side.MENTOR).exists()
    assert evaluations.filter(side=Side.MENTEE).exists()
    for evaluation in evaluations:
        pair = evaluation.session.mentorship
        member = pair.mentor if evaluation.side == Side.MENTOR else pair.mentee
        assert evaluation.author_id == member.user_id


# The demo young person's start questionnaire


def test_the_demo_young_person_has_submitted_their_start_questionnaire():
    from evaluations.enums import Moment, QuestionKind, ResponseStatus
    from evaluations.models import Response
    from evaluations.selectors import responses_visible_to

    seed()

    pair = demo_pair()
    start = Response.objects.get(mentorship=pair, moment=Moment.START)
    assert start.status == ResponseStatus.SUBMITTED
    asked = start.questionnaire.questions.for_moment(Moment.START)
    assert start.answers.count() == asked.count()
    assert not start.answers.filter(question__kind=QuestionKind.SCALE, scale_value=None)
    # Shared with the mentor as soon as it is submitted; the end one is still to come.
    assert start in responses_visible_to(pair.mentor.user)
    assert not Response.objects.filter(mentorship=pair, moment=Moment.END).exists()


def test_running_the_demo_twice_keeps_one_unchanged_start_questionnaire():
    from evaluations.models import Answer, Response

    seed()
    first = (
        list(Response.objects.values_list("pk", "status", "submitted_at")),
        list(Answer.objects.values_list("pk", "scale_value", "text_value", "choice_values")),
    )

    seed()

    assert (
        list(Response.objects.values_list("pk", "status", "submitted_at")),
        list(Answer.objects.values_list("pk", "scale_value", "text_value", "choice_values")),
    ) == first


# The national programme: pairs, sessions, questionnaires, référents


def seed_programme(**counts) -> str:
    return seed(scale="national", mentees=60, mentors=30, **counts)


def test_the_national_mode_creates_exactly_the_requested_pairs_and_sessions():
    from mentorat.demo.programme import national_pairs
    from sessions.models import Session

    output = seed_programme(pairs=50, sessions=240)

    assert national_pairs().count() == 50
    assert Session.objects.filter(mentorship__in=national_pairs()).count() == 240
    assert "Binômes : 50 (50 créés, 240 séances" in output


def test_the_national_pairs_are_created_once():
    from matching.models import Mentorship
    from sessions.models import Session

    seed_programme()
    first = (Mentorship.objects.count(), Session.objects.count(), snapshot())

    seed_programme()

    assert (Mentorship.objects.count(), Session.objects.count(), snapshot()) == first


def test_national_pairs_are_active_within_capacity_or_closed_after_six_months():
    from matching.enums import CloseReason
    from mentorat.demo.programme import national_pairs

    seed_programme()

    active = national_pairs().filter(status="active")
    closed = national_pairs().filter(status="closed")
    assert active.exists() and closed.exists()
    for mentor in Mentor.objects.filter(mentorships__in=active).distinct():
        assert mentor.mentorships.filter(status="active").count() <= mentor.capacity
    for pair in closed:
        assert pair.close_reason == CloseReason.OBJECTIVES_ACHIEVED
        assert (pair.ended_on - pair.started_on).days >= 183
        assert all(pair.started_on <= s.held_on <= pair.ended_on for s in pair.sessions.all())


def test_most_national_pairs_have_their_questionnaires():
    from evaluations.enums import Moment, ResponseStatus
    from evaluations.models import Response
    from mentorat.demo.programme import national_pairs

    seed_programme()

    submitted = Response.objects.filter(status=ResponseStatus.SUBMITTED)
    assert submitted.filter(moment=Moment.START).count() > national_pairs().count() / 2
    ends = submitted.filter(moment=Moment.END)
    assert ends.exists()
    assert not ends.exclude(mentorship__status="closed").exists()
    assert all(response.answers.exists() for response in submitted)


def test_national_referents_accompany_at_most_the_caseload_cap(settings):
    from mentorat.demo.programme import REFERENT_PREFIX

    seed_programme()

    referents = User.objects.filter(email__startswith=f"{REFERENT_PREFIX}-")
    assert referents.exists()
    for referent in referents:
        assert referent.groups.filter(name="référents").exists()
        assert (
            0 < Mentor.objects.filter(referent=referent).count() <= (settings.REFERENT_CASELOAD_CAP)
        )


def test_the_small_scale_is_the_national_data_set_a_hundred_times_smaller():
    from mentorat.demo.programme import national_pairs

    seed(scale="small")

    assert national(Mentee).count() == 400
    assert national(Mentor).count() == 200
    assert national_pairs().count() == 400


# Every demo login lands on a page that works, with something to do on it


NO_PERMISSION = "Vous n’avez pas la permission"


def demo_login(client, email: str):
    """The login form (and, for the coordinator, the code of `demo_code`), redirects followed."""
    page = client.post(
        reverse("login"), {"username": email, "password": DEFAULT_PASSWORD}, follow=True
    )
    if email == COORDINATOR_EMAIL:
        out = StringIO()
        call_command("demo_code", stdout=out)
        page = client.post(
            page.redirect_chain[-1][0], {"code": out.getvalue().strip()}, follow=True
        )
    return page


@pytest.mark.parametrize(
    ("email", "home"),
    [
        (COORDINATOR_EMAIL, "admin:staff_home"),
        (REFERENT_EMAIL, "admin:referent_home"),
        (MENTOR_EMAIL, "spaces:home"),
        (MENTEE_EMAIL, "spaces:home"),
    ],
)
def test_each_demo_login_lands_on_a_working_home(client, email, home):
    seed()

    page = demo_login(client, email)

    assert page.redirect_chain[-1][0] == reverse(home)
    assert page.status_code == 200
    assert NO_PERMISSION not in page.content.decode()


def test_the_demo_referent_has_sessions_to_follow_up_a_questionnaire_to_read_and_pairs(client):
    from evaluations.models import Response
    from matching.models import Mentorship
    from sessions.models import Session

    seed()
    referent = User.objects.get(email=REFERENT_EMAIL)
    demo_login(client, REFERENT_EMAIL)

    html = client.get(reverse("admin:referent_home")).content.decode()

    awaiting = Session.objects.awaiting_follow_up().filter(mentorship__mentor__referent=referent)
    assert awaiting.count() >= 3
    assert f"{awaiting.count()} séances en attente de suivi" in html
    unread = Response.objects.unread().filter(mentorship__mentor__referent=referent)
    assert [response.mentorship.mentee.user.email for response in unread] == [MENTEE_EMAIL]
    assert reverse("evaluations:response", args=[unread.get().pk]) in html
    # A questionnaire read long ago is no longer « à lire ».
    assert Response.objects.filter(read_by=referent).exists()
    ready = Mentorship.objects.ready_to_close().get()
    assert reverse("admin:matching_mentorship_change", args=[ready.pk]) in html
    assert Mentorship.objects.overdue().filter(mentor__referent=referent).exists()
    assert NO_PERMISSION not in client.get(reverse("admin:index")).content.decode()


def test_the_demo_coordinators_staff_home_has_something_behind_every_figure(client):
    from django.utils import timezone

    from mentorat.staff.home import task_groups

    seed()

    empty = [
        task.plural
        for group in task_groups(today=timezone.localdate())
        for task in group.tasks
        if not task.count
    ]
    assert empty == []
    page = demo_login(client, COORDINATOR_EMAIL)
    assert "À traiter en priorité" in page.content.decode()


def test_the_demo_reviews_come_a_couple_of_days_after_the_registration():
    from mentorat.demo.seed import REVIEW_DELAY

    seed()

    for model in (Mentor, Mentee):
        reviewed = model.objects.filter(reviewed_at__isnull=False)
        assert reviewed.exists()
        assert all(r.reviewed_at == r.created_at + REVIEW_DELAY for r in reviewed)


def test_the_demo_prescriber_follows_two_young_people_with_the_demo_code(client):
    from mentorat.demo.seed import PRESCRIBER_EMAIL

    seed()
    seed()  # idempotent
    client.post(reverse("login"), {"username": PRESCRIBER_EMAIL, "password": DEFAULT_PASSWORD})
    assert client.get(reverse("prescribers:home")).status_code == 302  # the code is awaited
    out = StringIO()
    call_command("demo_code", stdout=out)
    client.post(reverse("two_factor_verify"), {"code": out.getvalue().strip()})

    html = client.get(reverse("prescribers:home")).content.decode()

    assert "Lina Haddad" in html
    assert User.objects.get(email=MENTEE_EMAIL).last_name in html
