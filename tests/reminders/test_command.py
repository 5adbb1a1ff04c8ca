"""`manage.py send_reminders`: the same sweep without Celery."""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from reminders.enums import ReminderKind, ReminderStatus
from reminders.models import Reminder
from tests.matching.factories import MentorshipFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 2)


def run(*args) -> str:
    out = StringIO()
    call_command("send_reminders", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def overdue_pair():
    return MentorshipFactory(active=True, started_on=TODAY - datetime.timedelta(days=46))


def test_a_dry_run_lists_what_would_be_sent_without_writing(overdue_pair):
    output = run("--dry-run", "--date", TODAY.isoformat())
    assert "2 rappel(s) à envoyer le 02/03/2026 (simulation)" in output
    assert f"Rencontre en retard → {overdue_pair.mentor.user.email}" in output
    assert f"(mentorship:{overdue_pair.pk})" in output
    assert not Reminder.objects.exists()


def test_a_dry_run_on_a_quiet_day_lists_nothing(overdue_pair):
    output = run("--dry-run", "--date", (TODAY - datetime.timedelta(days=43)).isoformat())
    assert output.startswith("0 rappel(s)")


def test_an_invalid_date_is_refused_in_french():
    with pytest.raises(CommandError, match="Date invalide"):
        run("--date", "02/03/2026")


def test_the_command_records_each_reminder_and_sends_it(overdue_pair, mailoutbox):
    # Needs reminders.sending (written alongside): it sends each recorded row once.
    output = run("--date", TODAY.isoformat())
    rows = Reminder.objects.filter(kind=ReminderKind.MEETING_OVERDUE)
    assert rows.count() == 2
    assert set(rows.values_list("status", flat=True)) == {ReminderStatus.SENT}
    assert "2 rappel(s) envoyé(s) sur 2 à envoyer." in output
    assert len(mailoutbox) == 2
    # A second run records and sends nothing more.
    assert "0 rappel(s) envoyé(s) sur 0" in run("--date", TODAY.isoformat())
    assert len(mailoutbox) == 2
