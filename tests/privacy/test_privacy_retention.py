"""Retention periods: a person is anonymised 2 years after their last pair ended (or after
registering, if never matched) and 6 months after their registration was rejected; never
in an open pair, never staff, never twice. Checked a day either side of each boundary."""

import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from matching.enums import CloseReason
from mentorat.privacy.enums import ErasureReason
from mentorat.privacy.models import ErasureRecord
from mentorat.privacy.retention import retention_apply, retention_due
from mentorat.privacy.tasks import apply_retention
from tests.matching.factories import MentorshipFactory
from tests.mentees.factories import MenteeFactory
from tests.mentors.factories import MentorFactory
from tests.users.factories import UserFactory
from users.models import User

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
START = datetime.datetime(2026, 1, 15, 12, 0, tzinfo=PARIS)


@pytest.fixture(autouse=True)
def _periods(settings):
    settings.RETENTION_YEARS_AFTER_LAST_PAIR = 2
    settings.RETENTION_MONTHS_AFTER_REJECTION = 6


def at(year, month, day):
    return time_machine.travel(datetime.datetime(year, month, day, 12, 0, tzinfo=PARIS), tick=False)


def due_ids() -> set[int]:
    return set(retention_due().values_list("pk", flat=True))


def test_a_pair_ends_two_years_before_its_members_are_anonymised():
    pair = MentorshipFactory(
        closed=True,
        started_on=datetime.date(2025, 6, 1),
        ended_on=datetime.date(2026, 1, 15),
        close_reason=CloseReason.OBJECTIVES_ACHIEVED,
    )
    members = {pair.mentor.user.pk, pair.mentee.user.pk}
    with at(2028, 1, 15):
        assert not due_ids() & members
    with at(2028, 1, 16):
        assert due_ids() >= members
        assert set(retention_apply()) >= members
    assert not User.objects.filter(pk__in=members, is_active=True).exists()
    assert set(ErasureRecord.objects.values_list("reason", flat=True)) == {ErasureReason.RETENTION}


def test_the_last_pair_counts_not_the_first():
    old = MentorshipFactory(closed=True, ended_on=datetime.date(2023, 1, 1))
    MentorshipFactory(
        closed=True, mentee=old.mentee, mentor=old.mentor, ended_on=datetime.date(2026, 1, 15)
    )
    with at(2027, 6, 1):
        assert old.mentee.user.pk not in due_ids()


def test_somebody_never_matched_is_anonymised_two_years_after_registering():
    with time_machine.travel(START, tick=False):
        mentee = MenteeFactory(approved=True)
    with at(2028, 1, 14):
        assert mentee.user.pk not in due_ids()
    with at(2028, 1, 16):
        assert mentee.user.pk in due_ids()


def test_a_rejected_registration_is_anonymised_six_months_after_the_rejection():
    with time_machine.travel(START, tick=False):
        mentor = MentorFactory(rejected=True, reviewed_at=START)
    with at(2026, 7, 14):
        assert mentor.user.pk not in due_ids()
    with at(2026, 7, 16):
        assert mentor.user.pk in due_ids()
        retention_apply()
    assert not User.objects.get(pk=mentor.user.pk).is_active


def test_nobody_in_a_proposed_or_active_pair_is_ever_anonymised():
    with time_machine.travel(START, tick=False):
        active = MentorshipFactory(active=True, started_on=START.date())
        proposed = MentorshipFactory(mentee__rejected=True, mentee__reviewed_at=START)
    with at(2031, 1, 1):
        due = due_ids()
        retention_apply()
    people = {
        active.mentor.user.pk,
        active.mentee.user.pk,
        proposed.mentor.user.pk,
        proposed.mentee.user.pk,
    }
    assert not due & people
    assert User.objects.filter(pk__in=people, is_active=True).count() == 4


def test_staff_and_anonymised_accounts_are_left_alone():
    with time_machine.travel(START, tick=False):
        staff = UserFactory(staff=True)
        mentee = MenteeFactory(rejected=True, reviewed_at=START)
    with at(2030, 1, 1):
        assert retention_apply() == [mentee.user.pk]
        assert retention_apply() == []
    assert User.objects.get(pk=staff.pk).is_active
    assert ErasureRecord.objects.count() == 1


def test_the_dry_run_lists_ids_and_changes_nothing():
    with time_machine.travel(START, tick=False):
        mentee = MenteeFactory(rejected=True, reviewed_at=START, user__last_name="Zorglub")
    out = StringIO()
    with at(2030, 1, 1):
        call_command("apply_retention", "--dry-run", stdout=out)
    assert out.getvalue().strip() == f"1 compte(s) seraient anonymisés : {mentee.user.pk}"
    assert "Zorglub" not in out.getvalue()
    assert User.objects.get(pk=mentee.user.pk).is_active
    assert not ErasureRecord.objects.exists()


def test_the_command_and_the_nightly_task_anonymise():
    with time_machine.travel(START, tick=False):
        first = MenteeFactory(rejected=True, reviewed_at=START)
        second = MentorFactory(rejected=True, reviewed_at=START)
    out = StringIO()
    with at(2030, 1, 1):
        call_command("apply_retention", stdout=out)
    assert out.getvalue().strip() == (f"2 compte(s) anonymisés : {first.user.pk}, {second.user.pk}")
    with time_machine.travel(START, tick=False):
        third = MenteeFactory(rejected=True, reviewed_at=START)
    with at(2030, 1, 1):
        assert apply_retention.delay().get() == 1
    assert not User.objects.filter(
        pk__in=[first.user.pk, second.user.pk, third.user.pk], is_active=True
    ).exists()


def test_the_worker_knows_the_nightly_task_of_the_beat_schedule():
    from django.conf import settings

    from mentorat.celery import app

    app.loader.import_default_modules()
    entry = settings.CELERY_BEAT_SCHEDULE["nightly-retention"]
    assert entry["task"] == apply_retention.name
    assert apply_retention.name in app.tasks
