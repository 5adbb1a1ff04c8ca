"""Pairs of the demo programme: one active pair for the demo mentor and young person, one
proposal still unanswered, and two more pairs the demo référent follows (one behind its
meetings, one ready to close), so every space and admin screen has something to show.

The active pair also has a life: objectives (one achieved), logged sessions (one too short, to
show the flag) evaluated by both members, a référent's follow-up and a planned next meeting.
The demo référent accompanies the demo mentors (all but one, just approved, whom the
coordinator still has to give a référent).

The pairs are stored directly (their services send e-mails, and demo addresses must get
none); everything else goes through the real services, which send no e-mail. Each part is
created only when missing: running the seed again creates and changes nothing."""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from evaluations.enums import Moment, QuestionKind
from evaluations.models import Response as QuestionnaireResponse
from evaluations.services import response_mark_read, response_open, response_save
from matching.enums import MentorshipStatus, ObjectiveStatus, Response, Side
from matching.models import Mentorship
from matching.rules import PROPOSAL_UNANSWERED_AFTER, minimum_start_for
from matching.selectors import pair_evaluation, suggest_mentors
from matching.services import objective_create, objective_update
from mentees.models import Mentee
from mentors.models import Mentor
from sessions.enums import ObjectivesProgress, SessionFormat, SessionTopic
from sessions.models import FollowUp, PlannedMeeting, Session, SessionEvaluation
from sessions.services import session_evaluate, session_follow_up, session_log
from users.enums import RegistrationStatus
from users.models import User

from .seed import (
    COORDINATOR_EMAIL,
    DEMO_DOMAIN,
    MENTEE_EMAIL,
    MENTOR_EMAIL,
    REFERENT_EMAIL,
    UNASSIGNED_MENTOR_EMAIL,
)

ACTIVE_FOR = datetime.timedelta(days=50)
# The proposal has waited for its answers a few days longer than the coordinators' alert.
PROPOSED_FOR = PROPOSAL_UNANSWERED_AFTER + datetime.timedelta(days=3)


@dataclass(frozen=True)
class DemoObjective:
    title: str
    description: str
    status: ObjectiveStatus
    # Who set it and moves it on: objectives are the pair's, either member updates them.
    author: Side


DEMO_OBJECTIVES = (
    DemoObjective(
        "Refaire mon CV et ma lettre de motivation",
        "Un CV d'une page tourné vers le développement web, une lettre à adapter à chaque "
        "entreprise.",
        ObjectiveStatus.ACHIEVED,
        Side.MENTEE,
    ),
    DemoObjective(
        "Préparer les entretiens d'alternance",
        "Deux simulations d'entretien, dont une en visio.",
        ObjectiveStatus.IN_PROGRESS,
        Side.MENTOR,
    ),
    DemoObjective(
        "Signer un contrat d'alternance pour la rentrée",
        "",
        ObjectiveStatus.OPEN,
        Side.MENTEE,
    ),
)


@dataclass(frozen=True)
class DemoEvaluation:
    rating: int
    comment: str
    objectives_progress: str = ""


@dataclass(frozen=True)
class DemoSession:
    days_ago: int
    duration_minutes: int
    format: SessionFormat
    topics: tuple[SessionTopic, ...]
    summary: str
    next_steps: str
    mentor_evaluation: DemoEvaluation
    # None: the young person has not evaluated it yet, a task waiting in their space.
    mentee_evaluation: DemoEvaluation | None
    # The référent's comment once they have reviewed it; None: still in their queue.
    follow_up: str | None


DEMO_SESSIONS = (
    DemoSession(
        days_ago=44,
        duration_minutes=120,
        format=SessionFormat.IN_PERSON,
        topics=(SessionTopic.PROJECT, SessionTopic.ALTERNANCE),
        summary="Première rencontre à la médiathèque : parcours de Yanis, ce qu'il attend du "
        "mentorat, les objectifs fixés ensemble.",
        next_steps="Yanis envoie son CV actuel ; Claire prépare une liste d'entreprises.",
        mentor_evaluation=DemoEvaluation(
            5, "Très bon premier contact, Yanis sait ce qu'il veut.", ObjectivesProgress.SOME
        ),
        mentee_evaluation=DemoEvaluation(5, "J'ai enfin un plan pour trouver mon alternance."),
        follow_up="Bon démarrage, objectifs clairs.",
    ),
    # Under 90 minutes: accepted, and flagged as below the programme minimum.
    DemoSession(
        days_ago=24,
        duration_minutes=60,
        format=SessionFormat.VIDEO,
        topics=(SessionTopic.CV_INTERVIEW,),
        summary="Relecture du CV et de la lettre de motivation en visio.",
        next_steps="Version finale du CV d'ici une semaine.",
        mentor_evaluation=DemoEvaluation(
            4, "Séance courte mais efficace, le CV est prêt.", ObjectivesProgress.CLEAR
        ),
        mentee_evaluation=DemoEvaluation(4, "Mon CV est beaucoup plus clair."),
        follow_up=None,
    ),
    DemoSession(
        days_ago=3,
        duration_minutes=90,
        format=SessionFormat.IN_PERSON,
        topics=(SessionTopic.CV_INTERVIEW, SessionTopic.SELF_CONFIDENCE),
        summary="Première simulation d'entretien, retour détaillé sur la présentation de soi.",
        next_steps="Préparer trois exemples de projets à présenter.",
        mentor_evaluation=DemoEvaluation(
            4, "Yanis gagne en aisance, à poursuivre.", ObjectivesProgress.SOME
        ),
        mentee_evaluation=None,
        follow_up=None,
    ),
)
# The young person's start self-assessment, in the questionnaire's order: modest at the start,
# so that the end questionnaire has room to show progress.
DEMO_START_SCALES = (2, 3, 3, 2, 3, 2, 2)
DEMO_START_CHOICE = "Trouver une alternance"
DEMO_START_TEXT = (
    "Qu'il m'aide à trouver une entreprise pour mon alternance et à me préparer aux entretiens."
)
NEXT_MEETING_IN = datetime.timedelta(days=12)
NEXT_MEETING_TIME = datetime.time(18, 30)
NEXT_MEETING_PLACE = "Médiathèque Ulysse, Saint-Denis"


NOON = datetime.time(12)


@dataclass(frozen=True)
class FollowedPair:
    """Another pair of the demo référent's caseload, with its own story."""

    mentor_email: str
    mentee_email: str
    # How long ago it started; None: just over the programme's 6 months.
    started_days_ago: int | None
    objectives: tuple[DemoObjective, ...]
    sessions: tuple[DemoSession, ...]
    # The young person's start questionnaire: not sent (None), sent and still to be read by
    # the référent (False), or sent and read (True).
    start_questionnaire_read: bool | None


def _session(
    days_ago: int,
    minutes: int,
    summary: str,
    *,
    followed_up: str | None,
    mentee_rating: int | None = 4,
) -> DemoSession:
    return DemoSession(
        days_ago=days_ago,
        duration_minutes=minutes,
        format=SessionFormat.VIDEO,
        topics=(SessionTopic.JOB_SEARCH, SessionTopic.SELF_CONFIDENCE),
        summary=summary,
        next_steps="",
        mentor_evaluation=DemoEvaluation(4, "Séance utile.", ObjectivesProgress.SOME),
        mentee_evaluation=None
        if mentee_rating is None
        else DemoEvaluation(mentee_rating, "Merci pour vos conseils."),
        follow_up=followed_up,
    )


FOLLOWED_PAIRS = (
    # Behind its rhythm: no meeting for more than 45 days, the last one not yet followed up,
    # the start questionnaire not yet sent.
    FollowedPair(
        mentor_email=f"nathalie.fontaine@{DEMO_DOMAIN}",
        mentee_email=f"lea.bernard@{DEMO_DOMAIN}",
        started_days_ago=110,
        objectives=(
            DemoObjective(
                "Découvrir trois métiers du social",
                "Rencontrer une éducatrice, une assistante sociale et une conseillère en "
                "insertion.",
                ObjectiveStatus.IN_PROGRESS,
                Side.MENTEE,
            ),
            DemoObjective("Choisir une formation", "", ObjectiveStatus.OPEN, Side.MENTOR),
        ),
        sessions=(
            _session(
                104,
                120,
                "Premier échange sur le projet de reconversion de Léa.",
                followed_up="Projet clair, binôme bien parti.",
            ),
            _session(
                72,
                90,
                "Point sur les métiers du social repérés par Léa.",
                followed_up=None,
                mentee_rating=None,
            ),
        ),
        start_questionnaire_read=None,
    ),
    # Six months and more, every objective met: ready to close; its start questionnaire was
    # read long ago.
    FollowedPair(
        mentor_email=f"ines.mansouri@{DEMO_DOMAIN}",
        mentee_email=f"kevin.dasilva@{DEMO_DOMAIN}",
        started_days_ago=None,
        objectives=(
            DemoObjective(
                "Reprendre confiance à l'oral",
                "Trois simulations d'entretien.",
                ObjectiveStatus.ACHIEVED,
                Side.MENTEE,
            ),
            DemoObjective(
                "Décrocher un CDI en restauration", "", ObjectiveStatus.ACHIEVED, Side.MENTEE
            ),
            DemoObjective("Passer le permis B", "", ObjectiveStatus.ABANDONED, Side.MENTOR),
        ),
        sessions=(
            _session(
                185, 120, "Faire connaissance, fixer les objectifs.", followed_up="Bon départ."
            ),
            _session(145, 90, "Première simulation d'entretien.", followed_up="RAS."),
            _session(105, 90, "Deuxième simulation, travail sur le CV.", followed_up="RAS."),
            _session(
                65,
                90,
                "Préparation de l'entretien chez un restaurateur.",
                followed_up="Entretien décroché, bravo.",
            ),
            _session(25, 90, "Kevin a signé son CDI : bilan du mentorat.", followed_up=None),
        ),
        start_questionnaire_read=True,
    ),
)


def _pair(
    *, mentee: Mentee, mentor: Mentor, coordinator: User, started_on: datetime.date | None
) -> Mentorship | None:
    """An active pair started on `started_on`, or a proposal (None)."""
    reasons, compatibility = pair_evaluation(mentee=mentee, mentor=mentor)
    if reasons:
        return None
    active = started_on is not None
    if active:
        proposed_at = timezone.make_aware(
            datetime.datetime.combine(started_on - datetime.timedelta(days=5), NOON)
        )
    else:
        proposed_at = timezone.now() - PROPOSED_FOR
    # Stored like the services store them, without their e-mails: demo addresses get no mail.
    return Mentorship.objects.create(
        mentor=mentor,
        mentee=mentee,
        score=compatibility.score,
        explanation=compatibility.explanation(),
        proposed_by=coordinator,
        proposed_at=proposed_at,
        status=MentorshipStatus.ACTIVE if active else MentorshipStatus.PROPOSED,
        mentor_response=Response.ACCEPTED if active else Response.PENDING,
        mentee_response=Response.ACCEPTED if active else Response.PENDING,
        started_on=started_on,
    )


@transaction.atomic
def seed_demo_pairs() -> int:
    """Create the demo pairs once, and whatever part of their life is missing; return how
    many pairs were created."""
    _assign_referent()
    created = _create_pairs()
    created += _create_followed_pairs()
    active = _demo_pair(MENTOR_EMAIL, MENTEE_EMAIL)
    if active is not None:
        _seed_pair_life(active)
    for spec in FOLLOWED_PAIRS:
        pair = _demo_pair(spec.mentor_email, spec.mentee_email)
        if pair is not None:
            _seed_followed_life(pair, spec)
    return created


def _demo_pair(mentor_email: str, mentee_email: str) -> Mentorship | None:
    return (
        Mentorship.objects.active()
        .filter(mentor__user__email=mentor_email, mentee__user__email=mentee_email)
        .select_related("mentor__user", "mentee__user")
        .first()
    )


def _assign_referent() -> None:
    """The demo référent accompanies every demo mentor still in the programme (the rule: each
    mentor has a référent). A référent chosen since, in the admin, is kept."""
    referent = User.objects.get(email=REFERENT_EMAIL)
    coordinator = User.objects.get(email=COORDINATOR_EMAIL)
    mentors = (
        Mentor.objects.filter(user__email__endswith=f"@{DEMO_DOMAIN}", referent__isnull=True)
        .exclude(status=RegistrationStatus.REJECTED)
        # Just approved: the coordinator's staff home shows them as still without a référent.
        .exclude(user__email=UNASSIGNED_MENTOR_EMAIL)
    )
    for mentor in mentors:
        # Saved one by one, not with update(): the history shows who assigned the référent.
        mentor.referent = referent
        mentor._history_user = coordinator
        mentor._change_reason = "Référent attribué"
        mentor.save(update_fields=["referent", "updated_at"])


def _create_pairs() -> int:
    if Mentorship.objects.filter(mentee__user__email__endswith=f"@{DEMO_DOMAIN}").exists():
        return 0
    coordinator = User.objects.get(email=COORDINATOR_EMAIL)
    created = 0
    active = _pair(
        mentee=Mentee.objects.get(user__email=MENTEE_EMAIL),
        mentor=Mentor.objects.get(user__email=MENTOR_EMAIL),
        coordinator=coordinator,
        started_on=timezone.localdate() - ACTIVE_FOR,
    )
    created += active is not None
    waiting = (
        Mentee.objects.approved()
        .filter(user__email__endswith=f"@{DEMO_DOMAIN}", mentorships__isnull=True)
        # The young people of the référent's other pairs are kept for them.
        .exclude(user__email__in=[spec.mentee_email for spec in FOLLOWED_PAIRS])
        .order_by("pk")
    )
    for mentee in waiting:
        suggestions = suggest_mentors(mentee=mentee)
        if suggestions:
            created += (
                _pair(
                    mentee=mentee,
                    mentor=suggestions[0].mentor,
                    coordinator=coordinator,
                    started_on=None,
                )
                is not None
            )
            break
    return created


def _seed_pair_life(pair: Mentorship) -> None:
    members = {Side.MENTOR: pair.mentor.user, Side.MENTEE: pair.mentee.user}
    if not pair.objectives.exists():
        _seed_objectives(pair, members)
    if not pair.sessions.exists():
        _seed_sessions(pair, members)
    if not hasattr(pair, "planned_meeting"):
        _plan_next_meeting(pair, members[Side.MENTOR])
    if not QuestionnaireResponse.objects.filter(mentorship=pair, moment=Moment.START).exists():
        _submit_start_questionnaire(pair, members[Side.MENTEE])


def _create_followed_pairs() -> int:
    """The référent's other pairs, each created once (and only if the rules allow it)."""
    coordinator = User.objects.get(email=COORDINATOR_EMAIL)
    today = timezone.localdate()
    created = 0
    for spec in FOLLOWED_PAIRS:
        mentee = Mentee.objects.filter(user__email=spec.mentee_email).first()
        mentor = Mentor.objects.filter(user__email=spec.mentor_email).first()
        if mentee is None or mentor is None or mentee.mentorships.exists():
            continue
        if spec.started_days_ago is None:
            started_on = minimum_start_for(today) - datetime.timedelta(days=10)
        else:
            started_on = today - datetime.timedelta(days=spec.started_days_ago)
        created += (
            _pair(mentee=mentee, mentor=mentor, coordinator=coordinator, started_on=started_on)
            is not None
        )
    return created


def _seed_followed_life(pair: Mentorship, spec: FollowedPair) -> None:
    members = {Side.MENTOR: pair.mentor.user, Side.MENTEE: pair.mentee.user}
    if not pair.objectives.exists():
        _seed_objectives(pair, members, spec.objectives)
    if not pair.sessions.exists():
        _seed_sessions(pair, members, spec.sessions)
    started = QuestionnaireResponse.objects.filter(mentorship=pair, moment=Moment.START)
    if spec.start_questionnaire_read is not None and not started.exists():
        response = _submit_start_questionnaire(pair, members[Side.MENTEE])
        referent = pair.mentor.referent
        if spec.start_questionnaire_read and referent is not None:
            response_mark_read(response=response, reader=referent)


def _seed_objectives(
    pair: Mentorship, members: dict[Side, User], specs: tuple[DemoObjective, ...] = DEMO_OBJECTIVES
) -> None:
    for spec in specs:
        author = members[spec.author]
        objective = objective_create(
            mentorship=pair, title=spec.title, description=spec.description, author=author
        )
        if spec.status != objective.status:
            objective_update(
                objective=objective,
                title=objective.title,
                description=objective.description,
                status=spec.status,
                author=author,
            )


def _seed_sessions(
    pair: Mentorship, members: dict[Side, User], specs: tuple[DemoSession, ...] = DEMO_SESSIONS
) -> None:
    referent = pair.mentor.referent
    today = timezone.localdate()
    for spec in specs:
        held_on = max(today - datetime.timedelta(days=spec.days_ago), pair.started_on)
        session = session_log(
            mentorship=pair,
            author=members[Side.MENTOR],
            held_on=held_on,
            duration_minutes=spec.duration_minutes,
            format=spec.format,
            topics=list(spec.topics),
            summary=spec.summary,
            next_steps=spec.next_steps,
        )
        for side, evaluation in (
            (Side.MENTOR, spec.mentor_evaluation),
            (Side.MENTEE, spec.mentee_evaluation),
        ):
            if evaluation is not None:
                session_evaluate(
                    session=session,
                    author=members[side],
                    rating=evaluation.rating,
                    comment=evaluation.comment,
                    objectives_progress=evaluation.objectives_progress,
                )
        if spec.follow_up is not None and referent is not None:
            session_follow_up(session=session, referent=referent, comment=spec.follow_up)
        _backdate(session, held_on)


def _backdate(session: Session, held_on: datetime.date) -> None:
    """Written the evening of the meeting, as a member would: the 7-day edit windows of the
    older sessions and evaluations are then over, as they would be in real life. The
    services stamp "now"; update() changes the timestamps alone (the history keeps the
    seed's own time)."""
    now = timezone.now()
    written = timezone.make_aware(datetime.datetime.combine(held_on, datetime.time(21)))
    written = min(written, now)
    Session.objects.filter(pk=session.pk).update(logged_at=written)
    SessionEvaluation.objects.filter(session=session).update(created_at=written)
    FollowUp.objects.filter(session=session, reviewed=True).update(
        reviewed_at=min(written + datetime.timedelta(days=1), now)
    )


def _submit_start_questionnaire(pair: Mentorship, mentee: User) -> QuestionnaireResponse:
    """The young person's first task, done: their mentor has a submitted start questionnaire
    to read, and the end one is still to come."""
    response = response_open(mentorship=pair, moment=Moment.START, author=mentee)
    scales = iter(DEMO_START_SCALES)
    answers: dict[int, object] = {}
    for question in response.questionnaire.questions.for_moment(Moment.START):
        if question.kind == QuestionKind.SCALE:
            answers[question.pk] = next(scales, 3)
        elif question.kind == QuestionKind.SINGLE_CHOICE:
            # The questionnaire is data a coordinator may have changed: fall back on its first.
            answers[question.pk] = (
                DEMO_START_CHOICE if DEMO_START_CHOICE in question.choices else question.choices[0]
            )
        elif question.kind == QuestionKind.MULTIPLE_CHOICE:
            answers[question.pk] = question.choices[:1]
        else:
            answers[question.pk] = DEMO_START_TEXT
    return response_save(response=response, author=mentee, answers=answers, submit=True)


def _plan_next_meeting(pair: Mentorship, mentor: User) -> None:
    # Stored directly, not through sessions.services.meeting_plan: that one e-mails the young
    # person, and the demo sends no e-mail.
    day = timezone.localdate() + NEXT_MEETING_IN
    PlannedMeeting.objects.update_or_create(
        mentorship=pair,
        defaults={
            "starts_at": timezone.make_aware(datetime.datetime.combine(day, NEXT_MEETING_TIME)),
            "place": NEXT_MEETING_PLACE,
            "planned_by": mentor,
        },
    )
