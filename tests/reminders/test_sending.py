import datetime
from smtplib import SMTPException, SMTPRecipientsRefused
from unittest import mock

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from matching.enums import ObjectiveStatus
from matching.models import Objective
from mentees.consent import guardian_consent_path
from mentorat.celery import app as celery_app
from reminders.enums import ReminderKind, ReminderStatus
from reminders.models import Reminder
from reminders.sending import send_reminder_now
from reminders.sweep import STALE_PENDING, requeue_stalled
from reminders.tasks import send_reminder
from tests.antennes.factories import make_antenne
from tests.matching.factories import MentorshipFactory
from tests.mentees.factories import MenteeFactory
from tests.mentors.factories import MentorFactory
from tests.sessions.factories import PlannedMeetingFactory, SessionFactory
from tests.users.factories import UserFactory
from tests.users.staff import make_antenne_coordinator

SITE = "http://testserver"
BACKEND = "django.core.mail.backends.locmem.EmailBackend.send_messages"


@pytest.fixture
def eager_retries():
    # Celery runs an eager task's retries nested in `apply`, which re-raises them when eager
    # errors propagate (the test settings): run them to the end, as a worker would.
    previous = celery_app.conf.task_eager_propagates
    celery_app.conf.task_eager_propagates = False
    try:
        yield
    finally:
        celery_app.conf.task_eager_propagates = previous


def days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def for_user(kind, target, user, period="once") -> Reminder:
    return Reminder.objects.create(
        kind=kind, target=target, recipient=user, recipient_email=user.email, period=period
    )


def overdue_pair(**kwargs):
    referent = UserFactory(staff=True, first_name="Romane")
    return MentorshipFactory(
        active=True,
        started_on=days_ago(60),
        mentor=MentorFactory(approved=True, referent=referent, user__first_name="Sophie"),
        mentee__user__first_name="Yanis",
        **kwargs,
    )


def meeting_due_soon():
    pair = MentorshipFactory(active=True, started_on=days_ago(40))
    return for_user(ReminderKind.MEETING_DUE_SOON, f"mentorship:{pair.pk}", pair.mentee.user), (
        reverse("spaces:pair", args=[pair.pk])
    )


def meeting_overdue():
    pair = overdue_pair()
    return for_user(ReminderKind.MEETING_OVERDUE, f"mentorship:{pair.pk}", pair.mentor.user), (
        reverse("spaces:pair", args=[pair.pk])
    )


def meeting_overdue_referent():
    pair = overdue_pair()
    reminder = for_user(
        ReminderKind.MEETING_OVERDUE_REFERENT, f"mentorship:{pair.pk}", pair.mentor.referent
    )
    return reminder, reverse("spaces:pair", args=[pair.pk])


def referent_overdue_digest():
    pair = overdue_pair()
    referent = pair.mentor.referent
    for_user(ReminderKind.MEETING_OVERDUE_REFERENT, f"mentorship:{pair.pk}", referent)
    reminder = for_user(
        ReminderKind.REFERENT_OVERDUE_DIGEST, f"user:{referent.pk}", referent, "2026-03-02"
    )
    return reminder, reverse("spaces:pair", args=[pair.pk])


def log_session():
    meeting = PlannedMeetingFactory(starts_at=timezone.now() - datetime.timedelta(days=3))
    pair = meeting.mentorship
    reminder = for_user(ReminderKind.LOG_SESSION, f"plannedmeeting:{meeting.pk}", pair.mentor.user)
    return reminder, reverse("sessions:log", args=[pair.pk])


def evaluate_session():
    session = SessionFactory()
    reminder = for_user(
        ReminderKind.EVALUATE_SESSION, f"session:{session.pk}", session.mentorship.mentee.user
    )
    return reminder, reverse("sessions:evaluate", args=[session.pk])


def start_questionnaire():
    pair = MentorshipFactory(active=True, started_on=days_ago(10))
    reminder = for_user(ReminderKind.START_QUESTIONNAIRE, f"mentorship:{pair.pk}", pair.mentee.user)
    return reminder, reverse("evaluations:fill", args=[pair.pk, "debut"])


def end_questionnaire():
    pair = MentorshipFactory(closed=True, ended_on=days_ago(10))
    reminder = for_user(ReminderKind.END_QUESTIONNAIRE, f"mentorship:{pair.pk}", pair.mentor.user)
    return reminder, reverse("evaluations:fill", args=[pair.pk, "fin"])


def guardian_consent():
    mentee = MenteeFactory(under_15=True)
    reminder = Reminder.objects.create(
        kind=ReminderKind.GUARDIAN_CONSENT,
        target=f"mentee:{mentee.pk}",
        recipient_email=mentee.guardian_email,
        period="1",
    )
    return reminder, guardian_consent_path(mentee)


def proposal_unanswered():
    pair = MentorshipFactory()
    reminder = for_user(ReminderKind.PROPOSAL_UNANSWERED, f"mentorship:{pair.pk}", pair.mentor.user)
    return reminder, reverse("matching:my_proposals")


def referent_digest():
    pair = overdue_pair()
    referent = pair.mentor.referent
    on_track = MentorshipFactory(active=True, mentor=pair.mentor, started_on=days_ago(10))
    SessionFactory(mentorship=on_track)
    closing = MentorshipFactory(
        active=True,
        mentor=pair.mentor,
        started_on=days_ago(200),
        last_session_on=days_ago(5),
        last_qualifying_session_on=days_ago(5),
    )
    Objective.objects.create(
        mentorship=closing,
        title="Trouver une alternance",
        status=ObjectiveStatus.ACHIEVED,
        created_by=pair.mentor.user,
    )
    reminder = for_user(ReminderKind.REFERENT_DIGEST, f"user:{referent.pk}", referent, "2026-W01")
    return reminder, reverse("spaces:home")


def coordinator_digest():
    coordinator = UserFactory(coordinator=True)
    MentorFactory()  # pending review
    MenteeFactory(approved=True, created_at=timezone.now() - datetime.timedelta(days=40))
    reminder = for_user(
        ReminderKind.COORDINATOR_DIGEST, f"user:{coordinator.pk}", coordinator, "2026-W01"
    )
    return reminder, reverse("admin:mentors_mentor_changelist")


SITUATIONS = {
    ReminderKind.MEETING_DUE_SOON: meeting_due_soon,
    ReminderKind.MEETING_OVERDUE: meeting_overdue,
    ReminderKind.MEETING_OVERDUE_REFERENT: meeting_overdue_referent,
    ReminderKind.REFERENT_OVERDUE_DIGEST: referent_overdue_digest,
    ReminderKind.LOG_SESSION: log_session,
    ReminderKind.EVALUATE_SESSION: evaluate_session,
    ReminderKind.START_QUESTIONNAIRE: start_questionnaire,
    ReminderKind.END_QUESTIONNAIRE: end_questionnaire,
    ReminderKind.GUARDIAN_CONSENT: guardian_consent,
    ReminderKind.PROPOSAL_UNANSWERED: proposal_unanswered,
    ReminderKind.REFERENT_DIGEST: referent_digest,
    ReminderKind.COORDINATOR_DIGEST: coordinator_digest,
}


def test_every_kind_has_a_situation():
    assert set(SITUATIONS) == set(ReminderKind)


@pytest.mark.django_db
@pytest.mark.parametrize("kind", list(ReminderKind))
def test_each_kind_renders_in_french_with_the_link_to_act_on_and_no_name_in_the_subject(kind):
    reminder, path = SITUATIONS[kind]()

    assert send_reminder_now(reminder.pk) is True

    [message] = mail.outbox
    assert message.to == [reminder.recipient_email]
    html = message.alternatives[0][0]
    assert SITE + path in message.body
    assert SITE + path in html
    assert "{{" not in message.body and "{%" not in html
    # No personal data in the subject: no first or last name of anybody in the database.
    from users.models import User

    for first_name, last_name in User.objects.values_list("first_name", "last_name"):
        assert first_name not in message.subject
        assert last_name not in message.subject
    assert "@" not in message.subject
    reminder.refresh_from_db()
    assert reminder.status == ReminderStatus.SENT
    assert reminder.sent_at is not None
    assert reminder.attempts == 1


@pytest.mark.django_db
def test_the_referent_alert_carries_the_pairs_history_in_one_line():
    pair = overdue_pair()
    SessionFactory(mentorship=pair, held_on=days_ago(50))
    SessionFactory(mentorship=pair, held_on=days_ago(55), short=True)
    pair.last_session_on = pair.last_qualifying_session_on = days_ago(50)
    pair.qualifying_sessions = 1
    pair.save()
    reminder = for_user(
        ReminderKind.MEETING_OVERDUE_REFERENT, f"mentorship:{pair.pk}", pair.mentor.referent
    )

    send_reminder_now(reminder.pk)

    [message] = mail.outbox
    [line] = [line for line in message.body.splitlines() if line.startswith("Historique")]
    assert "2 séances dont 1 d'au moins 1h30" in line
    assert "commencé le" in line and "dernière séance : le" in line
    assert "au plus tard le" in line
    assert "Sophie – Yanis" in message.body


@pytest.mark.django_db
def test_the_referent_digest_lists_its_items():
    reminder, _ = referent_digest()

    send_reminder_now(reminder.pk)

    [message] = mail.outbox
    assert "Binômes en retard de rencontre (1)" in message.body
    assert "Séances à suivre (1)" in message.body
    assert "Binômes prêts à clôturer (1)" in message.body


@pytest.mark.django_db
def test_the_send_task_run_twice_sends_one_email():
    reminder, _ = meeting_overdue()

    send_reminder.delay(reminder.pk)
    send_reminder.delay(reminder.pk)

    assert len(mail.outbox) == 1
    reminder.refresh_from_db()
    assert reminder.status == ReminderStatus.SENT
    assert reminder.attempts == 1


@pytest.mark.django_db
@pytest.mark.parametrize("status", [ReminderStatus.SENT, ReminderStatus.FAILED, "skipped"])
def test_a_reminder_no_longer_pending_sends_nothing(status):
    reminder, _ = meeting_overdue()
    Reminder.objects.filter(pk=reminder.pk).update(status=status)

    assert send_reminder_now(reminder.pk) is False

    assert mail.outbox == []


@pytest.mark.django_db
def test_a_deleted_target_is_skipped_not_retried():
    reminder = for_user(ReminderKind.MEETING_OVERDUE, "mentorship:999999", UserFactory())

    assert send_reminder_now(reminder.pk) is False

    reminder.refresh_from_db()
    assert reminder.status == ReminderStatus.SKIPPED
    assert "999999" in reminder.last_error
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_mail_server_failure_is_recorded_and_the_row_stays_pending():
    reminder, _ = meeting_overdue()

    with (
        mock.patch(BACKEND, side_effect=SMTPException("451 try again later")),
        pytest.raises(SMTPException),
    ):
        send_reminder_now(reminder.pk)

    reminder.refresh_from_db()
    assert reminder.status == ReminderStatus.PENDING
    assert reminder.attempts == 1
    assert "451 try again later" in reminder.last_error
    assert reminder.sent_at is None


@pytest.mark.django_db
def test_the_task_retries_with_a_short_backoff_then_records_the_failure(eager_retries):
    reminder, _ = meeting_overdue()
    countdowns = []
    original_retry = send_reminder.retry

    def spy_retry(*args, **kwargs):
        countdowns.append(kwargs["countdown"])
        return original_retry(*args, **kwargs)

    with (
        mock.patch(BACKEND, side_effect=SMTPException("451 try again later")),
        mock.patch.object(send_reminder, "retry", side_effect=spy_retry),
    ):
        send_reminder.apply(args=[reminder.pk], throw=False)

    # Exponential, capped at 10 minutes: never an ETA beyond the broker's visibility timeout.
    assert countdowns == [60, 120, 240, 480, 600]
    reminder.refresh_from_db()
    assert reminder.status == ReminderStatus.FAILED
    assert reminder.attempts == 6
    assert "SMTPException: 451 try again later" in reminder.last_error
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_retry_after_a_transient_failure_sends_once(eager_retries):
    reminder, _ = meeting_overdue()
    calls = {"n": 0}
    from django.core.mail.backends.locmem import EmailBackend

    original = EmailBackend.send_messages

    def flaky(self, messages):
        calls["n"] += 1
        if calls["n"] == 1:
            raise ConnectionError("connection refused")
        return original(self, messages)

    with mock.patch.object(EmailBackend, "send_messages", flaky):
        send_reminder.apply(args=[reminder.pk], throw=False)

    assert len(mail.outbox) == 1
    reminder.refresh_from_db()
    assert reminder.status == ReminderStatus.SENT
    assert reminder.attempts == 2
    assert "connection refused" in reminder.last_error


@pytest.mark.django_db
def test_an_address_refused_for_good_fails_at_once_and_is_flagged_on_the_person(eager_retries):
    reminder, _ = meeting_overdue()
    address = reminder.recipient_email
    refused = SMTPRecipientsRefused({address: (550, f"5.1.1 <{address}> unknown".encode())})

    with mock.patch(BACKEND, side_effect=refused):
        send_reminder.apply(args=[reminder.pk], throw=False)

    reminder.refresh_from_db()
    # No retry: a 5xx answer would be the same the next time.
    assert reminder.status == ReminderStatus.FAILED
    assert reminder.attempts == 1
    assert "550" in reminder.last_error
    assert address not in reminder.last_error
    reminder.recipient.refresh_from_db()
    assert reminder.recipient.email_refused_at is not None
    assert "550" in reminder.recipient.email_refused_reason


@pytest.mark.django_db
def test_a_reminder_whose_message_never_reached_a_worker_is_queued_again_after_a_while(
    django_capture_on_commit_callbacks,
):
    stalled, _ = meeting_overdue()
    meeting_overdue_referent()  # written now: still on its way
    retrying, _ = referent_overdue_digest()
    Reminder.objects.filter(pk=retrying.pk).update(attempts=1)
    Reminder.objects.filter(pk=stalled.pk).update(created_at=timezone.now() - 2 * STALE_PENDING)
    Reminder.objects.filter(pk=retrying.pk).update(created_at=timezone.now() - 2 * STALE_PENDING)

    with django_capture_on_commit_callbacks(execute=True):
        queued = requeue_stalled()

    # Only the one never tried: the fresh one is still on its way, the other has its retry.
    assert queued == [stalled.pk]
    stalled.refresh_from_db()
    assert stalled.status == ReminderStatus.SENT
    assert [message.to for message in mail.outbox] == [[stalled.recipient_email]]


@pytest.mark.django_db
def test_an_antenne_coordinator_is_told_of_their_antenne_s_people_only():
    lyon, lille = make_antenne("Lyon", ["69"]), make_antenne("Lille", ["59"])
    coordinator = make_antenne_coordinator(lyon)
    MentorFactory(antenne=lyon, user__first_name="Lucien")  # pending review
    MentorFactory(antenne=lille)
    MentorFactory(antenne=None)
    reminder = for_user(
        ReminderKind.COORDINATOR_DIGEST, f"user:{coordinator.pk}", coordinator, "2026-W01"
    )

    assert send_reminder_now(reminder.pk) is True

    [message] = mail.outbox
    assert "Inscriptions à examiner : 1 mentor (" in message.body


@pytest.mark.django_db
def test_an_antenne_with_nothing_to_act_on_gets_no_digest():
    lyon, lille = make_antenne("Lyon", ["69"]), make_antenne("Lille", ["59"])
    coordinator = make_antenne_coordinator(lyon)
    MentorFactory(antenne=lille)  # pending review, elsewhere
    reminder = for_user(
        ReminderKind.COORDINATOR_DIGEST, f"user:{coordinator.pk}", coordinator, "2026-W01"
    )

    send_reminder_now(reminder.pk)

    assert mail.outbox == []
    reminder.refresh_from_db()
    assert reminder.status != ReminderStatus.SENT
