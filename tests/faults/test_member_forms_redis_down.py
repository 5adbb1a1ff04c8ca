"""Members' forms with Redis stopped (issue 16): a mentor logs a session and plans the next
meeting while the cache and the broker are down. Both are saved and answered; the e-mail the
meeting owes to the young person waits in the outbox and leaves once Redis is back."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from sessions.models import PlannedMeeting, Session
from tests.matching.factories import MentorshipFactory
from users.enums import OwedEmailStatus
from users.models import OwedEmail
from users.outbox import owed_emails_dispatch

from .test_outbox_faults import status_of, wait_until

MEETING_EMAIL = "sessions.tasks.send_meeting_planned_email"


@pytest.mark.django_db(transaction=True)
def test_with_redis_stopped_a_mentor_logs_a_session_and_plans_a_meeting_and_nothing_is_lost(
    client,
    shared_cache,
    broker,
    smtp_server,
    workers,
):
    today = timezone.localdate()
    pair = MentorshipFactory(active=True, started_on=today - datetime.timedelta(days=30))
    client.force_login(pair.mentor.user)
    next_week = today + datetime.timedelta(days=7)
    broker.stop()

    logged = client.post(
        reverse("sessions:log", args=[pair.pk]),
        {
            "held_on": (today - datetime.timedelta(days=2)).isoformat(),
            "duration_minutes": "90",
            "format": "video",
            "topics": ["orientation"],
            "other_topic": "",
            "summary": "Nous avons listé trois entreprises pour l'alternance.",
            "next_steps": "",
        },
    )
    planned = client.post(
        reverse("sessions:plan_meeting", args=[pair.pk]),
        {
            "starts_at": f"{next_week.isoformat()}T18:30",
            "duration_minutes": "90",
            "place": "Médiathèque Ulysse, Saint-Denis",
            "video_link": "",
        },
    )

    assert (logged.status_code, planned.status_code) == (302, 302)
    assert Session.objects.filter(mentorship=pair).count() == 1
    assert PlannedMeeting.objects.filter(mentorship=pair).count() == 1
    assert status_of(MEETING_EMAIL) == OwedEmailStatus.PENDING

    # Redis back, and a worker: the sweep of a few minutes later sends it, once.
    broker.start()
    worker = workers()
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=3)):
        owed_emails_dispatch()
    wait_until(lambda: status_of(MEETING_EMAIL) == OwedEmailStatus.SENT, "meeting", worker)
    assert pair.mentee.user.email in smtp_server.recipients()
    assert OwedEmail.objects.filter(task=MEETING_EMAIL).count() == 1
