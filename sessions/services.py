import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils import timezone

from matching.enums import MentorshipStatus, Side
from matching.models import Mentorship
from matching.rules import MINIMUM_SESSION_MINUTES
from matching.services import PairRuleError
from users.models import User
from users.programme import RULES
from users.scopes import may_act_on

from .enums import SessionTopic
from .models import (
    MAX_DURATION,
    MIN_DURATION,
    FollowUp,
    PlannedMeeting,
    Session,
    SessionEvaluation,
)
from .tasks import send_meeting_planned_email
from .validators import validate_web_link


def rhythm_columns(sessions) -> dict:
    """The pair's rhythm columns from its `sessions`, as aggregates: the last session of any
    length (what the pages show), the last one that counts for the rhythm (where the next
    meeting's due date counts from) and how many count. Also read by the data migration that
    recomputed the existing pairs."""
    qualifying = Q(duration_minutes__gte=MINIMUM_SESSION_MINUTES)
    return sessions.aggregate(
        last_session_on=Max("held_on"),
        last_qualifying_session_on=Max("held_on", filter=qualifying),
        qualifying_sessions=Count("pk", filter=qualifying),
    )


def _refresh_pair_rhythm(mentorship_id: int) -> None:
    """Copy the rhythm columns onto the pair, where the programme's rules read them."""
    columns = rhythm_columns(Session.objects.filter(mentorship_id=mentorship_id))
    Mentorship.objects.filter(pk=mentorship_id).update(**columns)


def _session_errors(
    *,
    mentorship: Mentorship,
    held_on: datetime.date,
    duration_minutes: int,
    topics: list[str],
    other_topic: str,
) -> dict[str | None, str]:
    errors: dict[str | None, str] = {}
    today = timezone.localdate()
    if held_on > today:
        errors["held_on"] = "La séance ne peut pas être datée dans le futur."
    elif mentorship.started_on and held_on < mentorship.started_on:
        errors["held_on"] = (
            "La séance ne peut pas précéder le début du mentorat "
            f"({mentorship.started_on:%d/%m/%Y})."
        )
    elif mentorship.ended_on and held_on > mentorship.ended_on:
        errors["held_on"] = (
            f"La séance ne peut pas suivre la fin du mentorat ({mentorship.ended_on:%d/%m/%Y})."
        )
    if not MIN_DURATION <= duration_minutes <= MAX_DURATION:
        errors["duration_minutes"] = (
            f"La durée doit être comprise entre {MIN_DURATION} et {MAX_DURATION} minutes."
        )
    if SessionTopic.OTHER in topics and not other_topic.strip():
        errors["other_topic"] = "Précisez l'autre sujet abordé."
    return errors


@transaction.atomic
def session_log(
    *,
    mentorship: Mentorship,
    author: User,
    held_on: datetime.date,
    duration_minutes: int,
    format: str,
    topics: list[str],
    summary: str,
    other_topic: str = "",
    next_steps: str = "",
) -> Session:
    """The mentor records a meeting. Under 90 minutes it is accepted, and flagged."""
    mentorship = (
        Mentorship.objects.select_for_update().select_related("mentor").get(pk=mentorship.pk)
    )
    if mentorship.mentor.user_id != author.pk:
        raise PairRuleError({None: "Seul le mentor du binôme enregistre les séances."})
    if mentorship.status != MentorshipStatus.ACTIVE:
        raise PairRuleError({None: "Les séances s'enregistrent pendant le mentorat."})
    errors = _session_errors(
        mentorship=mentorship,
        held_on=held_on,
        duration_minutes=duration_minutes,
        topics=topics,
        other_topic=other_topic,
    )
    if errors:
        raise PairRuleError(errors)
    session = Session(
        mentorship=mentorship,
        held_on=held_on,
        duration_minutes=duration_minutes,
        format=format,
        topics=topics,
        other_topic=other_topic.strip(),
        summary=summary.strip(),
        next_steps=next_steps.strip(),
        logged_by=author,
    )
    session._history_user = author
    session.save()
    _refresh_pair_rhythm(mentorship.pk)
    return session


@transaction.atomic
def session_update(*, session: Session, author: User, **fields) -> Session:
    """Only the author, within EDIT_WINDOW of logging, may correct a session."""
    session = Session.objects.select_for_update().select_related("mentorship").get(pk=session.pk)
    if session.logged_by_id != author.pk:
        raise PairRuleError({None: "Seul l'auteur de la séance peut la modifier."})
    if timezone.now() > session.editable_until():
        raise PairRuleError(
            {None: f"Une séance se modifie pendant {RULES.edit_window} après sa saisie."}
        )
    merged = {
        "held_on": session.held_on,
        "duration_minutes": session.duration_minutes,
        "topics": session.topics,
        "other_topic": session.other_topic,
        **fields,
    }
    errors = _session_errors(
        mentorship=session.mentorship,
        held_on=merged["held_on"],
        duration_minutes=merged["duration_minutes"],
        topics=merged["topics"],
        other_topic=merged["other_topic"],
    )
    if errors:
        raise PairRuleError(errors)
    for name, value in fields.items():
        setattr(session, name, value.strip() if isinstance(value, str) else value)
    session._history_user = author
    session.save()
    _refresh_pair_rhythm(session.mentorship_id)
    return session


def _pair_antennes(mentorship_id: int):
    """The antennes of a pair's mentor and young person, read when a check needs them."""
    return lambda: (
        Mentorship.objects.filter(pk=mentorship_id)
        .values_list("mentor__antenne_id", "mentee__antenne_id")
        .get()
    )


def _members_antennes(mentorship: Mentorship):
    """The same, from a pair whose members are loaded (or loaded then, only when needed)."""
    return lambda: (mentorship.mentor.antenne_id, mentorship.mentee.antenne_id)


@transaction.atomic
def session_delete(*, session: Session, deleted_by: User) -> None:
    """The coordination of the pair's antennes only (the national one: any pair), from the
    admin; the deletion is kept in the history."""
    if not may_act_on(deleted_by, antenne_ids=_pair_antennes(session.mentorship_id)):
        raise PairRuleError({None: "Seule la coordination peut supprimer une séance."})
    mentorship_id = session.mentorship_id
    session._history_user = deleted_by
    session.delete()
    _refresh_pair_rhythm(mentorship_id)


def _side_of(session: Session, user: User) -> Side:
    pair = session.mentorship
    if pair.mentor.user_id == user.pk:
        return Side.MENTOR
    if pair.mentee.user_id == user.pk:
        return Side.MENTEE
    raise PairRuleError({None: "Seuls les membres du binôme évaluent ses séances."})


@transaction.atomic
def session_evaluate(
    *,
    session: Session,
    author: User,
    rating: int,
    comment: str = "",
    objectives_progress: str = "",
) -> SessionEvaluation:
    """Each member evaluates a session once (the mentor also says how the objectives move),
    and may change their evaluation for EDIT_WINDOW."""
    # The session row is locked: the first evaluation of a side is an insert, which a lock on
    # the (still absent) evaluation row could not serialise (a double submit would break the
    # one-per-side constraint with an error page).
    session = (
        Session.objects.select_for_update(of=("self",))
        .select_related("mentorship__mentor", "mentorship__mentee")
        .get(pk=session.pk)
    )
    side = _side_of(session, author)
    errors: dict[str | None, str] = {}
    if not 1 <= rating <= 5:
        errors["rating"] = "Choisissez une note de 1 à 5."
    if side == Side.MENTOR and not objectives_progress:
        errors["objectives_progress"] = "Indiquez où en sont les objectifs."
    if errors:
        raise PairRuleError(errors)
    evaluation = (
        SessionEvaluation.objects.select_for_update().filter(session=session, side=side).first()
    )
    if evaluation is None:
        evaluation = SessionEvaluation(session=session, side=side, author=author)
    elif timezone.now() > evaluation.editable_until():
        raise PairRuleError(
            {None: f"Une évaluation se modifie pendant {RULES.edit_window} seulement."}
        )
    evaluation.rating = rating
    evaluation.comment = comment.strip()
    evaluation.objectives_progress = objectives_progress if side == Side.MENTOR else ""
    evaluation._history_user = author
    evaluation.save()
    return evaluation


def may_follow_up(mentorship: Mentorship, user: User) -> bool:
    """The référent of the pair's mentor, or a coordinator whose scope holds the pair (the
    national coordination, or that of the young person's or the mentor's antenne): the one
    rule of who follows up a pair's sessions, shared by the service, the pages and the admin.
    A référent who has left the staff no longer does, as they no longer see the pair
    (`mentorships_visible_to`)."""
    return may_act_on(
        user,
        referent_id=mentorship.mentor.referent_id,
        antenne_ids=_members_antennes(mentorship),
    )


@transaction.atomic
def session_follow_up(
    *,
    session: Session,
    referent: User,
    comment: str = "",
    needs_attention: bool = False,
    reviewed: bool = True,
) -> FollowUp:
    """The référent of the pair's mentor (or a coordinator) reviews a session."""
    session = Session.objects.select_related("mentorship__mentor", "mentorship__mentee").get(
        pk=session.pk
    )
    if not may_follow_up(session.mentorship, referent):
        raise PairRuleError({None: "Seul le référent du mentor suit ses séances."})
    follow_up, _ = FollowUp.objects.select_for_update().get_or_create(session=session)
    follow_up.reviewed = reviewed
    follow_up.reviewed_at = timezone.now() if reviewed else None
    follow_up.reviewed_by = referent if reviewed else None
    follow_up.comment = comment.strip()
    follow_up.needs_attention = needs_attention
    follow_up._history_user = referent
    follow_up.save()
    return follow_up


@transaction.atomic
def meeting_plan(
    *,
    mentorship: Mentorship,
    author: User,
    starts_at: datetime.datetime,
    duration_minutes: int = MINIMUM_SESSION_MINUTES,
    place: str = "",
    video_link: str = "",
) -> PlannedMeeting:
    """Either member plans the next meeting; it replaces the one planned before."""
    mentorship = Mentorship.objects.select_related("mentor", "mentee").get(pk=mentorship.pk)
    if author.pk not in (mentorship.mentor.user_id, mentorship.mentee.user_id):
        raise PairRuleError({None: "Seuls les membres du binôme planifient ses rencontres."})
    if mentorship.status != MentorshipStatus.ACTIVE:
        raise PairRuleError({None: "Les rencontres se planifient pendant le mentorat."})
    errors: dict[str | None, str] = {}
    if starts_at <= timezone.now():
        errors["starts_at"] = "Choisissez une date à venir."
    if not MIN_DURATION <= duration_minutes <= MAX_DURATION:
        errors["duration_minutes"] = (
            f"La durée doit être comprise entre {MIN_DURATION} et {MAX_DURATION} minutes."
        )
    if not place.strip() and not video_link.strip():
        errors["place"] = "Indiquez un lieu ou un lien de visio."
    try:
        # The link lands in the other member's pages and e-mails: the service refuses what a
        # browser would not follow, whichever form or script called it.
        validate_web_link(video_link.strip())
    except ValidationError as error:
        errors["video_link"] = error.messages[0]
    if errors:
        raise PairRuleError(errors)
    place, video_link = place.strip(), video_link.strip()
    previous = PlannedMeeting.objects.select_for_update().filter(mentorship=mentorship).first()
    if previous is not None and _meeting_facts(previous) == (
        starts_at,
        duration_minutes,
        place,
        video_link,
    ):
        # The form sent again unchanged: nothing to save, nobody to tell again.
        return previous
    meeting, _ = PlannedMeeting.objects.update_or_create(
        mentorship=mentorship,
        defaults={
            "starts_at": starts_at,
            "duration_minutes": duration_minutes,
            "place": place,
            "video_link": video_link,
            "planned_by": author,
        },
    )
    # The other member is told. A meeting that replaces one still to come is a change; one
    # after a past meeting is a new one.
    changed = previous is not None and previous.starts_at > timezone.now()
    send_meeting_planned_email.delay_on_commit(meeting.pk, meeting.updated_at.isoformat(), changed)
    return meeting


def _meeting_facts(meeting: PlannedMeeting) -> tuple:
    return (meeting.starts_at, meeting.duration_minutes, meeting.place, meeting.video_link)
