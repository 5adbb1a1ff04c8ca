import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from mentees.models import Mentee
from mentors.models import Mentor
from users.errors import ServiceError
from users.models import User
from users.programme import RULES

from .compatibility import Weights
from .eligibility import antennes_within_reach
from .enums import CloseReason, MentorshipStatus, ObjectiveStatus, Response, Side
from .models import PENDING_OBJECTIVES, Mentorship, Objective
from .rules import has_lasted_minimum
from .selectors import pair_evaluation
from .tasks import (
    send_closure_emails,
    send_guardian_objection_email,
    send_guardian_proposal_email,
    send_mentorship_email,
)


class MatchingError(ServiceError):
    """A pair cannot be proposed or answered; `reasons` are French sentences for people."""

    def __init__(self, reasons: list[str]):
        self.reasons = reasons
        super().__init__("Binôme impossible : " + " ; ".join(reasons) + ".")


@transaction.atomic
def mentorship_propose(
    *,
    mentee: Mentee,
    mentor: Mentor,
    proposed_by: User,
    weights: Weights | None = None,
    widened: bool = False,
) -> Mentorship:
    """A mentor of the young person's antenne, or with `widened` (the coordinator's search
    « Élargir aux antennes voisines ») of an antenne of their département or a bordering
    one; every other hard constraint holds either way."""
    # Lock the mentor, then the young person, always in that order: two coordinators
    # proposing the same last slot (or the same young person) queue here, and the second
    # one counts the first one's pair.
    mentor = Mentor.objects.select_for_update().get(pk=mentor.pk)
    mentee = Mentee.objects.select_for_update().get(pk=mentee.pk)
    antennes = (
        antennes_within_reach(department=mentee.department, antenne_id=mentee.antenne_id).ids
        if widened
        else None
    )
    reasons, compatibility = pair_evaluation(
        mentee=mentee, mentor=mentor, weights=weights, antennes=antennes
    )
    if reasons:
        raise MatchingError(reasons)
    try:
        with transaction.atomic():
            mentorship = Mentorship.objects.create(
                mentor=mentor,
                mentee=mentee,
                score=compatibility.score,
                explanation=compatibility.explanation(),
                proposed_by=proposed_by,
            )
    except IntegrityError as error:
        raise MatchingError(["le jeune a déjà un binôme proposé ou actif"]) from error
    send_mentorship_email.delay_on_commit(mentorship.pk, "proposed", Side.MENTOR)
    send_mentorship_email.delay_on_commit(mentorship.pk, "proposed", Side.MENTEE)
    if mentee.is_minor():
        # The guardian is told who the mentor is, and may object (matching.links).
        send_guardian_proposal_email.delay_on_commit(mentorship.pk)
    return mentorship


def _locked(mentorship: Mentorship) -> Mentorship:
    return Mentorship.objects.select_for_update().get(pk=mentorship.pk)


def _start(mentorship: Mentorship, *, on: datetime.date) -> None:
    mentorship.status = MentorshipStatus.ACTIVE
    mentorship.started_on = on
    send_mentorship_email.delay_on_commit(mentorship.pk, "activated", Side.MENTOR)
    send_mentorship_email.delay_on_commit(mentorship.pk, "activated", Side.MENTEE)


@transaction.atomic
def mentorship_respond(
    *, mentorship: Mentorship, side: Side, accept: bool, reason: str = ""
) -> Mentorship:
    """A member's answer to a proposal. Both accept: the pair starts today. One declines:
    the mentor's slot is free again and the young person is back in the queue. Accepting is
    refused when a hard constraint now blocks the pair (e.g. a registration withdrawn or a
    screening expired since the proposal)."""
    mentorship = _locked(mentorship)
    if mentorship.status != MentorshipStatus.PROPOSED:
        raise MatchingError(["cette proposition n'attend plus de réponse"])
    if getattr(mentorship, f"{side}_response") != Response.PENDING:
        raise MatchingError(["vous avez déjà répondu à cette proposition"])
    reason = reason.strip()
    if not accept and not reason:
        raise MatchingError(["indiquez pourquoi vous refusez cette proposition"])
    if accept:
        reasons, _ = pair_evaluation(
            mentee=mentorship.mentee, mentor=mentorship.mentor, proposal=mentorship
        )
        if reasons:
            raise MatchingError(reasons)
    now = timezone.now()
    setattr(mentorship, f"{side}_response", Response.ACCEPTED if accept else Response.DECLINED)
    setattr(mentorship, f"{side}_responded_at", now)
    if not accept:
        _decline(mentorship, reason=f"{Side(side).label} : {reason}")
        send_mentorship_email.delay_on_commit(mentorship.pk, "declined", "staff")
    elif (
        mentorship.mentor_response == Response.ACCEPTED
        and mentorship.mentee_response == Response.ACCEPTED
    ):
        _start(mentorship, on=timezone.localdate())
    # The history names who answered, also when they did it from the e-mail link, logged out.
    member = mentorship.mentor if side == Side.MENTOR else mentorship.mentee
    mentorship._history_user = member.user
    mentorship._change_reason = "Réponse du mentor" if side == Side.MENTOR else "Réponse du jeune"
    mentorship.save()
    return mentorship


def _decline(mentorship: Mentorship, *, reason: str) -> None:
    # The mentor's slot is free again and the young person back in the queue: both follow
    # from the status (they count open pairs).
    mentorship.status = MentorshipStatus.DECLINED
    mentorship.decline_reason = reason


GUARDIAN_OBJECTION = "Représentant légal : opposition au binôme proposé"


@transaction.atomic
def mentorship_guardian_object(*, mentorship: Mentorship) -> Mentorship:
    """A minor's guardian objects to a proposed pair (from their signed link): the proposal is
    declined on the young person's side, whatever the members answered so far, and the
    coordinator who proposed it is told."""
    mentorship = _locked(mentorship)
    if mentorship.status != MentorshipStatus.PROPOSED:
        raise MatchingError(["cette proposition n'attend plus de réponse"])
    mentorship.mentee_response = Response.DECLINED
    mentorship.mentee_responded_at = timezone.now()
    _decline(mentorship, reason=GUARDIAN_OBJECTION)
    # Nobody logged in: the history says who answered in words.
    mentorship._change_reason = "Opposition du représentant légal"
    mentorship.save()
    send_guardian_objection_email.delay_on_commit(mentorship.pk)
    return mentorship


@transaction.atomic
def mentorship_activate(
    *,
    mentorship: Mentorship,
    activated_by: User,
    introduced_by: User | None = None,
    started_on: datetime.date | None = None,
) -> Mentorship:
    """A coordinator starts a proposed pair directly, e.g. after a kick-off meeting."""
    mentorship = _locked(mentorship)
    if mentorship.status != MentorshipStatus.PROPOSED:
        raise MatchingError(["seul un binôme proposé peut être activé"])
    today = timezone.localdate()
    started_on = started_on or today
    if started_on > today:
        raise MatchingError(["la date de début ne peut pas être dans le futur"])
    mentorship.activated_by = activated_by
    mentorship.introduced_by = introduced_by
    _start(mentorship, on=started_on)
    mentorship._history_user = activated_by
    mentorship._change_reason = "Activé par la coordination"
    mentorship.save()
    return mentorship


class PairRuleError(ServiceError):
    """A change to a pair refused by a programme rule: `errors` maps form fields (or None) to
    French messages, so a form can show each one beside its field."""


@transaction.atomic
def mentorship_close(
    *,
    mentorship: Mentorship,
    reason: CloseReason,
    closed_by: User,
    ended_on: datetime.date | None = None,
    comment: str = "",
) -> Mentorship:
    """End an active pair. "Objectives achieved" needs 6 months and no objective still open
    or in progress; the other reasons are always allowed ("other" with a comment). The
    mentor's slot is free again; with "rematch needed" the young person is back in the
    matching queue (they have no open pair any more), the history kept."""
    mentorship = _locked(mentorship)
    today = timezone.localdate()
    ended_on = ended_on or today
    comment = comment.strip()
    if mentorship.status != MentorshipStatus.ACTIVE:
        raise PairRuleError({None: "Seul un binôme actif peut être clôturé."})
    if reason not in CloseReason.values:
        # The label is written into the history below: an unknown reason must not get there.
        raise PairRuleError({"reason": "Choisissez la raison de la fin du mentorat."})
    errors: dict[str | None, str] = {}
    if ended_on > today:
        errors["ended_on"] = "La date de fin ne peut pas être dans le futur."
    elif ended_on < mentorship.started_on:
        errors["ended_on"] = "La date de fin ne peut pas précéder le début du mentorat."
    if reason == CloseReason.OBJECTIVES_ACHIEVED:
        if not has_lasted_minimum(mentorship.started_on, ended_on):
            errors["reason"] = (
                f"« Objectifs atteints » n'est possible qu'après {RULES.minimum_duration} de "
                "mentorat "
                f"(commencé le {mentorship.started_on:%d/%m/%Y}). Choisissez une autre raison "
                "si le mentorat s'arrête plus tôt."
            )
        elif mentorship.objectives.filter(status__in=PENDING_OBJECTIVES).exists():
            errors["reason"] = (
                "Des objectifs sont encore à commencer ou en cours : mettez-les à jour avant "
                "de clôturer pour « Objectifs atteints »."
            )
        elif not mentorship.objectives.filter(status=ObjectiveStatus.ACHIEVED).exists():
            # The same condition as `ready_to_close`: abandoning every objective is not
            # achieving them.
            errors["reason"] = (
                "Aucun objectif n'est marqué comme atteint : mettez les objectifs à jour ou "
                "choisissez une autre raison."
            )
    if reason == CloseReason.OTHER and not comment:
        errors["comment"] = "Précisez la raison de la fin du mentorat."
    if errors:
        raise PairRuleError(errors)
    mentorship.status = MentorshipStatus.CLOSED
    mentorship.ended_on = ended_on
    mentorship.close_reason = reason
    mentorship.close_comment = comment
    mentorship.closed_by = closed_by
    mentorship._history_user = closed_by
    mentorship._change_reason = f"Clôture : {CloseReason(reason).label}"
    mentorship.save()
    send_closure_emails.delay_on_commit(mentorship.pk)
    return mentorship


TITLE_MAX_LENGTH = Objective._meta.get_field("title").max_length
DESCRIPTION_MAX_LENGTH = Objective._meta.get_field("description").max_length


def _check_objective(title: str, description: str) -> tuple[str, str]:
    """The cleaned title and description, or the French errors. The lengths are checked here
    too: PostgreSQL refuses a title too long with a database error, not a message."""
    title, description = title.strip(), description.strip()
    errors: dict[str | None, str] = {}
    if not title:
        errors["title"] = "Donnez un titre à l'objectif."
    elif len(title) > TITLE_MAX_LENGTH:
        errors["title"] = f"Le titre ne peut pas dépasser {TITLE_MAX_LENGTH} caractères."
    if len(description) > DESCRIPTION_MAX_LENGTH:
        errors["description"] = (
            f"Les précisions ne peuvent pas dépasser {DESCRIPTION_MAX_LENGTH} caractères."
        )
    if errors:
        raise PairRuleError(errors)
    return title, description


def _check_member(mentorship: Mentorship, author: User) -> None:
    # The pair's objectives belong to its two members; a référent or a coordinator who can
    # see the pair does not set them (coordinators may still correct them in the admin).
    if author.pk not in (mentorship.mentor.user_id, mentorship.mentee.user_id):
        raise PairRuleError({None: "Seuls les membres du binôme fixent ses objectifs."})


@transaction.atomic
def objective_create(
    *, mentorship: Mentorship, title: str, description: str = "", author: User
) -> Objective:
    mentorship = Mentorship.objects.select_related("mentor", "mentee").get(pk=mentorship.pk)
    _check_member(mentorship, author)
    if mentorship.status != MentorshipStatus.ACTIVE:
        raise PairRuleError({None: "Les objectifs se fixent pendant le mentorat."})
    title, description = _check_objective(title, description)
    objective = Objective(
        mentorship=mentorship,
        title=title,
        description=description,
        created_by=author,
    )
    objective._history_user = author
    objective.save()
    return objective


@transaction.atomic
def objective_update(
    *,
    objective: Objective,
    title: str,
    description: str,
    status: ObjectiveStatus,
    author: User,
) -> Objective:
    """Either member may update an objective; each change is kept (django-simple-history)."""
    objective = Objective.objects.select_for_update().get(pk=objective.pk)
    mentorship = Mentorship.objects.select_related("mentor", "mentee").get(
        pk=objective.mentorship_id
    )
    _check_member(mentorship, author)
    if mentorship.status != MentorshipStatus.ACTIVE:
        raise PairRuleError({None: "Ce mentorat est terminé : ses objectifs ne changent plus."})
    if status not in ObjectiveStatus.values:
        raise PairRuleError({"status": "Choisissez l'état de l'objectif."})
    objective.title, objective.description = _check_objective(title, description)
    if status != objective.status:
        objective.status = status
        objective.status_changed_at = timezone.now()
    objective._history_user = author
    objective.save()
    return objective
