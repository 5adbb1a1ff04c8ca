"""What is waiting for a member in their pairs: the tasks of « Mon espace » and of the pair
page, worded from the pair's state (sessions.pair_state)."""

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from matching.enums import ComplianceState

from .links import session_link

if TYPE_CHECKING:
    from .overview import PairView

# Tasks are listed by what unblocks the pair first. The young person's start questionnaire
# comes before everything: it measures where they stand before the mentoring changes it.
# Then the end questionnaire of a closing pair and each member's closure questionnaire of a
# closed one, then the objectives: without them nothing else makes sense (the programme asks
# for them at the start).
(
    START_QUESTIONNAIRE,
    END_QUESTIONNAIRE,
    CLOSURE_QUESTIONNAIRE,
    OBJECTIVES,
    LOG_SESSION,
    EVALUATE,
    PLAN,
) = range(7)


def day(value: datetime.date) -> str:
    return date_format(value, "j F Y")


@dataclass(frozen=True)
class Task:
    kind: int
    label: str
    hint: str
    url: str | None


def pair_tasks(pair: "PairView") -> list[Task]:
    """What is waiting for this member in the pair, in French, from the pair's state."""
    if not pair.is_member:
        return []
    tasks = []
    other = (
        pair.mentorship.mentee.user.first_name
        if pair.is_mentor
        else pair.mentorship.mentor.user.first_name
    )
    if pair.start_questionnaire_to_fill:
        tasks.append(
            Task(
                START_QUESTIONNAIRE,
                "Remplir le questionnaire de début",
                "Quelques minutes pour dire où tu en es : tu mesureras ton chemin "
                f"à la fin du mentorat. {pair.mentorship.mentor.user.first_name} le lira "
                "une fois envoyé.",
                pair.start_fill_url,
            )
        )
    if pair.end_questionnaire_to_fill:
        tasks.append(
            Task(
                END_QUESTIONNAIRE,
                "Remplir le questionnaire de fin",
                "Les mêmes questions qu'au début : tu verras ce qui a changé pour toi "
                "pendant le mentorat.",
                pair.end_fill_url,
            )
        )
    if pair.closure_questionnaire_to_fill:
        tasks.append(
            Task(
                CLOSURE_QUESTIONNAIRE,
                "Remplir le questionnaire de clôture",
                (
                    "Quelques questions sur ce qui s'est bien passé et sur la suite : tes "
                    "réponses aident l'équipe du programme, ton mentor ne les lit pas."
                    if pair.is_mentee
                    else "Quelques questions sur ce qui s'est bien passé et sur la suite : vos "
                    "réponses aident l'équipe du programme, le jeune ne les lit pas."
                ),
                pair.closure_url,
            )
        )
    if pair.has_no_objective:
        tasks.append(
            Task(
                OBJECTIVES,
                "Définir tes objectifs" if pair.is_mentee else "Définir vos objectifs",
                (
                    f"Fixe avec {other} au moins un objectif : c'est la première étape du "
                    "mentorat, et il s'achève quand tes objectifs sont atteints."
                    if pair.is_mentee
                    else f"Fixez avec {other} au moins un objectif : c'est la première étape "
                    "du mentorat, et il s'achève quand vos objectifs sont atteints."
                ),
                reverse("matching:objective_add", args=[pair.pk]),
            )
        )
    if pair.is_mentor and pair.is_active:
        hint = None
        if pair.planned_meeting_passed_unlogged:
            starts = timezone.localtime(pair.planned_meeting.starts_at)
            hint = f"La rencontre prévue le {day(starts.date())} est passée : enregistrez-la."
        elif pair.compliance == ComplianceState.OVERDUE:
            hint = (
                f"La rencontre était à faire avant le {day(pair.next_meeting_due)} : "
                "enregistrez votre dernière séance, ou rencontrez-vous au plus vite."
            )
        elif pair.compliance == ComplianceState.DUE_SOON:
            hint = (
                f"Votre prochaine rencontre est à faire avant le "
                f"{day(pair.next_meeting_due)} : enregistrez-la dès qu'elle a eu lieu."
            )
        if hint:
            tasks.append(
                Task(LOG_SESSION, "Enregistrer une séance", hint, session_link("log", pair.pk))
            )
    for session in pair.sessions_to_evaluate:
        tasks.append(
            Task(
                EVALUATE,
                f"Évaluer la séance du {day(session.held_on)}",
                "Chaque séance est évaluée par le mentor et par le jeune.",
                session_link("evaluate", session.pk),
            )
        )
    if pair.is_active and not pair.has_upcoming_meeting:
        tasks.append(
            Task(
                PLAN,
                "Planifier ta prochaine rencontre"
                if pair.is_mentee
                else "Planifier votre prochaine rencontre",
                "Une date, un lieu ou un lien de visio : tu la retrouveras dans ton agenda."
                if pair.is_mentee
                else "Une date, un lieu ou un lien de visio : vous la retrouverez dans votre "
                "agenda.",
                session_link("plan_meeting", pair.pk),
            )
        )
    return tasks


def all_tasks(pairs: list["PairView"]) -> list[tuple["PairView", Task]]:
    """Every pair's tasks in one list, the most blocking kind first, then in the pairs'
    order (sorting is stable)."""
    return sorted(
        ((pair, task) for pair in pairs for task in pair.tasks), key=lambda item: item[1].kind
    )
