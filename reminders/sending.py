"""Sending one recorded reminder, exactly once.

The row is locked while the e-mail goes out, so a task redelivered by the broker, a retry or
a second worker waits for the first one and then finds the row no longer pending."""

import datetime
import logging
from dataclasses import dataclass, field
from smtplib import SMTPException

from django.conf import settings
from django.db import transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from matching.models import Mentorship
from matching.selectors import mentees_waiting_too_long
from mentees.consent import guardian_consent_path
from mentees.models import Mentee
from mentors.models import Mentor
from sessions.models import PlannedMeeting, Session
from users.emails import absolute_url, send_templated_email
from users.models import User
from users.outbox import describe_mail_error, flag_refused_addresses
from users.scopes import StaffScope, staff_scope

from .enums import ReminderKind, ReminderStatus
from .models import Reminder

logger = logging.getLogger(__name__)

# What a mail server or the network raises when a send may succeed later: retried, never
# swallowed. (The first three are OSError subclasses; listed to say what is meant.)
MAIL_ERRORS = (SMTPException, ConnectionError, TimeoutError, OSError)

# A digest lists this many items per section at most; the count says how many there are.
DIGEST_ITEMS = 30

TEMPLATE_DIR = "reminders/email"


class TargetGone(Exception):
    """The object the reminder is about no longer exists (or no longer has an address)."""


@dataclass
class Email:
    to: str
    context: dict
    # The rows this e-mail tells too (a référent's digest: the per-pair alerts it lists),
    # marked sent with it.
    covers: list[int] = field(default_factory=list)


def parse_target(target: str) -> tuple[str, int]:
    """ "mentorship:12" -> ("mentorship", 12); "planned_meeting:3" -> ("plannedmeeting", 3)."""
    model, _, pk = target.partition(":")
    try:
        return model.lower().replace("_", "").replace("-", ""), int(pk)
    except ValueError as error:
        raise TargetGone(f"objet illisible : {target!r}") from error


def _load(model: str, pk: int):
    pair_members = ("mentor__user", "mentor__referent", "mentee__user")
    querysets = {
        "mentorship": Mentorship.objects.select_related(*pair_members),
        "session": Session.objects.select_related(*(f"mentorship__{m}" for m in pair_members)),
        "plannedmeeting": PlannedMeeting.objects.select_related(
            *(f"mentorship__{m}" for m in pair_members)
        ),
        "mentee": Mentee.objects.select_related("user"),
        "user": User.objects.all(),
    }
    if model not in querysets:
        raise TargetGone(f"type d'objet inconnu : {model!r}")
    try:
        return querysets[model].get(pk=pk)
    except querysets[model].model.DoesNotExist as error:
        raise TargetGone(f"{model} {pk} n'existe plus") from error


def _pair_of(obj) -> Mentorship:
    return obj if isinstance(obj, Mentorship) else obj.mentorship


def _pair_context(reminder: Reminder, pair: Mentorship) -> dict:
    is_mentor = reminder.recipient_id == pair.mentor.user_id
    me, other = (pair.mentor, pair.mentee) if is_mentor else (pair.mentee, pair.mentor)
    return {
        "mentorship": pair,
        "is_mentor": is_mentor,
        "first_name": me.user.first_name,
        "other_first_name": other.user.first_name,
        "due_on": pair.next_meeting_due(),
        "pair_url": absolute_url(reverse(settings.PAGE_URLS["member_pair"], args=[pair.pk])),
    }


def pair_history(pair: Mentorship) -> dict:
    """The référent's one-line history of a pair (the sessions count is one query)."""
    return {
        "started_on": pair.started_on,
        "sessions_count": pair.sessions.count(),
        "qualifying_sessions": pair.qualifying_sessions,
        "last_session_on": pair.last_session_on,
        "due_on": pair.next_meeting_due(),
    }


def referent_digest(user: User, *, today: datetime.date) -> dict:
    """The same QuerySets as the référent's space: what needs them this week."""
    members = ("mentor__user", "mentee__user")
    overdue = (
        Mentorship.objects.overdue(today=today)
        .filter(mentor__referent=user)
        .select_related(*members)
        .most_urgent_first()
    )
    follow_up = (
        Session.objects.awaiting_follow_up()
        .filter(mentorship__mentor__referent=user)
        .select_related(*(f"mentorship__{m}" for m in members))
    )
    closing = (
        Mentorship.objects.ready_to_close(today=today)
        .filter(mentor__referent=user)
        .select_related(*members)
        .order_by("started_on", "pk")
    )
    return {
        "overdue": list(overdue[:DIGEST_ITEMS]),
        "overdue_count": overdue.count(),
        "follow_up": [
            (session, absolute_url(reverse("sessions:follow_up", args=[session.pk])))
            for session in follow_up[:DIGEST_ITEMS]
        ],
        "follow_up_count": follow_up.count(),
        "closing": list(closing[:DIGEST_ITEMS]),
        "closing_count": closing.count(),
        "home_url": absolute_url(reverse(settings.PAGE_URLS["member_home"])),
    }


def _overdue_alerts(referent_id: int):
    """The référent's per-pair overdue alerts not told yet, locked (a digest sent meanwhile by
    another worker has marked them)."""
    return Reminder.objects.select_for_update().filter(
        kind=ReminderKind.MEETING_OVERDUE_REFERENT,
        recipient_id=referent_id,
        status=ReminderStatus.PENDING,
    )


def referent_overdue_digest(user: User) -> tuple[dict, list[int]]:
    """The référent's pairs with a meeting overdue that they were not told of yet, each with
    its one-line history (a fixed number of queries), and the alert rows it stands for."""
    alerts = list(_overdue_alerts(user.pk).order_by("pk"))
    pair_ids = []
    for alert in alerts:
        try:
            model, pk = parse_target(alert.target)
        except TargetGone:
            continue
        if model == "mentorship":
            pair_ids.append(pk)
    pairs = list(
        # Still overdue when sent: a meeting logged since answers the alert.
        Mentorship.objects.overdue()
        .filter(pk__in=pair_ids)
        .select_related("mentor__user", "mentee__user")
        .annotate(sessions_count=Count("sessions"))
        .most_urgent_first()
    )
    if not pairs:
        raise TargetGone("aucun binôme en retard à signaler")
    items = [
        {
            "mentor_first_name": pair.mentor.user.first_name,
            "mentee_first_name": pair.mentee.user.first_name,
            "history": {
                "started_on": pair.started_on,
                "sessions_count": pair.sessions_count,
                "qualifying_sessions": pair.qualifying_sessions,
                "last_session_on": pair.last_session_on,
                "due_on": pair.next_meeting_due(),
            },
            "pair_url": absolute_url(reverse(settings.PAGE_URLS["member_pair"], args=[pair.pk])),
            "admin_url": absolute_url(reverse("admin:matching_mentorship_change", args=[pair.pk])),
        }
        for pair in pairs
    ]
    context = {
        "first_name": user.first_name,
        "pairs": items,
        "home_url": absolute_url(reverse(settings.PAGE_URLS["member_home"])),
    }
    return context, [alert.pk for alert in alerts]


def coordinator_digest(*, today: datetime.date, scope: StaffScope) -> dict:
    # The same young people as the staff home's alert and the admin's filter (waiting for
    # more than WAITING_ALERT since their approval), the longest wait first; an antenne's
    # coordination is told of its antenne's people only, as its lists show them.
    awaiting = scope.within(
        mentees_waiting_too_long(today=today)
        .select_related("user")
        .order_by("waiting_since", "pk"),
        "antenne",
    )
    mentors = scope.within(Mentor.objects.pending_review(), "antenne")
    mentees = scope.within(Mentee.objects.pending_review(), "antenne")
    return {
        "mentors_pending": mentors.count(),
        "mentees_pending": mentees.count(),
        "awaiting": list(awaiting[:DIGEST_ITEMS]),
        "awaiting_count": awaiting.count(),
        "mentors_url": absolute_url(
            reverse("admin:mentors_mentor_changelist") + "?status__exact=pending_review"
        ),
        "mentees_url": absolute_url(
            reverse("admin:mentees_mentee_changelist") + "?status__exact=pending_review"
        ),
        "admin_url": absolute_url(reverse("admin:index")),
    }


def build_email(reminder: Reminder, *, today: datetime.date | None = None) -> Email:
    """The recipient's address and the template context; TargetGone when there is nothing
    left to remind anybody of."""
    today = today or timezone.localdate()
    obj = _load(*parse_target(reminder.target))
    recipient = reminder.recipient
    to = reminder.recipient_email or (recipient.email if recipient else "")
    kind = reminder.kind
    context: dict = {"reminder": reminder}
    covers: list[int] = []

    if kind == ReminderKind.GUARDIAN_CONSENT:
        mentee = obj
        to = to or mentee.guardian_email
        context |= {
            "mentee": mentee,
            "guardian_name": mentee.guardian_name,
            "consent_url": absolute_url(guardian_consent_path(mentee)),
        }
    elif kind == ReminderKind.REFERENT_DIGEST:
        context |= {"first_name": obj.first_name, **referent_digest(obj, today=today)}
    elif kind == ReminderKind.REFERENT_OVERDUE_DIGEST:
        digest, covers = referent_overdue_digest(obj)
        context |= digest
    elif kind == ReminderKind.COORDINATOR_DIGEST:
        digest = coordinator_digest(today=today, scope=staff_scope(obj))
        if not (digest["mentors_pending"] or digest["mentees_pending"] or digest["awaiting_count"]):
            # An antenne with nothing to act on this week: no e-mail saying « rien ».
            raise TargetGone("rien à signaler pour cette antenne")
        context |= {"first_name": obj.first_name, **digest}
    elif kind == ReminderKind.MEETING_OVERDUE_REFERENT:
        pair = _pair_of(obj)
        context |= {
            "mentorship": pair,
            "first_name": recipient.first_name if recipient else "",
            "mentor_first_name": pair.mentor.user.first_name,
            "mentee_first_name": pair.mentee.user.first_name,
            "history": pair_history(pair),
            "pair_url": absolute_url(reverse(settings.PAGE_URLS["member_pair"], args=[pair.pk])),
            "admin_url": absolute_url(reverse("admin:matching_mentorship_change", args=[pair.pk])),
        }
    else:
        pair = _pair_of(obj)
        context |= _pair_context(reminder, pair)
        if kind == ReminderKind.LOG_SESSION:
            context["meeting"] = obj if isinstance(obj, PlannedMeeting) else None
            context["action_url"] = absolute_url(reverse("sessions:log", args=[pair.pk]))
        elif kind == ReminderKind.EVALUATE_SESSION:
            context["session"] = obj
            context["action_url"] = absolute_url(reverse("sessions:evaluate", args=[obj.pk]))
        elif kind in (ReminderKind.START_QUESTIONNAIRE, ReminderKind.END_QUESTIONNAIRE):
            moment = "debut" if kind == ReminderKind.START_QUESTIONNAIRE else "fin"
            context["action_url"] = absolute_url(
                reverse("evaluations:fill", args=[pair.pk, moment])
            )
        elif kind == ReminderKind.PROPOSAL_UNANSWERED:
            context["action_url"] = absolute_url(reverse("matching:my_proposals"))
        else:  # the meeting reminders: plan it, or log it if it took place, from the space
            context["action_url"] = context["pair_url"]
    if not to:
        raise TargetGone("aucune adresse")
    return Email(to=to, context=context, covers=covers)


def send_reminder_now(reminder_id: int) -> bool:
    """Send the reminder if still pending; True when this call sent it. A mail-server error
    is recorded on the row (still pending) and re-raised, for the task to retry."""
    error = None
    with transaction.atomic():
        reminder = (
            Reminder.objects.select_for_update().filter(pk=reminder_id).first()
        )  # the lock is what makes a second worker wait, then send nothing
        if reminder is None or reminder.status != ReminderStatus.PENDING:
            return False
        try:
            email = build_email(reminder)
        except TargetGone as gone:
            reminder.status = ReminderStatus.SKIPPED
            reminder.last_error = str(gone)
            reminder.save(update_fields=["status", "last_error"])
            if reminder.kind == ReminderKind.REFERENT_OVERDUE_DIGEST:
                # Their pairs are no longer overdue: nothing left to tell of them.
                _overdue_alerts(reminder.recipient_id).update(
                    status=ReminderStatus.SKIPPED, last_error=str(gone)
                )
            return False
        reminder.attempts += 1
        try:
            send_templated_email(
                to=[email.to], template=f"{TEMPLATE_DIR}/{reminder.kind}", context=email.context
            )
        except MAIL_ERRORS as failure:
            # Saved, not rolled back: the attempt and its cause must survive the retry. An
            # address refused for good is flagged on its account, as for every e-mail.
            flag_refused_addresses(failure, timezone.now())
            reminder.last_error = describe_mail_error(failure, [email.to])
            reminder.save(update_fields=["attempts", "last_error"])
            error = failure
        else:
            reminder.status = ReminderStatus.SENT
            reminder.sent_at = timezone.now()
            reminder.save(update_fields=["status", "sent_at", "attempts"])
            Reminder.objects.filter(pk__in=email.covers).update(
                status=ReminderStatus.SENT, sent_at=reminder.sent_at
            )
    if error is not None:
        raise error
    return True


def mark_failed(reminder_id: int, error: BaseException) -> None:
    """After the last retry: recorded as failed (the admin can send it again)."""
    updated = Reminder.objects.filter(pk=reminder_id, status=ReminderStatus.PENDING).update(
        status=ReminderStatus.FAILED, last_error=describe_mail_error(error)
    )
    if updated:
        # The error's text can quote the recipient's address (SMTP refusals do): only its type.
        logger.error(
            "Reminder %s failed after its last retry: %s", reminder_id, type(error).__name__
        )
