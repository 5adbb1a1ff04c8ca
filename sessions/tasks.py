from celery import shared_task
from django.conf import settings
from django.urls import reverse

from matching.enums import MentorshipStatus
from users.emails import absolute_url, send_templated_email_once
from users.programme import duration_words
from users.tasks import EMAIL_RETRY

from .calendar import planned_meeting_ics
from .models import PlannedMeeting


@shared_task(**EMAIL_RETRY)
def send_meeting_planned_email(meeting_id: int, version: str, changed: bool) -> None:
    """To the member who did not plan it: the meeting planned (or changed) by the other one,
    with its .ics. `version` is the meeting's `updated_at` when it was planned: a meeting
    planned again since has its own task, which tells the latest one."""
    meeting = (
        PlannedMeeting.objects.select_related(
            "mentorship__mentor__user", "mentorship__mentee__user"
        )
        .filter(pk=meeting_id)
        .first()
    )
    if meeting is None or meeting.updated_at.isoformat() != version:
        return
    pair = meeting.mentorship
    if pair.status != MentorshipStatus.ACTIVE:
        return
    planned_by_mentor = meeting.planned_by_id == pair.mentor.user_id
    recipient, author = (
        (pair.mentee, pair.mentor) if planned_by_mentor else (pair.mentor, pair.mentee)
    )
    role = "mentee" if planned_by_mentor else "mentor"
    send_templated_email_once(
        key=f"meeting-planned:{meeting.pk}:{version}:{role}",
        to=[recipient.user.email],
        template="sessions/email/meeting_planned",
        context={
            "meeting": meeting,
            "changed": changed,
            "duration": duration_words(meeting.duration_minutes),
            "is_mentor": not planned_by_mentor,
            "first_name": recipient.user.first_name,
            "other_first_name": author.user.first_name,
            "pair_url": absolute_url(reverse(settings.PAGE_URLS["member_pair"], args=[pair.pk])),
        },
        attachments=[("rencontre.ics", planned_meeting_ics(meeting), "text/calendar")],
    )
