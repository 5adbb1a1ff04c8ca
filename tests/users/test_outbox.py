"""The outbox (issue 16): every e-mail the platform owes is a row written in the transaction of
the change that owes it (a rolled-back change owes nothing), sent after the commit by one path
that sends each e-mail once, and by the sweep when the broker never got it."""

import datetime
import io

import pytest
import time_machine
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from matching.enums import CloseReason, Side
from matching.services import (
    mentorship_close,
    mentorship_guardian_object,
    mentorship_propose,
    mentorship_respond,
)
from mentees.forms import MenteeRegistrationForm
from mentees.services import guardian_consent_give, mentee_register
from mentorat.celery import app as celery_app
from mentors.services_training import training_sign_up
from sessions.services import meeting_plan
from tests.matching.factories import MentorshipFactory
from tests.mentees.factories import MenteeFactory
from tests.mentees.form_data import minor_form_data
from tests.mentors.factories import MentorFactory, TrainingSessionFactory
from tests.users.factories import OwedEmailFactory, UserFactory
from tests.users.staff import make_referent
from users.enums import OwedEmailStatus
from users.forms_auth import PasswordResetForm
from users.models import OwedEmail, SentEmail
from users.outbox import owed_emails_dispatch, owed_emails_prune
from users.services import (
    registration_approve,
    registration_user_create,
    staff_account_setup,
)
from users.tasks import send_owed_email

pytestmark = pytest.mark.django_db

NOON = datetime.datetime(2026, 3, 16, 12, tzinfo=timezone.get_default_timezone())
MINUTE = datetime.timedelta(minutes=1)


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(NOON, tick=False):
        yield


def coordinator():
    return UserFactory(coordinator=True)


# One way to owe each e-mail task, through the service that owes it: `setup()` builds what
# it needs (outside the transaction under test) and returns the call that owes the e-mail.
def owe_registration_email():
    mentee = MenteeFactory()
    by = coordinator()
    return lambda: registration_approve(registration=mentee, approved_by=by)


def owe_account_exists_email():
    existing = UserFactory(email="lea.martin@example.org")
    return lambda: registration_user_create(
        email=existing.email, first_name="Léa", last_name="Martin"
    )


def owe_staff_invitation():
    user, by = UserFactory(without_password=True), coordinator()
    return lambda: staff_account_setup(user=user, role="referent", invited_by=by)


def owe_guardian_consent_request():
    form = MenteeRegistrationForm(minor_form_data(15))
    assert form.is_valid(), form.errors
    return lambda: mentee_register(
        email="ines.martin@example.org",
        first_name="Inès",
        last_name="Martin",
        fields=form.registration_fields(),
    )


def owe_mentorship_email():
    pair = MentorshipFactory()
    return lambda: mentorship_respond(
        mentorship=pair, side=Side.MENTOR, accept=False, reason="Pas disponible ce trimestre"
    )


def owe_closure_emails():
    pair = MentorshipFactory(active=True, mentor__referent=make_referent())
    by = coordinator()
    return lambda: mentorship_close(
        mentorship=pair, reason=CloseReason.MENTEE_WITHDREW, closed_by=by
    )


def owe_guardian_proposal_email():
    mentee = MenteeFactory(approved=True, minor=True, with_consent=True)
    mentor = MentorFactory(approved=True, for_minors=True)
    by = coordinator()
    return lambda: mentorship_propose(mentee=mentee, mentor=mentor, proposed_by=by)


def owe_guardian_objection_email():
    pair = MentorshipFactory(mentee__minor=True, mentee__with_consent=True)
    return lambda: mentorship_guardian_object(mentorship=pair)


def owe_meeting_planned_email():
    pair = MentorshipFactory(active=True)
    return lambda: meeting_plan(
        mentorship=pair,
        author=pair.mentor.user,
        starts_at=NOON + datetime.timedelta(days=7),
        place="Médiathèque Ulysse, Saint-Denis",
    )


def owe_training_confirmation_email():
    session = TrainingSessionFactory(starts_at=NOON + datetime.timedelta(days=7))
    mentor = MentorFactory(approved=True)
    return lambda: training_sign_up(session=session, mentor=mentor)


def owe_password_reset_email():
    UserFactory(email="lea.martin@example.org")
    form = PasswordResetForm({"email": "Lea.Martin@example.org"})
    assert form.is_valid(), form.errors
    return form.save


def owe_referral_invitation():
    from mentorat.demo.factories import PrescriberFactory
    from prescribers.services import referral_create

    prescriber = PrescriberFactory()
    return lambda: referral_create(
        prescriber=prescriber,
        first_name="Inès",
        last_name="Martin",
        email="ines.martin@example.org",
        birth_date=datetime.date(2004, 5, 1),
        reason="Sans réseau.",
    )


def owe_prescriber_invitation():
    from mentorat.demo.factories import OrganisationFactory
    from prescribers.services import prescriber_account_create

    organisation, by = OrganisationFactory(), coordinator()
    return lambda: prescriber_account_create(
        organisation=organisation,
        email="lea.garnier@example.org",
        first_name="Léa",
        last_name="Garnier",
        created_by=by,
    )


OWED_EMAILS = {
    "users.tasks.send_password_reset_email": owe_password_reset_email,
    "users.tasks.send_registration_email": owe_registration_email,
    "users.tasks.send_account_exists_email": owe_account_exists_email,
    "users.tasks.send_staff_invitation": owe_staff_invitation,
    "mentees.tasks.send_guardian_consent_request": owe_guardian_consent_request,
    "matching.tasks.send_mentorship_email": owe_mentorship_email,
    "matching.tasks.send_closure_emails": owe_closure_emails,
    "matching.tasks.send_guardian_proposal_email": owe_guardian_proposal_email,
    "matching.tasks.send_guardian_objection_email": owe_guardian_objection_email,
    "sessions.tasks.send_meeting_planned_email": owe_meeting_planned_email,
    "prescribers.tasks.send_referral_invitation": owe_referral_invitation,
    "prescribers.tasks.send_prescriber_invitation": owe_prescriber_invitation,
    "mentors.tasks.send_training_confirmation_email": owe_training_confirmation_email,
}

# Every other task of the project, and why it is no e-mail the outbox sends.
NOT_OWED_EMAILS = {
    # The outbox itself: sending a row, the sweep, the retention of sent rows.
    "users.tasks.send_owed_email",
    "users.tasks.send_owed_emails",
    "users.tasks.prune_owed_emails",
    # Reminders are rows of their own already (reminders.Reminder, locked while sending).
    "reminders.tasks.send_reminder",
    "reminders.tasks.daily_sweep",
    "reminders.tasks.weekly_digests",
    "reminders.tasks.requeue_stalled_reminders",
    "matching.tasks.compute_matching_batch",
    "mentorat.privacy.tasks.apply_retention",
}


def project_tasks() -> set[str]:
    celery_app.loader.import_default_modules()
    return {name for name in celery_app.tasks if not name.startswith("celery.")}


def test_every_task_of_the_project_is_an_owed_email_or_known_not_to_be_one():
    owed = {name for name in project_tasks() if celery_app.tasks[name].owed_email}

    assert owed == set(OWED_EMAILS)
    assert project_tasks() - owed == NOT_OWED_EMAILS


class RolledBack(Exception):
    pass


@pytest.mark.parametrize("task", sorted(OWED_EMAILS))
def test_the_change_that_owes_an_email_writes_its_row_in_its_own_transaction(task):
    owe = OWED_EMAILS[task]()

    with transaction.atomic():
        owe()
        # Written before the commit, by the transaction itself.
        rows = list(OwedEmail.objects.filter(task=task).values_list("status", flat=True))

    assert rows and set(rows) == {OwedEmailStatus.PENDING}


@pytest.mark.parametrize("task", sorted(OWED_EMAILS))
def test_a_rolled_back_change_owes_no_email(task):
    owe = OWED_EMAILS[task]()

    with pytest.raises(RolledBack), transaction.atomic():
        owe()
        raise RolledBack

    assert not OwedEmail.objects.exists()


@pytest.mark.parametrize("task", sorted(OWED_EMAILS))
def test_after_the_commit_each_owed_email_is_sent_and_its_row_marked_sent(
    task, django_capture_on_commit_callbacks, mailoutbox
):
    owe = OWED_EMAILS[task]()
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        owe()

    rows = OwedEmail.objects.filter(task=task)
    assert rows and {row.status for row in rows} == {OwedEmailStatus.SENT}
    assert all(row.done_at == NOON and row.attempts == 1 and row.subject for row in rows)
    assert mailoutbox
    # Each e-mail went through its once-only marker.
    assert SentEmail.objects.filter(sent_at=NOON).count() >= len(mailoutbox)


def test_a_row_sent_already_sends_nothing_when_its_task_comes_again(
    django_capture_on_commit_callbacks, mailoutbox
):
    owe = owe_staff_invitation()
    with django_capture_on_commit_callbacks(execute=True):
        owe()
    row = OwedEmail.objects.get()

    # A message redelivered by the broker, a second sweep, a double click on « Renvoyer ».
    send_owed_email.delay(row.pk)
    send_owed_email.delay(row.pk)

    assert len(mailoutbox) == 1
    row.refresh_from_db()
    assert (row.status, row.attempts) == (OwedEmailStatus.SENT, 1)


def test_the_recipient_and_the_subject_are_recorded_without_any_address(
    django_capture_on_commit_callbacks, mailoutbox
):
    owe = owe_staff_invitation()
    with django_capture_on_commit_callbacks(execute=True):
        owe()

    row = OwedEmail.objects.get()
    [message] = mailoutbox
    assert row.recipient.email == message.to[0]
    assert row.subject == message.subject
    # Ids only in what is stored of the task.
    assert row.args == [row.recipient.pk]


def test_an_email_with_nothing_left_to_say_is_marked_without_object(
    django_capture_on_commit_callbacks, mailoutbox
):
    owe = owe_guardian_consent_request()
    with transaction.atomic():
        mentee = owe()
    row = OwedEmail.objects.get(task="mentees.tasks.send_guardian_consent_request")
    # The guardian answered before the e-mail went (it was sent by another way).
    guardian_consent_give(mentee=mentee, guardian_name="Nadia Martin")
    mailoutbox.clear()

    send_owed_email.delay(row.pk)

    row.refresh_from_db()
    assert row.status == OwedEmailStatus.SKIPPED
    assert mailoutbox == []


def test_the_sweep_sends_the_rows_the_broker_never_got_after_a_few_minutes(mailoutbox):
    # Committed (in this test's transaction) but never queued: the broker was down.
    with transaction.atomic():
        owe_staff_invitation()()
    row = OwedEmail.objects.get()

    assert owed_emails_dispatch(now=NOON + MINUTE) == []
    assert mailoutbox == []

    assert owed_emails_dispatch(now=NOON + 3 * MINUTE) == [row.pk]

    row.refresh_from_db()
    assert row.status == OwedEmailStatus.SENT
    assert len(mailoutbox) == 1
    # Sent: the next sweeps leave it alone.
    assert owed_emails_dispatch(now=NOON + 10 * MINUTE) == []


def test_the_sweep_takes_back_a_row_whose_worker_died_once_its_claim_has_expired(mailoutbox):
    # A worker claimed it at noon, then was killed before it finished.
    row = OwedEmailFactory(
        status=OwedEmailStatus.SENDING, attempts=1, next_attempt_at=NOON + 10 * MINUTE
    )

    with time_machine.travel(NOON + 9 * MINUTE, tick=False):
        assert owed_emails_dispatch() == []
    with time_machine.travel(NOON + 10 * MINUTE, tick=False):
        assert owed_emails_dispatch() == [row.pk]

    row.refresh_from_db()
    assert (row.status, row.attempts) == (OwedEmailStatus.SENT, 2)
    assert len(mailoutbox) == 1


def test_a_closure_run_again_after_a_death_sends_only_the_emails_not_sent(mailoutbox):
    owe = owe_closure_emails()
    with transaction.atomic():
        pair = owe()
    row = OwedEmail.objects.get()
    # Its first run sent the young person's e-mail, then its worker died: the claim expired.
    SentEmail.objects.create(key=f"mentorship-closed:{pair.pk}:mentee", sent_at=NOON)
    OwedEmail.objects.filter(pk=row.pk).update(status=OwedEmailStatus.SENDING, next_attempt_at=NOON)

    owed_emails_dispatch(now=NOON)

    assert sorted(message.to[0] for message in mailoutbox) == sorted(
        [pair.mentor.user.email, pair.mentor.referent.email]
    )
    row.refresh_from_db()
    assert row.status == OwedEmailStatus.SENT


def test_the_sent_rows_go_after_their_retention_the_failed_ones_after_a_year():
    old_sent = OwedEmailFactory(
        status=OwedEmailStatus.SENT, done_at=NOON - datetime.timedelta(days=91)
    )
    recent_sent = OwedEmailFactory(
        status=OwedEmailStatus.SENT, done_at=NOON - datetime.timedelta(days=89)
    )
    failed = OwedEmailFactory(failed=True, created_at=NOON - datetime.timedelta(days=200))
    old_failed = OwedEmailFactory(failed=True, created_at=NOON - datetime.timedelta(days=366))
    SentEmail.objects.create(key="old", sent_at=NOON - datetime.timedelta(days=366))
    SentEmail.objects.create(key="recent", sent_at=NOON - datetime.timedelta(days=200))

    assert owed_emails_prune() == {"sent": 1, "failed": 1, "markers": 1}

    assert set(OwedEmail.objects.values_list("pk", flat=True)) == {recent_sent.pk, failed.pk}
    assert not OwedEmail.objects.filter(pk__in=[old_sent.pk, old_failed.pk]).exists()
    assert list(SentEmail.objects.values_list("key", flat=True)) == ["recent"]


def test_without_celery_beat_the_command_runs_the_sweep_in_the_process(mailoutbox):
    # The embedded default (no Redis): tasks run in the process, and no beat runs the sweep.
    with transaction.atomic():
        owe_staff_invitation()()
    out = io.StringIO()

    with time_machine.travel(NOON + 3 * MINUTE, tick=False):
        call_command("send_owed_emails", stdout=out)

    assert out.getvalue() == "1 e-mail(s) dû(s) envoyé(s) ou mis en file.\n"
    assert OwedEmail.objects.get().status == OwedEmailStatus.SENT
    assert len(mailoutbox) == 1
