"""The coordinator's staff home: « Que faire maintenant », the work waiting today, each figure a
link to the admin list that holds exactly its rows.

Each figure is the selector that defines it (the same one the list's filter reads), counted
in the database: one COUNT each, whatever the size of the programme. An antenne coordinator's
figures are their antenne's (users.scopes: the rows their admin lists hold, a pair being
theirs when its young person or its mentor is of the antenne); a national coordinator's, the
whole programme's."""

import datetime
from dataclasses import dataclass
from urllib.parse import urlencode

from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from evaluations.models import Response
from matching.models import Mentorship
from matching.rules import (
    MEETING_INTERVAL,
    MINIMUM_SESSION_MINUTES,
    PROPOSAL_UNANSWERED_AFTER,
    WAITING_ALERT,
)
from matching.selectors import awaiting_mentor_counts
from mentees.models import Mentee
from mentors.models import Mentor
from mentors.rules import SCREENING_EXPIRY_WARNING
from mentors.training import TrainingRegistration
from reminders.enums import ReminderStatus
from reminders.models import Reminder
from users.models import OwedEmail
from users.programme import duration_words
from users.scopes import StaffScope

# The whole programme's: a national coordinator's scope.
PROGRAMME = StaffScope(coordinator=True)
# What leads from each figure's rows to an antenne (StaffScope.within): a pair is the
# antenne's through its young person or its mentor; an e-mail or a reminder, through its
# recipient's registration (one sent to nobody's account, a guardian's, is national).
REGISTRATION = ("antenne",)
PAIR = ("mentee__antenne", "mentor__antenne")
RECIPIENT = ("recipient__mentee__antenne", "recipient__mentor__antenne")


@dataclass(frozen=True)
class Task:
    count: int
    # The words after the number, singular and plural.
    singular: str
    plural: str
    url: str
    # More precise than the words: which rows come first, what the figure includes.
    help: str = ""
    # Needs attention first (the list flags it in words, never by colour alone).
    urgent: bool = False

    @property
    def label(self) -> str:
        return self.singular if self.count == 1 else self.plural

    @property
    def flagged(self) -> bool:
        return self.urgent and self.count > 0


@dataclass(frozen=True)
class TaskGroup:
    title: str
    slug: str
    tasks: list[Task]


def changelist(name: str, **params) -> str:
    url = reverse(f"admin:{name}_changelist")
    return f"{url}?{urlencode(params)}" if params else url


def figures(*, today: datetime.date, scope: StaffScope = PROGRAMME) -> dict[str, int]:
    """The number of rows behind each task within the scope: one COUNT per figure, whatever
    the size of the programme. (Conditional counts over `pk IN (selection)` in one query per
    table were measured ten times slower at national scale: PostgreSQL then tests every row
    against every selection.)"""
    selections = {
        "mentees_to_review": (Mentee.objects.pending_review(), REGISTRATION),
        "awaiting_consent": (Mentee.objects.awaiting_guardian_consent(), REGISTRATION),
        "mentors_to_review": (Mentor.objects.pending_review(), REGISTRATION),
        "screening_missing": (Mentor.objects.screening_missing(today=today), REGISTRATION),
        "screening_expiring": (Mentor.objects.screening_expiring(today=today), REGISTRATION),
        "without_referent": (Mentor.objects.without_referent(), REGISTRATION),
        "unanswered": (Mentorship.objects.unanswered(today=today), PAIR),
        "overdue": (Mentorship.objects.overdue(today=today), PAIR),
        "ready_to_close": (Mentorship.objects.ready_to_close(today=today), PAIR),
        "unread": (
            Response.objects.unread(),
            tuple(f"mentorship__{path}" for path in PAIR),
        ),
        "untrained": (Mentor.objects.untrained(), REGISTRATION),
        "attendance_to_record": (TrainingRegistration.objects.to_record(), ("mentor__antenne",)),
        "failed_emails": (OwedEmail.objects.failed(), RECIPIENT),
        "failed_reminders": (Reminder.objects.filter(status=ReminderStatus.FAILED), RECIPIENT),
    }
    return {
        **{
            name: scope.within(selection, *paths).count()
            for name, (selection, paths) in selections.items()
        },
        # One selection and the part of it waiting too long: counted together.
        **awaiting_mentor_counts(
            today=today, within=None if scope.national else scope.q(*REGISTRATION)
        ),
    }


# The figures cost about 100 ms at national scale and the page is every coordinator's first
# page: they are shared for a minute by the coordinators of the same scope (the national
# team, or one antenne's), and the page tells when they were counted.
FIGURES_CACHE_SECONDS = 60


def figures_cache_key(*, today: datetime.date, scope: StaffScope) -> str:
    """One entry per scope: an antenne coordinator never reads the national figures, nor
    another antenne's, and a national coordinator never reads an antenne's."""
    where = "national" if scope.national else f"antenne-{scope.antenne_id}"
    return f"staff-home-figures:{where}:{today.isoformat()}"


def cached_figures(
    *, today: datetime.date, scope: StaffScope = PROGRAMME
) -> tuple[dict[str, int], datetime.datetime]:
    """The figures and when they were counted (at most FIGURES_CACHE_SECONDS ago)."""
    key = figures_cache_key(today=today, scope=scope)
    cached = cache.get(key)
    if cached is None:
        cached = (figures(today=today, scope=scope), timezone.now())
        cache.set(key, cached, FIGURES_CACHE_SECONDS)
    return cached


def task_groups(
    *, today: datetime.date, n: dict[str, int] | None = None, scope: StaffScope = PROGRAMME
) -> list[TaskGroup]:
    n = figures(today=today, scope=scope) if n is None else n
    waiting_days = WAITING_ALERT.days
    unanswered_days = PROPOSAL_UNANSWERED_AFTER.days
    return [
        TaskGroup(
            "Inscriptions",
            "inscriptions",
            [
                Task(
                    n["mentees_to_review"],
                    "inscription de jeune à examiner",
                    "inscriptions de jeunes à examiner",
                    changelist("mentees_mentee", a_examiner="oui"),
                    help="Les mineurs d'abord, puis les plus anciennes.",
                ),
                Task(
                    n["mentors_to_review"],
                    "inscription de mentor à examiner",
                    "inscriptions de mentors à examiner",
                    changelist("mentors_mentor", a_examiner="oui"),
                    help="Les plus anciennes d'abord.",
                ),
                Task(
                    n["awaiting_consent"],
                    "mineur en attente du consentement de son représentant légal",
                    "mineurs en attente du consentement de leur représentant légal",
                    changelist("mentees_mentee", consentement="attente"),
                ),
            ],
        ),
        TaskGroup(
            "Contrôles d'honorabilité",
            "controles",
            [
                Task(
                    n["screening_missing"],
                    "mentor acceptant des mineurs sans contrôle d'honorabilité valide",
                    "mentors acceptant des mineurs sans contrôle d'honorabilité valide",
                    changelist("mentors_mentor", controle="sans_controle_valide"),
                    help="Aucun contrôle, ou un contrôle expiré : pas d'appariement avec un "
                    "mineur.",
                ),
                Task(
                    n["screening_expiring"],
                    f"contrôle d'honorabilité qui expire dans les "
                    f"{SCREENING_EXPIRY_WARNING.days} jours",
                    f"contrôles d'honorabilité qui expirent dans les "
                    f"{SCREENING_EXPIRY_WARNING.days} jours",
                    changelist("mentors_mentor", controle="expire_bientot"),
                ),
            ],
        ),
        TaskGroup(
            "Appariement",
            "appariement",
            [
                Task(
                    n["awaiting_mentor"],
                    "jeune en attente d'un mentor",
                    "jeunes en attente d'un mentor",
                    changelist("mentees_mentee", en_attente_de_mentor="oui"),
                ),
                Task(
                    n["waiting_too_long"],
                    f"jeune attend un mentor depuis plus de {waiting_days} jours",
                    f"jeunes attendent un mentor depuis plus de {waiting_days} jours",
                    changelist("mentees_mentee", attente=f"plus_de_{waiting_days}_jours"),
                    help="Les plus longues attentes d'abord.",
                    urgent=True,
                ),
                Task(
                    n["unanswered"],
                    f"proposition de binôme sans réponse depuis plus de {unanswered_days} jours",
                    f"propositions de binôme sans réponse depuis plus de {unanswered_days} jours",
                    changelist("matching_mentorship", sans_reponse="oui"),
                ),
            ],
        ),
        TaskGroup(
            "Binômes en cours",
            "binomes",
            [
                Task(
                    n["overdue"],
                    "binôme en retard de rencontre",
                    "binômes en retard de rencontre",
                    changelist("matching_mentorship", rythme="overdue"),
                    help=f"Pas de rencontre d'au moins "
                    f"{duration_words(MINIMUM_SESSION_MINUTES)} depuis plus de "
                    f"{MEETING_INTERVAL.days} jours.",
                ),
                Task(
                    n["ready_to_close"],
                    "binôme prêt à clôturer",
                    "binômes prêts à clôturer",
                    changelist("matching_mentorship", pret_a_cloturer="oui"),
                ),
                Task(
                    n["unread"],
                    "questionnaire d'auto-évaluation pas encore lu",
                    "questionnaires d'auto-évaluation pas encore lus",
                    changelist("evaluations_response", lu="non"),
                    help="Envoyés par les jeunes, ni le référent ni la coordination ne les "
                    "ont encore ouverts.",
                ),
            ],
        ),
        TaskGroup(
            "Référents",
            "referents",
            [
                Task(
                    n["without_referent"],
                    "mentor validé sans référent",
                    "mentors validés sans référent",
                    changelist("mentors_mentor", referent="aucun"),
                ),
            ],
        ),
        TaskGroup(
            "Formations",
            "formations",
            [
                Task(
                    n["untrained"],
                    "mentor validé non formé",
                    "mentors validés non formés",
                    changelist(
                        "mentors_mentor", status__exact="approved", formation_initiale="non"
                    ),
                    help="Aucune présence notée à une formation initiale.",
                ),
                Task(
                    n["attendance_to_record"],
                    "présence à une formation à noter",
                    "présences à des formations à noter",
                    changelist("mentors_trainingregistration", presence_a_noter="oui"),
                    help="Sessions déjà commencées dont la présence n'est pas encore notée.",
                ),
            ],
        ),
        TaskGroup(
            "E-mails",
            "e-mails",
            [
                Task(
                    n["failed_emails"],
                    "e-mail non distribué",
                    "e-mails non distribués",
                    changelist("users_owedemail", status__exact="failed"),
                    help="Le serveur de messagerie l'a refusé, ou n'a pas répondu après "
                    "plusieurs essais : corrigez l'adresse si besoin, puis « Renvoyer ».",
                    urgent=True,
                ),
                Task(
                    n["failed_reminders"],
                    "rappel non distribué",
                    "rappels non distribués",
                    changelist("reminders_reminder", status__exact=ReminderStatus.FAILED),
                    help="Même cause, pour un rappel : corrigez l'adresse si besoin, puis "
                    "« Renvoyer » dans la liste des rappels.",
                    urgent=True,
                ),
            ],
        ),
    ]
