"""What reminders are due, decided in the database.

`due_reminders` reads each kind of reminder with one set-based query built on the domain's
own QuerySets (the same definitions as the spaces, the admin and the reports), so its number
of queries does not grow with the number of pairs. `sweep` records the due reminders as rows
before anything is sent: the unique key (kind, target, recipient e-mail, period) makes a
second sweep, or two sweeps at once, insert nothing new. The send task (reminders.sending)
locks a row and sends it only if it is still pending."""

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from evaluations.selectors import end_questionnaire_due, start_questionnaire_due
from matching.enums import Response, Side
from matching.models import Mentorship
from matching.rules import next_meeting_due
from matching.selectors import mentees_waiting_too_long
from mentees.models import Mentee
from mentors.models import Mentor
from sessions.models import PlannedMeeting, Session, SessionEvaluation
from users.models import User
from users.programme import (
    CONSENT_FIRST_AFTER,
    CONSENT_SECOND_AFTER,
    EVALUATE_AFTER,
    LOG_SESSION_AFTER,
    PROPOSAL_AFTER,
    QUESTIONNAIRE_AFTER,
)
from users.roles import COORDINATORS_GROUP

from .enums import ESSENTIAL_KINDS, ReminderFrequency, ReminderKind, ReminderStatus
from .models import Reminder, ReminderPreference

ONCE = "once"
# The "once" reminders are looked for over this many days past their threshold only: the
# sweep runs daily, so an occurrence older than that has had its reminder already (or the
# programme had not started sending then, and a month-old nudge would only confuse). Without
# it, every old session or pair would be re-read every day, forever.
CATCH_UP = datetime.timedelta(days=30)
WEEKLY_PAUSE = datetime.timedelta(days=7)
# A pending row older than this was left by a sweep whose worker died before sending it: the
# next sweep enqueues it again (younger ones may still be in a running sweep's queue).
STALE_PENDING = datetime.timedelta(minutes=10)

Key = tuple[str, str, str, str]


def _key(reminder: Reminder) -> Key:
    return (reminder.kind, reminder.target, reminder.recipient_email, reminder.period)


def _to_user(kind: str, target: str, user_id: int | None, email: str, period: str) -> Reminder:
    return Reminder(
        kind=kind, target=target, recipient_id=user_id, recipient_email=email, period=period
    )


def _due_date(row: dict) -> str:
    """The pair's next meeting due date, from the programme's one rule."""
    return next_meeting_due(
        started_on=row["started_on"],
        last_qualifying_session_on=row["last_qualifying_session_on"],
    ).isoformat()


PAIR_FIELDS = (
    "pk",
    "last_qualifying_session_on",
    "started_on",
    "mentor__user_id",
    "mentor__user__email",
    "mentee__user_id",
    "mentee__user__email",
)


def _both_members(kind: str, row: dict, period: str) -> list[Reminder]:
    target = f"mentorship:{row['pk']}"
    return [
        _to_user(kind, target, row["mentor__user_id"], row["mentor__user__email"], period),
        _to_user(kind, target, row["mentee__user_id"], row["mentee__user__email"], period),
    ]


def _meetings(today: datetime.date) -> list[Reminder]:
    reminders = []
    # A meeting the pair has planned from today on answers the reminder already.
    planned_ahead = PlannedMeeting.objects.filter(
        mentorship=OuterRef("pk"), starts_at__date__gte=today
    )
    due_soon = Mentorship.objects.due_soon(today=today).exclude(Exists(planned_ahead))
    for row in due_soon.values(*PAIR_FIELDS):
        reminders += _both_members(ReminderKind.MEETING_DUE_SOON, row, _due_date(row))
    overdue = Mentorship.objects.overdue(today=today).values(
        *PAIR_FIELDS, "mentor__referent_id", "mentor__referent__email"
    )
    for row in overdue:
        period = _due_date(row)
        reminders += _both_members(ReminderKind.MEETING_OVERDUE, row, period)
        if row["mentor__referent_id"]:
            reminders.append(
                _to_user(
                    ReminderKind.MEETING_OVERDUE_REFERENT,
                    f"mentorship:{row['pk']}",
                    row["mentor__referent_id"],
                    row["mentor__referent__email"],
                    period,
                )
            )
    return reminders


def _sessions_to_log(today: datetime.date) -> list[Reminder]:
    last_day = today - LOG_SESSION_AFTER
    logged_since = Session.objects.filter(
        mentorship=OuterRef("mentorship"), held_on__gte=OuterRef("planned_on")
    )
    meetings = (
        PlannedMeeting.objects.annotate(planned_on=TruncDate("starts_at"))
        .filter(
            mentorship__in=Mentorship.objects.active(),
            starts_at__date__lte=last_day,
            starts_at__date__gte=last_day - CATCH_UP,
        )
        .exclude(Exists(logged_since))
        .values("pk", "starts_at", "mentorship__mentor__user_id", "mentorship__mentor__user__email")
    )
    return [
        _to_user(
            ReminderKind.LOG_SESSION,
            f"plannedmeeting:{row['pk']}",
            row["mentorship__mentor__user_id"],
            row["mentorship__mentor__user__email"],
            timezone.localdate(row["starts_at"]).isoformat(),
        )
        for row in meetings
    ]


def _sessions_to_evaluate(today: datetime.date) -> list[Reminder]:
    last_day = today - EVALUATE_AFTER

    def evaluated_by(side: Side):
        return Exists(SessionEvaluation.objects.filter(session=OuterRef("pk"), side=side))

    sessions = (
        Session.objects.filter(
            logged_at__date__lte=last_day, logged_at__date__gte=last_day - CATCH_UP
        )
        .annotate(by_mentor=evaluated_by(Side.MENTOR), by_mentee=evaluated_by(Side.MENTEE))
        .filter(Q(by_mentor=False) | Q(by_mentee=False))
        .order_by()
        .values(
            "pk",
            "by_mentor",
            "by_mentee",
            "mentorship__mentor__user_id",
            "mentorship__mentor__user__email",
            "mentorship__mentee__user_id",
            "mentorship__mentee__user__email",
        )
    )
    reminders = []
    for row in sessions:
        target = f"session:{row['pk']}"
        for side in ("mentee", "mentor"):
            if not row[f"by_{side}"]:
                reminders.append(
                    _to_user(
                        ReminderKind.EVALUATE_SESSION,
                        target,
                        row[f"mentorship__{side}__user_id"],
                        row[f"mentorship__{side}__user__email"],
                        ONCE,
                    )
                )
    return reminders


def _questionnaires(today: datetime.date) -> list[Reminder]:
    last_day = today - QUESTIONNAIRE_AFTER
    fields = ("pk", "mentee__user_id", "mentee__user__email")
    starts = start_questionnaire_due(
        Mentorship.objects.filter(started_on__lte=last_day, started_on__gte=last_day - CATCH_UP)
    ).values(*fields)
    ends = end_questionnaire_due(
        Mentorship.objects.filter(ended_on__lte=last_day, ended_on__gte=last_day - CATCH_UP)
    ).values(*fields)
    return [
        _to_user(
            kind,
            f"mentorship:{row['pk']}",
            row["mentee__user_id"],
            row["mentee__user__email"],
            ONCE,
        )
        for kind, rows in (
            (ReminderKind.START_QUESTIONNAIRE, starts),
            (ReminderKind.END_QUESTIONNAIRE, ends),
        )
        for row in rows
    ]


def _guardian_consents(today: datetime.date) -> list[Reminder]:
    """To the guardian, who has no account: at 7 days, once more at 14, never a third time.
    Only the latest rank due is recorded, so a first sweep at day 14 sends one e-mail."""
    mentees = (
        Mentee.objects.awaiting_guardian_consent()
        .filter(guardian_consent_at__isnull=True, created_at__date__lte=today - CONSENT_FIRST_AFTER)
        .exclude(guardian_email="")
        .values("pk", "guardian_email", "created_at")
    )
    reminders = []
    for row in mentees:
        registered = timezone.localdate(row["created_at"])
        rank = "2" if registered <= today - CONSENT_SECOND_AFTER else "1"
        reminders.append(
            _to_user(
                ReminderKind.GUARDIAN_CONSENT,
                f"mentee:{row['pk']}",
                None,
                row["guardian_email"],
                rank,
            )
        )
    return reminders


def _proposals(today: datetime.date) -> list[Reminder]:
    pending = Q(mentor_response=Response.PENDING) | Q(mentee_response=Response.PENDING)
    pairs = (
        Mentorship.objects.proposed()
        .filter(pending, proposed_at__date__lte=today - PROPOSAL_AFTER)
        .values(*PAIR_FIELDS, "mentor_response", "mentee_response")
    )
    reminders = []
    for row in pairs:
        target = f"mentorship:{row['pk']}"
        for side in ("mentor", "mentee"):
            if row[f"{side}_response"] == Response.PENDING:
                reminders.append(
                    _to_user(
                        ReminderKind.PROPOSAL_UNANSWERED,
                        target,
                        row[f"{side}__user_id"],
                        row[f"{side}__user__email"],
                        ONCE,
                    )
                )
    return reminders


def _apply_preferences(reminders: list[Reminder], today: datetime.date) -> list[Reminder]:
    """Drop the non-essential reminders a person opted out of. Two queries whatever the
    number of reminders: the few people who changed their preference, and which of the
    weekly ones already had a non-essential e-mail in the last 7 days."""
    preferences = dict(
        ReminderPreference.objects.exclude(frequency=ReminderFrequency.EVERY_TIME).values_list(
            "user_id", "frequency"
        )
    )
    if not preferences:
        return reminders
    since = timezone.make_aware(datetime.datetime.combine(today - WEEKLY_PAUSE, datetime.time.min))
    recently_sent = set(
        Reminder.objects.filter(
            status=ReminderStatus.SENT,
            sent_at__gte=since,
            recipient__reminder_preference__frequency=ReminderFrequency.WEEKLY,
        )
        .exclude(kind__in=ESSENTIAL_KINDS)
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    kept = []
    for reminder in reminders:
        frequency = preferences.get(reminder.recipient_id)
        if reminder.kind in ESSENTIAL_KINDS or frequency is None:
            kept.append(reminder)
        elif frequency == ReminderFrequency.WEEKLY and reminder.recipient_id not in recently_sent:
            kept.append(reminder)
            # One non-essential e-mail a week: the others of today wait for next week.
            recently_sent.add(reminder.recipient_id)
    return kept


def due_reminders(*, today: datetime.date) -> list[Reminder]:
    """Every reminder due on `today`, as unsaved rows: a fixed number of queries."""
    reminders = [
        *_meetings(today),
        *_sessions_to_log(today),
        *_sessions_to_evaluate(today),
        *_questionnaires(today),
        *_guardian_consents(today),
        *_proposals(today),
    ]
    return _apply_preferences(reminders, today)


def _record(candidates: list[Reminder], *, dry_run: bool) -> list[Reminder]:
    """Insert the candidates (existing keys are left alone), then return what is to send: the
    pending rows of these keys and the pending rows a dead worker left behind."""
    keys = {_key(reminder) for reminder in candidates}
    stale_before = timezone.now() - STALE_PENDING
    if dry_run:
        targets = {reminder.target for reminder in candidates}
        existing = {
            _key(row)
            for row in Reminder.objects.filter(target__in=targets).exclude(
                status=ReminderStatus.PENDING
            )
        }
        left = Reminder.objects.filter(status=ReminderStatus.PENDING, created_at__lt=stale_before)
        fresh = [reminder for reminder in candidates if _key(reminder) not in existing]
        return fresh + [row for row in left if _key(row) not in keys]
    Reminder.objects.bulk_create(candidates, ignore_conflicts=True, batch_size=1000)
    pending = Reminder.objects.filter(status=ReminderStatus.PENDING).order_by("pk")
    return [row for row in pending if _key(row) in keys or row.created_at < stale_before]


def sweep(*, today: datetime.date, dry_run: bool = False) -> list[Reminder]:
    """Record the reminders due on `today` and return the pending rows to send (with
    `dry_run`, the unsaved rows that would be recorded, nothing written)."""
    return _referent_digests(
        _record(due_reminders(today=today), dry_run=dry_run), today=today, dry_run=dry_run
    )


def _referent_digests(
    rows: list[Reminder], *, today: datetime.date, dry_run: bool
) -> list[Reminder]:
    """A référent gets one e-mail per sweep listing their overdue pairs, never one per pair.
    The per-pair alerts stay recorded (one per pair and due date: each pair is told once) but
    are not sent by themselves: one digest row per référent and day stands for them, and
    sending it marks them sent (reminders.sending)."""
    alerts = [row for row in rows if row.kind == ReminderKind.MEETING_OVERDUE_REFERENT]
    others = [row for row in rows if row.kind != ReminderKind.MEETING_OVERDUE_REFERENT]
    digests = {
        alert.recipient_email: _to_user(
            ReminderKind.REFERENT_OVERDUE_DIGEST,
            f"user:{alert.recipient_id}",
            alert.recipient_id,
            alert.recipient_email,
            today.isoformat(),
        )
        for alert in alerts
    }
    if dry_run:
        return others + list(digests.values())
    Reminder.objects.bulk_create(digests.values(), ignore_conflicts=True)
    keys = {_key(digest) for digest in digests.values()}
    listed = {row.pk for row in others}
    pending = Reminder.objects.filter(
        kind=ReminderKind.REFERENT_OVERDUE_DIGEST,
        status=ReminderStatus.PENDING,
        period=today.isoformat(),
    ).order_by("pk")
    return others + [row for row in pending if _key(row) in keys and row.pk not in listed]


def _enqueue(rows: Iterable[Reminder]) -> None:
    # Imported here: the send task lives beside the beat tasks, which import this module.
    from .tasks import send_reminder

    for row in rows:
        # Ids only, and only once the rows are committed: the worker reads them itself.
        send_reminder.delay_on_commit(row.pk)


def sweep_and_enqueue(today: datetime.date | None = None) -> list[Reminder]:
    today = today or timezone.localdate()
    with transaction.atomic():
        rows = sweep(today=today)
        _enqueue(rows)
    return rows


def requeue_stalled(*, now: datetime.datetime | None = None) -> list[int]:
    """Queue again the reminders written by a sweep and never tried (their message never
    reached a worker: the broker was down when the sweep committed), once STALE_PENDING has
    passed. One with attempts has its retry in the broker already. Sending one twice is
    harmless: the row is locked while it goes out and found no longer pending."""
    stalled_before = (now or timezone.now()) - STALE_PENDING
    ids = list(
        Reminder.objects.filter(
            status=ReminderStatus.PENDING, attempts=0, created_at__lt=stalled_before
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    with transaction.atomic():
        _enqueue(Reminder(pk=pk) for pk in ids)
    return ids


# --- Weekly digests


def iso_week(today: datetime.date) -> str:
    year, week, _ = today.isocalendar()
    return f"{year}-W{week:02d}"


def _count_by(queryset, field: str) -> dict[int, int]:
    rows = queryset.order_by().values(field).annotate(count=Count("pk")).values_list(field, "count")
    return {user_id: count for user_id, count in rows if user_id is not None}


def referent_news(*, today: datetime.date) -> dict[int, dict[str, int]]:
    """Per référent (user id) with something to look at: overdue pairs of their mentors,
    sessions awaiting their follow-up, pairs ready to close. Three grouped queries."""
    referent = "mentor__referent"
    counts = {
        "overdue": _count_by(Mentorship.objects.overdue(today=today), referent),
        "awaiting_follow_up": _count_by(
            Session.objects.awaiting_follow_up(), f"mentorship__{referent}"
        ),
        "ready_to_close": _count_by(Mentorship.objects.ready_to_close(today=today), referent),
    }
    news: dict[int, dict[str, int]] = {}
    for name, by_user in counts.items():
        for user_id, count in by_user.items():
            news.setdefault(user_id, dict.fromkeys(counts, 0))[name] = count
    return news


def coordinator_news(*, today: datetime.date) -> dict[str, int]:
    """What the coordination has to act on: registrations to review, and young people
    awaiting a mentor for more than WAITING_ALERT (`mentees_waiting_too_long`, the one
    definition the digest itself, the staff home and the admin read)."""
    return {
        "pending_review": Mentee.objects.pending_review().count()
        + Mentor.objects.pending_review().count(),
        "awaiting_mentor": mentees_waiting_too_long(today=today).count(),
    }


def coordinators():
    """The same people as `users.roles.is_coordinator`, as a QuerySet."""
    return (
        User.objects.filter(is_active=True, is_staff=True)
        .filter(Q(is_superuser=True) | Q(groups__name=COORDINATORS_GROUP))
        .distinct()
    )


def digests(*, today: datetime.date) -> list[Reminder]:
    """Record this week's digests and return the pending ones."""
    period = iso_week(today)
    candidates = []
    news = referent_news(today=today)
    # The weekly digests are optional reminders (« récapitulatifs » on the preferences page):
    # nobody who asked for the essential ones only gets them.
    opted_out = ReminderPreference.objects.filter(
        frequency=ReminderFrequency.ESSENTIAL_ONLY
    ).values("user_id")
    for user_id, email in (
        User.objects.filter(pk__in=news, is_active=True)
        .exclude(pk__in=opted_out)
        .values_list("pk", "email")
    ):
        candidates.append(
            _to_user(ReminderKind.REFERENT_DIGEST, f"user:{user_id}", user_id, email, period)
        )
    if any(coordinator_news(today=today).values()):
        for user_id, email in coordinators().exclude(pk__in=opted_out).values_list("pk", "email"):
            candidates.append(
                _to_user(ReminderKind.COORDINATOR_DIGEST, f"user:{user_id}", user_id, email, period)
            )
    Reminder.objects.bulk_create(candidates, ignore_conflicts=True)
    return list(
        Reminder.objects.filter(
            status=ReminderStatus.PENDING,
            kind__in=[ReminderKind.REFERENT_DIGEST, ReminderKind.COORDINATOR_DIGEST],
            period=period,
        ).order_by("pk")
    )


def digests_and_enqueue(today: datetime.date | None = None) -> list[Reminder]:
    today = today or timezone.localdate()
    with transaction.atomic():
        rows = digests(today=today)
        _enqueue(rows)
    return rows
