"""A pair with something on every member page (objectives, sessions evaluated or not, a
planned meeting, both questionnaires, reminders received), and the list of the pages each
member opens: the wording, the HTML and the phone-layout tests walk the same pages."""

import datetime

from dateutil.relativedelta import relativedelta
from django.urls import reverse
from django.utils import timezone

from evaluations.enums import Moment
from matching.enums import ObjectiveStatus, Side
from matching.models import Objective
from reminders.enums import ReminderKind, ReminderStatus
from reminders.models import Reminder
from tests.matching.factories import MentorshipFactory
from tests.sessions.factories import (
    PlannedMeetingFactory,
    SessionEvaluationFactory,
    SessionFactory,
)
from tests.spaces.questionnaires import respond


def days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def a_full_pair(*, text="Une réponse", video_link="https://visio.example.org/salle", **kwargs):
    """An active pair six months old, with its first name overridable (`mentee__user__…`),
    and `text` typed in every free field (a hostile value in the HTML tests)."""
    pair = MentorshipFactory(
        active=True,
        started_on=timezone.localdate() - relativedelta(months=6, days=1),
        last_session_on=days_ago(3),
        last_qualifying_session_on=days_ago(3),
        **kwargs,
    )
    Objective.objects.create(
        mentorship=pair,
        title=f"Objectif : {text}"[:200],
        status=ObjectiveStatus.ACHIEVED,
        created_by=pair.mentor.user,
    )
    older = SessionFactory(
        mentorship=pair, held_on=days_ago(40), duration_minutes=60, summary=text[:2000]
    )
    SessionEvaluationFactory(session=older, side=Side.MENTOR, comment=text[:1000])
    SessionEvaluationFactory(session=older, side=Side.MENTEE, comment=text[:1000])
    SessionFactory(mentorship=pair, held_on=days_ago(3), duration_minutes=120)
    PlannedMeetingFactory(mentorship=pair, place=text[:200], video_link=video_link)
    respond(pair, Moment.START, text=text[:150])
    # The end questionnaire opens once every objective is achieved: the next one comes after.
    respond(pair, Moment.END, text=text[:150])
    Objective.objects.create(
        mentorship=pair,
        title="Préparer un entretien",
        description=text[:1000],
        created_by=pair.mentee.user,
    )
    for user in (pair.mentor.user, pair.mentee.user):
        Reminder.objects.create(
            kind=ReminderKind.MEETING_DUE_SOON,
            target=f"mentorship:{pair.pk}",
            recipient=user,
            recipient_email=user.email,
            period="once",
            status=ReminderStatus.SENT,
            sent_at=timezone.now(),
        )
    return pair


def member_pages(pair, side: Side) -> dict[str, str]:
    """Every page a member of `pair` opens, by name (« Mes données » has its own tests)."""
    session = pair.sessions.order_by("held_on").first()
    latest = pair.sessions.order_by("-held_on").first()
    start = pair.responses.get(moment=Moment.START)
    pages = {
        "home": reverse("spaces:home"),
        "pair": reverse("spaces:pair", args=[pair.pk]),
        "proposals": reverse("matching:my_proposals"),
        "objective_add": reverse("matching:objective_add", args=[pair.pk]),
        "sessions": reverse("sessions:list", args=[pair.pk]),
        "session": reverse("sessions:detail", args=[session.pk]),
        "evaluate": reverse("sessions:evaluate", args=[latest.pk]),
        "meeting": reverse("sessions:plan_meeting", args=[pair.pk]),
        "progress": reverse("evaluations:progress", args=[pair.pk]),
        "questionnaire": reverse("evaluations:response", args=[start.pk]),
        "preferences": reverse("reminders:preferences"),
        "reminders": reverse("reminders:received"),
    }
    if side == Side.MENTOR:
        pages["log_session"] = reverse("sessions:log", args=[pair.pk])
        pages["edit_session"] = reverse("sessions:update", args=[latest.pk])
    return pages


def fill_page(pair) -> str:
    """The start questionnaire of a pair that has not answered it yet."""
    return reverse("evaluations:fill", args=[pair.pk, "debut"])
