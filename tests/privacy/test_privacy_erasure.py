"""The right to erasure, by anonymisation: afterwards no identifying value or free text of the
person is left anywhere in the database (history tables, admin journal and reminders
included), while the programme's statistics are the same."""

import datetime

import pytest
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from evaluations.enums import Moment
from evaluations.models import Answer
from matching.enums import CloseReason, MentorshipStatus, Side
from matching.models import Mentorship, Objective
from mentees.models import Mentee
from mentorat.privacy.enums import ErasureReason
from mentorat.privacy.erasure import ErasureError, person_anonymise
from mentorat.privacy.models import ErasureRecord
from mentorat.staff.dashboard import Filters, figures
from mentors.enums import ExchangeKind
from mentors.models import Exchange
from reminders.enums import ReminderKind
from reminders.models import Reminder
from sessions.models import Session
from tests.matching.factories import MentorshipFactory
from tests.mentees.factories import MenteeFactory
from tests.mentors.factories import MentorFactory, ScreeningRecordFactory
from tests.sessions.factories import (
    FollowUpFactory,
    PlannedMeetingFactory,
    SessionEvaluationFactory,
    SessionFactory,
)
from tests.spaces.questionnaires import respond
from tests.users.factories import OwedEmailFactory, UserFactory
from tests.users.staff import make_coordinator, make_referent
from users.enums import ConsentKind
from users.models import Consent, User

pytestmark = pytest.mark.django_db

# Unique strings: none may be found anywhere in the database after the erasure.
MENTEE_MARKERS = {
    "first_name": "Xqzprenom",
    "last_name": "Xqznom",
    "email": "xqz.jeune@example.org",
    "phone": "+33655501234",
    "birth_date": "2009-03-17",
    "postal_code": "97411",
    "school": "Lycee Xqzecole",
    "mission_locale": "Mission Xqzlocale",
    "goals": "Xqzgoals",
    "guardian_name": "Xqztuteur",
    "guardian_email": "xqz.tuteur@example.org",
    "guardian_phone": "+33655509876",
    "change_reason": "Xqzraison",
    "answer": "Xqzanswer",
    "objective": "Xqzobjective",
    "summary": "Xqzsummary",
    "evaluation": "Xqzevaluation",
    "follow_up": "Xqzfollowup",
    "place": "Xqzplace",
    "close_comment": "Xqzclose",
    "journal": "Xqzjournal",
    "email_refused": "Xqzrefus",
    "owed_email_error": "Xqzerreur",
}
MENTOR_MARKERS = {
    "first_name": "Wqzprenom",
    "last_name": "Wqznom",
    "email": "wqz.mentor@example.org",
    "phone": "+33655507777",
    "postal_code": "97422",
    "employer": "Wqzemployeur",
    "job_title": "Wqzmetier",
    "motivation": "Wqzmotivation",
    "screening": "Wqzdocument",
    "exchange": "Wqzexchange",
}


def days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def everything_in_the_database() -> str:
    return "\n".join(
        serializers.serialize("json", model._default_manager.all())
        for model in apps.get_models(include_auto_created=True)
    )


def assert_gone(markers: dict):
    dump = everything_in_the_database()
    left = {name: value for name, value in markers.items() if value in dump}
    assert not left, f"Encore dans la base : {left}"


def a_programme():
    """A closed pair with everything a pair can hold, each text a marker, and some history."""
    mentor = MentorFactory(
        approved=True,
        user__first_name=MENTOR_MARKERS["first_name"],
        user__last_name=MENTOR_MARKERS["last_name"],
        user__email=MENTOR_MARKERS["email"],
        phone=MENTOR_MARKERS["phone"],
        postal_code=MENTOR_MARKERS["postal_code"],
        employer=MENTOR_MARKERS["employer"],
        job_title=MENTOR_MARKERS["job_title"],
        motivation=MENTOR_MARKERS["motivation"],
        accepts_minors=True,
        referent=make_referent(),
    )
    ScreeningRecordFactory(mentor=mentor, document=MENTOR_MARKERS["screening"])
    exchange = Exchange.objects.create(
        referent=mentor.referent,
        happened_on=days_ago(30),
        kind=ExchangeKind.values[0],
        note=MENTOR_MARKERS["exchange"],
    )
    exchange.mentors.add(mentor)
    mentee = MenteeFactory(
        approved=True,
        with_consent=True,
        user__first_name=MENTEE_MARKERS["first_name"],
        user__last_name=MENTEE_MARKERS["last_name"],
        user__email=MENTEE_MARKERS["email"],
        phone=MENTEE_MARKERS["phone"],
        postal_code=MENTEE_MARKERS["postal_code"],
        birth_date=datetime.date.fromisoformat(MENTEE_MARKERS["birth_date"]),
        school_or_structure=MENTEE_MARKERS["school"],
        mission_locale_name=MENTEE_MARKERS["mission_locale"],
        publics=["MISSION_LOCALE", "QPV"],
        goals=MENTEE_MARKERS["goals"],
        guardian_name=MENTEE_MARKERS["guardian_name"],
        guardian_email=MENTEE_MARKERS["guardian_email"],
        guardian_phone=MENTEE_MARKERS["guardian_phone"],
    )
    mentee._change_reason = MENTEE_MARKERS["change_reason"]
    mentee.save()
    Consent.objects.create(
        user=mentee.user,
        kind=ConsentKind.GUARDIAN,
        version="2026-01",
        given_by_name=MENTEE_MARKERS["guardian_name"],
        given_by_email=MENTEE_MARKERS["guardian_email"],
    )
    pair = MentorshipFactory(active=True, mentor=mentor, mentee=mentee, started_on=days_ago(250))
    respond(pair, Moment.START, scales=(2, 3, 4, 2, 3, 4, 5), text=MENTEE_MARKERS["answer"])
    Objective.objects.create(
        mentorship=pair, title=MENTEE_MARKERS["objective"], created_by=mentee.user
    )
    session = SessionFactory(
        mentorship=pair, held_on=days_ago(40), summary=MENTEE_MARKERS["summary"]
    )
    SessionFactory(mentorship=pair, held_on=days_ago(20), short=True)
    SessionEvaluationFactory(
        session=session, side=Side.MENTEE, comment=MENTEE_MARKERS["evaluation"]
    )
    SessionEvaluationFactory(session=session, side=Side.MENTOR, rating=5)
    FollowUpFactory(session=session, comment=MENTEE_MARKERS["follow_up"])
    PlannedMeetingFactory(mentorship=pair, place=MENTEE_MARKERS["place"])
    Reminder.objects.create(
        kind=ReminderKind.GUARDIAN_CONSENT,
        target=f"mentee:{mentee.pk}",
        recipient_email=MENTEE_MARKERS["guardian_email"],
        period="1",
        last_error=f"550 {MENTEE_MARKERS['guardian_email']} refusé",
    )
    Reminder.objects.create(
        kind=ReminderKind.MEETING_DUE_SOON,
        target=f"mentorship:{pair.pk}",
        recipient=mentee.user,
        recipient_email=mentee.user.email,
        period="2026-01-01",
    )
    # The outbox: an e-mail to the young person refused by the mail server, and the refusal
    # flagged on their account.
    OwedEmailFactory(
        failed=True,
        recipient=mentee.user,
        last_error=f"SMTPDataError: 554 {MENTEE_MARKERS['owed_email_error']}",
    )
    User.objects.filter(pk=mentee.user.pk).update(
        email_refused_at=timezone.now(),
        email_refused_reason=f"550 {MENTEE_MARKERS['email_refused']}",
    )
    LogEntry.objects.create(
        user=make_coordinator(),
        content_type=ContentType.objects.get_for_model(Mentee),
        object_id=str(mentee.pk),
        object_repr=str(mentee),
        action_flag=CHANGE,
        change_message=MENTEE_MARKERS["journal"],
    )
    pair.status = MentorshipStatus.CLOSED
    pair.ended_on = days_ago(5)
    pair.close_reason = CloseReason.MENTEE_WITHDREW
    pair.close_comment = MENTEE_MARKERS["close_comment"]
    pair.save()
    # Somebody else's pair, which must not change at all.
    other = SessionFactory(summary="Point sur le CV.").mentorship
    return mentee, mentor, pair, other


def statistics(pair) -> dict:
    cache.clear()
    return {
        "figures": figures(Filters(), today=timezone.localdate()),
        "pairs": list(
            Mentorship.objects.order_by("pk").values_list(
                "pk", "status", "started_on", "ended_on", "close_reason", "score"
            )
        ),
        "sessions": list(
            Session.objects.order_by("pk").values_list("pk", "held_on", "duration_minutes")
        ),
        "scores": list(
            Answer.objects.order_by("pk").values_list("pk", "scale_value", "choice_values")
        ),
    }


def test_it_leaves_nothing_of_a_young_person_and_keeps_the_statistics():
    mentee, _mentor, pair, other = a_programme()
    assert_gone({})  # the dump itself works
    before = statistics(pair)
    assert MENTEE_MARKERS["summary"] in everything_in_the_database()

    record = person_anonymise(
        user=mentee.user, performed_by=make_coordinator(), reason=ErasureReason.REQUEST
    )

    assert_gone(MENTEE_MARKERS)
    assert statistics(pair) == before
    user = User.objects.get(pk=mentee.user.pk)
    assert user.email == f"anonyme-{user.pk}@anonymise.invalid"
    assert not user.is_active and not user.has_usable_password()
    kept = Mentee.objects.get(pk=mentee.pk)
    assert (kept.birth_date.year, kept.department) == (2009, "974")
    # The funders' report still counts the young person in their publics.
    assert set(kept.priority_marks.values_list("public__code", flat=True)) == {
        "MISSION_LOCALE",
        "QPV",
    }
    assert record.person_id == user.pk and record.reason == ErasureReason.REQUEST
    # The mentor keeps their identity; somebody else's pair keeps its texts.
    assert MENTOR_MARKERS["employer"] in everything_in_the_database()
    assert Session.objects.get(mentorship=other).summary == "Point sur le CV."


def test_it_leaves_nothing_of_a_mentor():
    _mentee, mentor, pair, _other = a_programme()
    before = statistics(pair)

    person_anonymise(user=mentor.user, performed_by=None, reason=ErasureReason.RETENTION)

    assert_gone(MENTOR_MARKERS)
    assert statistics(pair) == before
    assert mentor.exchanges.count() == 1


def test_anonymising_twice_is_harmless_and_recorded_once():
    mentee, _mentor, pair, _other = a_programme()
    first = person_anonymise(user=mentee.user, performed_by=None, reason=ErasureReason.REQUEST)
    before = statistics(pair)

    again = person_anonymise(user=mentee.user, performed_by=None, reason=ErasureReason.REQUEST)

    assert again == first
    assert ErasureRecord.objects.count() == 1
    assert statistics(pair) == before


def test_it_refuses_a_person_in_an_open_pair_and_staff():
    pair = MentorshipFactory(active=True)
    with pytest.raises(ErasureError, match="binôme"):
        person_anonymise(user=pair.mentee.user, performed_by=None, reason=ErasureReason.REQUEST)
    with pytest.raises(ErasureError, match="équipe"):
        person_anonymise(user=make_referent(), performed_by=None, reason=ErasureReason.REQUEST)
    assert User.objects.get(pk=pair.mentee.user.pk).is_active
    assert not ErasureRecord.objects.exists()


# The coordinator's action in the admin.


@pytest.fixture(autouse=True)
def _no_second_factor(settings):
    # The second factor has its own tests; here a coordinator's session is enough.
    settings.OTP_REQUIRED_FOR_COORDINATORS = False


def test_a_coordinator_anonymises_from_a_confirmation_page(client):
    mentee = MenteeFactory(user__email=MENTEE_MARKERS["email"])
    coordinator = make_coordinator()
    client.force_login(coordinator)
    url = reverse("admin:privacy_person_anonymise", args=[mentee.user.pk])

    page = client.get(url)
    assert page.status_code == 200
    assert page.content.decode().count("<h1") == 1

    refused = client.post(url, {"reason": ErasureReason.REQUEST})
    assert "Cochez la case pour confirmer" in refused.content.decode()
    assert User.objects.get(pk=mentee.user.pk).is_active

    done = client.post(url, {"reason": ErasureReason.REQUEST, "confirm": "on"}, follow=True)
    assert "a été anonymisé" in done.content.decode()
    assert not User.objects.get(pk=mentee.user.pk).is_active
    record = ErasureRecord.objects.get()
    assert record.performed_by == coordinator


def test_it_says_why_a_person_cannot_be_anonymised(client):
    pair = MentorshipFactory(active=True)
    client.force_login(make_coordinator())
    url = reverse("admin:privacy_person_anonymise", args=[pair.mentee.user.pk])
    response = client.post(url, {"reason": ErasureReason.REQUEST, "confirm": "on"})
    assert "clôturez-le" in response.content.decode()
    assert User.objects.get(pk=pair.mentee.user.pk).is_active


@pytest.mark.parametrize("who", ["referent", "member"])
def test_only_coordinators_may_anonymise(client, who):
    mentee = MenteeFactory()
    user = make_referent() if who == "referent" else UserFactory()
    client.force_login(user)
    url = reverse("admin:privacy_person_anonymise", args=[mentee.user.pk])
    response = client.post(url, {"reason": ErasureReason.REQUEST, "confirm": "on"})
    assert response.status_code in {302, 403}
    assert User.objects.get(pk=mentee.user.pk).is_active


def test_coordinators_read_the_trail_of_anonymisations_in_the_admin(client):
    mentee = MenteeFactory()
    person_anonymise(user=mentee.user, performed_by=None, reason=ErasureReason.REQUEST)
    url = reverse("admin:privacy_erasurerecord_changelist")
    client.force_login(make_coordinator())
    page = client.get(url)
    assert page.status_code == 200
    assert f"{mentee.user.pk}" in page.content.decode()
    client.force_login(make_referent())
    assert client.get(url).status_code == 403


def test_the_closure_interview_notes_are_blanked_history_included_the_facts_kept():
    from evaluations.enums import InterviewWith
    from evaluations.interviews import closure_interview_record
    from evaluations.models import ClosureInterview

    pair = MentorshipFactory(
        closed=True, started_on=datetime.date(2025, 1, 6), ended_on=datetime.date(2025, 8, 29)
    )
    coordinator = UserFactory(coordinator=True)
    for notes in ("Première version des notes", "Notes corrigées"):
        closure_interview_record(
            mentorship=pair,
            recorded_by=coordinator,
            held_on=datetime.date(2025, 9, 5),
            held_with=InterviewWith.MENTEE,
            notes=notes,
        )

    person_anonymise(user=pair.mentee.user, performed_by=None, reason=ErasureReason.REQUEST)

    interview = ClosureInterview.objects.get(mentorship=pair)
    assert interview.notes == ""
    assert (interview.held_on, interview.held_with) == (
        datetime.date(2025, 9, 5),
        InterviewWith.MENTEE,
    )
    assert set(interview.history.values_list("notes", flat=True)) == {""}
