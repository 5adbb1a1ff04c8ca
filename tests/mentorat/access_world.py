"""The people and objects of the access matrix: one pair with everything in it (the owners'),
another pair with its own members and référent, and the programme's coordinator. Built once
per module; each request is then made by one logged-in client per role."""

import datetime
from dataclasses import dataclass, field

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.test import Client
from django.utils import timezone

from evaluations.enums import InterviewWith, Moment
from evaluations.models import ClosureInterview
from matching.enums import MentorshipStatus
from matching.models import MatchingBatch, MatchingWeights, Mentorship, Objective
from mentees.models import PriorityPublic
from mentorat.demo.factories import PrescriberFactory, ReferralFactory
from mentorat.privacy.enums import DataAccessFormat, ErasureReason
from mentorat.privacy.models import DataAccessRecord, ErasureRecord
from mentors.enums import ExchangeKind
from mentors.models import Exchange
from prescribers.enums import ConsultedPage
from prescribers.models import ReferralConsultation
from reminders.enums import ReminderKind, ReminderStatus
from reminders.models import Reminder, ReminderPreference
from tests.matching.factories import MentorshipFactory
from tests.mentees.factories import MenteeFactory, PriorityMarkFactory
from tests.mentors.factories import MentorFactory, TrainingRegistrationFactory
from tests.sessions.factories import (
    FollowUpFactory,
    PlannedMeetingFactory,
    SessionEvaluationFactory,
    SessionFactory,
)
from tests.spaces.questionnaires import respond
from tests.users import staff
from tests.users.factories import OwedEmailFactory
from users.enums import ConsentKind
from users.models import Antenne, Consent
from users.services import antenne_departments_set, registration_move_antenne

# The roles, in the order of the expectation strings of access_rules.py. « mentor »,
# « mentee » and « referent » own the world's pair (the référent accompanies its mentor);
# the « other_ » ones belong to another pair, which the other référent accompanies.
WRITTEN_ROLES = (
    "anonymous",
    "mentor",
    "mentee",
    "referent",
    "other_mentor",
    "other_mentee",
    "other_referent",
    "coordinator",
)
# Then a coordinator with an authenticator app who typed the password but not yet the code:
# their answers are generated (access_rules.WITHOUT_CODE), not written on every line.
STAFF_WITHOUT_CODE = "staff_without_code"
# Then the prescribers (access_rules.PRESCRIBER_ANSWERS): the one who referred the world's
# young person, one of another organisation, and one who has not typed the code yet.
PRESCRIBER_WITHOUT_CODE = "prescriber_without_code"
PRESCRIBER_ROLES = ("prescriber", "other_prescriber", PRESCRIBER_WITHOUT_CODE)
# Then the antenne coordinators (access_rules.ANTENNE_ANSWERS): the one of the pair's antenne
# and one of another antenne.
ANTENNE_ROLES = ("antenne_coordinator", "other_antenne_coordinator")
ROLES = (*WRITTEN_ROLES, STAFF_WITHOUT_CODE, *PRESCRIBER_ROLES, *ANTENNE_ROLES)
WITHOUT_CODE_ROLES = (STAFF_WITHOUT_CODE, PRESCRIBER_WITHOUT_CODE)


def login(client: Client, user) -> Client:
    """The one way the matrix logs somebody in: staff through their second factor when the
    project has one (`login_staff`), everybody else with a plain session."""
    login_staff = getattr(staff, "login_staff", None)
    if login_staff is not None:
        login_staff(client, user)
    else:
        client.force_login(user)
    return client


OWNER_NAMES = ("Vasseur-Matrice", "Benali-Matrice")


@dataclass
class World:
    users: dict
    pair: Mentorship
    proposal: Mentorship
    other_pair: Mentorship
    objects: dict = field(default_factory=dict)
    clients: dict = field(default_factory=dict)

    def log_in_everybody(self) -> None:
        # At build time: a session saved inside a test would be rolled back after it.
        for role, user in self.users.items():
            client = Client()
            if role in WITHOUT_CODE_ROLES:
                # The password only (force_login), never through login_staff.
                client.force_login(user)
            elif user is not None:
                login(client, user)
            self.clients[role] = client

    def client(self, role: str) -> Client:
        return self.clients[role]

    def owner_traces(self) -> list[str]:
        """What identifies the pair's members: nobody outside the pair may be shown it."""
        members = [self.pair.mentor.user, self.pair.mentee.user]
        return [*OWNER_NAMES, *(user.email for user in members)]


def _active_pair(**kwargs) -> Mentorship:
    return MentorshipFactory(
        active=True, started_on=timezone.localdate() - datetime.timedelta(days=60), **kwargs
    )


def build_world() -> World:
    referent = staff.make_referent(first_name="Romane")
    other_referent = staff.make_referent(first_name="Octave")
    coordinator = staff.make_coordinator(first_name="Camille")
    # A coordinator like any other (make_coordinator enrols their app), minus the code.
    without_code = staff.make_coordinator(first_name="Dominique")
    # Names found nowhere else, to look for in what other people are shown.
    pair = _active_pair(
        mentor=MentorFactory(approved=True, referent=referent, user__last_name=OWNER_NAMES[0]),
        mentee__user__last_name=OWNER_NAMES[1],
    )
    other_pair = _active_pair(mentor=MentorFactory(approved=True, referent=other_referent))
    # A proposal still awaiting the owner mentor's answer, for the answer endpoints.
    proposal = MentorshipFactory(
        mentor=pair.mentor,
        mentee=MenteeFactory(approved=True),
        status=MentorshipStatus.PROPOSED,
    )
    mentor, mentee = pair.mentor.user, pair.mentee.user
    session = SessionFactory(mentorship=pair)
    SessionEvaluationFactory(session=session)
    follow_up = FollowUpFactory(session=session, reviewed_by=referent)
    meeting = PlannedMeetingFactory(mentorship=pair)
    objective = Objective.objects.create(
        mentorship=pair, title="Trouver une alternance", created_by=mentor
    )
    response = respond(pair, Moment.START)
    # The owner young person's earlier pair, closed, with a mentor the same référent follows:
    # its closure interview.
    closed_pair = MentorshipFactory(
        closed=True,
        mentee=pair.mentee,
        mentor=MentorFactory(approved=True, referent=referent),
        started_on=timezone.localdate() - datetime.timedelta(days=300),
        ended_on=timezone.localdate() - datetime.timedelta(days=70),
    )
    closure_interview = ClosureInterview.objects.create(
        mentorship=closed_pair,
        held_on=closed_pair.ended_on,
        held_with=InterviewWith.BOTH,
        recorded_by=referent,
    )
    exchange = Exchange.objects.create(
        referent=referent, happened_on=timezone.localdate(), kind=ExchangeKind.CALL
    )
    exchange.mentors.add(pair.mentor)
    reminder = Reminder.objects.create(
        kind=ReminderKind.MEETING_DUE_SOON,
        target=f"pair:{pair.pk}",
        recipient=mentor,
        recipient_email=mentor.email,
        period="2026-W01",
        status=ReminderStatus.SENT,
        sent_at=timezone.now(),
    )
    preference = ReminderPreference.objects.create(user=mentor)
    # An e-mail the mail server refused, in the outbox.
    owed_email = OwedEmailFactory(failed=True, recipient=mentor)
    consent = Consent.objects.create(
        user=mentee, kind=ConsentKind.PRIVACY_NOTICE, version="2026-01", given_by_name="Le jeune"
    )
    batch = MatchingBatch.objects.create(created_by=coordinator)
    # The owner young person declared a priority public; the world's public is one nobody has.
    PriorityMarkFactory(mentee=pair.mentee, public=PriorityPublic.objects.get(code="QPV"))
    public = PriorityPublic.objects.get(code="PJJ")
    # A failed login of the owner mentor, as django-axes records it.
    attempt = {"username": mentor.email, "ip_address": "203.0.113.7", "user_agent": "test"}
    # The prescribers, each with an authenticator app; the world's referral is not the pair's
    # young person (prescribers are outsiders to the pair, like the other members).
    prescriber = PrescriberFactory(user__first_name="Prisca")
    prescriber_without_code = PrescriberFactory(user__first_name="Pablo")
    for someone in (prescriber, prescriber_without_code):
        staff.confirmed_device(someone.user)
    referral = ReferralFactory(prescriber=prescriber)
    # An antenne of Corsica (nobody of the world lives there); the owner young person was
    # moved to it by the coordinator.
    antenne = Antenne.objects.create(name="Antenne Matrice", contact_email="matrice@example.org")
    antenne_departments_set(antenne=antenne, departments=["2A", "2B"])
    antenne_move = registration_move_antenne(
        registration=pair.mentee, antenne=antenne, moved_by=coordinator, reason="Déménagement"
    )
    # The pair's mentor belongs to it too; the other antenne is the Basque Country's.
    registration_move_antenne(
        registration=pair.mentor, antenne=antenne, moved_by=coordinator, reason="Déménagement"
    )
    other_antenne = Antenne.objects.create(name="Antenne Voisine", contact_email="v@example.org")
    antenne_departments_set(antenne=other_antenne, departments=["64"])
    users = {
        "anonymous": None,
        "mentor": mentor,
        "mentee": mentee,
        "referent": referent,
        "other_mentor": other_pair.mentor.user,
        "other_mentee": other_pair.mentee.user,
        "other_referent": other_referent,
        "coordinator": coordinator,
        STAFF_WITHOUT_CODE: without_code,
        "prescriber": prescriber.user,
        "other_prescriber": PrescriberFactory().user,
        PRESCRIBER_WITHOUT_CODE: prescriber_without_code.user,
        "antenne_coordinator": staff.make_antenne_coordinator(antenne, first_name="Anouk"),
        "other_antenne_coordinator": staff.make_antenne_coordinator(
            other_antenne, first_name="Oscar"
        ),
    }
    # A coming training, and the pair's mentor's seat at a past one.
    training_seat = TrainingRegistrationFactory(
        mentor=pair.mentor, session__past=True, attended=True
    )
    objects = {
        "training_session": TrainingRegistrationFactory(mentor=pair.mentor).session,
        "training_seat": training_seat,
        "pair": pair,
        "proposal": proposal,
        "session": session,
        "follow_up": follow_up,
        "meeting": meeting,
        "objective": objective,
        "response": response,
        "closed_pair": closed_pair,
        "closure_interview": closure_interview,
        "exchange": exchange,
        "reminder": reminder,
        "preference": preference,
        "owed_email": owed_email,
        "consent": consent,
        "batch": batch,
        "public": public,
        "weights": MatchingWeights.load(),
        "mentor": pair.mentor,
        "mentee": pair.mentee,
        "user": mentor,
        "group": staff.staff_groups()[1],
        "questionnaire": response.questionnaire,
        "device": staff.confirmed_device(coordinator),
        "erasure": ErasureRecord.objects.create(
            person_id=999, reason=ErasureReason.values[0], performed_by=coordinator
        ),
        "data_access": DataAccessRecord.objects.create(
            person_id=999, accessed_by=coordinator, format=DataAccessFormat.JSON
        ),
        "access_attempt": AccessAttempt.objects.create(
            **attempt, get_data="", post_data="", failures_since_start=1
        ),
        "access_log": AccessLog.objects.create(**attempt),
        "access_failure_log": AccessFailureLog.objects.create(**attempt),
        "antenne": antenne,
        "antenne_move": antenne_move,
        "organisation": prescriber.organisation,
        "prescriber": prescriber,
        "referral": referral,
        "consultation": ReferralConsultation.objects.create(
            referral=referral, consulted_by=prescriber.user, page=ConsultedPage.DETAIL
        ),
    }
    world = World(users=users, pair=pair, proposal=proposal, other_pair=other_pair, objects=objects)
    world.log_in_everybody()
    return world
