"""The matching page of one young person (`admin:mentees_mentee_matching`) or one mentor
(`admin:mentors_mentor_matching`): what a coordinator reads to choose, in one screen — a
compact profile, the ten most compatible suggestions with their score and explanation, a
one-click proposal, and (for a young person) the « pourquoi pas ce mentor ? » search that
evaluates any mentor with the hard constraints still enforced and explained.

The long edit form stays on the person's change page, one click away (« Modifier la fiche »).
These pages are the coordinators' matching tools: staff without the matching permission
(référents) are refused, as on the proposal endpoints.

The suggestions are the person's antenne's (`eligibility`: « même antenne »). On a young
person's page the coordinator may widen them to the antennes of the young person's
département and of the bordering ones (« Élargir aux antennes voisines », `?voisines=1`),
the proposal then going through the widened rule. An antenne coordinator reaches only the
people of their antenne (404 elsewhere) and, in the widened search, of those neighbours."""

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils import timezone

from mentees.models import Mentee, PriorityMark
from mentees.priority import MISSION_LOCALE
from mentors.enums import ScreeningState
from mentors.models import Mentor, screening_expires_on, screening_state
from users.enums import Availability, HelpTopic, Language, RegistrationStatus, Sector
from users.scopes import StaffScope, staff_scope

from .admin_views import (
    MATCHING_PERMISSION,
    WIDEN_PARAM,
    WIDEN_VALUE,
    admin_change_url,
    is_widened,
    matching_page_url,
    mentees_in_scope,
    mentors_in_scope,
    require_permission,
)
from .compatibility import Compatibility, Weights
from .eligibility import (
    INITIAL_TRAINING_MISSING,
    AntennesInReach,
    antennes_within_reach,
    in_antennes,
    with_matching_facts,
)
from .models import Mentorship
from .priority import Priority
from .rules import WAITING_ALERT
from .selectors import (
    current_weights,
    mentee_priority,
    mentee_suggestion_blockers,
    pair_evaluation,
    suggest_mentees,
    suggest_mentors,
    waiting_days,
    with_waiting_since,
)
from .waiting import objectives_achieved

# The hand search evaluates each result on its own (`pair_evaluation`): keep the page short.
SEARCH_RESULTS = 20
PAGE_PERMISSIONS = (MATCHING_PERMISSION, "mentees.view_mentee", "mentors.view_mentor")


# The national programme, where an antenne's name would be.
NATIONAL_WORDS = "programme national (sans antenne)"


def antenne_words(registration) -> str:
    """`registration` carries its antenne (select_related)."""
    return registration.antenne.name if registration.antenne_id else NATIONAL_WORDS


def labels(values, choices) -> str:
    names = dict(choices.choices)
    return ", ".join(str(names.get(value, value)) for value in values or []) or "—"


def waiting_words(days: int | None) -> str:
    """« en attente depuis 12 jours » (the lists and the matching page say it the same way)."""
    if days is None:
        return "—"
    if days == 0:
        return "en attente depuis aujourd'hui"
    return f"en attente depuis {days} jour{'s' if days > 1 else ''}"


@dataclass(frozen=True)
class Fact:
    label: str
    value: str
    # Needs the coordinator's attention: said in words in `value`, marked for the eye too.
    flagged: bool = False


def waiting_fact(days: int | None) -> Fact:
    if days is None:
        return Fact("Attente", "n'attend pas de mentor")
    if days > WAITING_ALERT.days:
        return Fact("Attente", f"{waiting_words(days)} (plus de {WAITING_ALERT.days})", True)
    return Fact("Attente", waiting_words(days))


def publics_words(mentee: Mentee) -> str:
    """« Quartier prioritaire (QPV), Suivi par une Mission Locale (Mission Locale de Roubaix,
    à confirmer) »: `mentee` carries its marks with their public (`with_priority_marks`)."""
    words = []
    for mark in mentee.priority_marks.all():
        details = []
        if mark.public.code == MISSION_LOCALE and mentee.mission_locale_name:
            details.append(mentee.mission_locale_name)
        if not mark.is_confirmed:
            details.append("à confirmer")
        label = mark.public.label
        words.append(f"{label} ({', '.join(details)})" if details else label)
    return ", ".join(words) or "aucun déclaré"


def with_priority_marks(queryset):
    """The young people with their marks and each mark's public: one query for all."""
    return queryset.prefetch_related(
        Prefetch(
            "priority_marks",
            queryset=PriorityMark.objects.select_related("public").order_by(
                "public__order", "public__label"
            ),
        )
    )


def mentee_facts(mentee: Mentee, *, today: datetime.date) -> list[Fact]:
    """`mentee` carries `awaiting_since` (`with_waiting_since`), its marks
    (`with_priority_marks`) and its antenne."""
    age = mentee.age(today=today)
    if mentee.is_minor(today=today):
        consent = mentee.guardian_consent_at
        age_words = f"{age} ans — mineur, " + (
            f"accord du représentant légal le {timezone.localtime(consent):%d/%m/%Y}"
            if consent
            else "sans accord du représentant légal"
        )
    else:
        age_words = f"{age} ans"
    days = waiting_days(mentee.awaiting_since, today=today)
    return [
        Fact("Âge", age_words, flagged=mentee.is_minor(today=today)),
        Fact("Situation", mentee.get_situation_display()),
        Fact("Département", f"{mentee.department} ({mentee.postal_code})"),
        Fact("Antenne", antenne_words(mentee)),
        Fact("Rencontres", mentee.get_meeting_mode_display()),
        Fact("Besoins", labels(mentee.needs, HelpTopic)),
        Fact("Secteurs qui l'intéressent", labels(mentee.sectors_of_interest, Sector)),
        Fact("Disponibilités", labels(mentee.availability, Availability)),
        Fact("Langues", labels(mentee.languages, Language)),
        waiting_fact(days),
        Fact("Publics prioritaires", publics_words(mentee)),
        Fact(
            "Mentor du même genre",
            "souhaité" if mentee.wants_same_gender_mentor else "indifférent",
        ),
    ]


# What the matching page adds about the queue, after the wait: the young person's priority in
# batch matching, and whether they come back after a pair that ended early.
REMATCH_WORDS = (
    "oui : son binôme précédent s'est arrêté avant ses objectifs ; son attente compte depuis "
    "la validation de son inscription"
)


def queue_facts(facts: list[Fact], *, mentee: Mentee, priority: Priority) -> list[Fact]:
    """`facts` with the priority (and the rematch mark) after the wait. `mentee` carries
    `is_rematch` and `has_achieved_objectives`."""
    added = []
    if mentee.has_achieved_objectives and priority.months is None:
        added.append(Fact("Fin de mentorat", "objectifs atteints : n'attend plus de mentor"))
    if mentee.is_rematch:
        added.append(Fact("Rematch", REMATCH_WORDS, flagged=True))
    added.append(
        Fact(
            "Priorité (appariement par lot)",
            "aucune : n'attend pas de mentor"
            if priority.months is None
            else f"+{priority.bonus} : {priority.words}",
        )
    )
    at = next((i + 1 for i, fact in enumerate(facts) if fact.label == "Attente"), len(facts))
    return [*facts[:at], *added, *facts[at:]]


def mentor_facts(mentor: Mentor, *, today: datetime.date, free_slots: int) -> list[Fact]:
    """`mentor` carries `last_screening_on` (`with_last_screening`) and its antenne."""
    state = screening_state(
        accepts_minors=mentor.accepts_minors,
        last_checked_on=mentor.last_screening_on,
        today=today,
    )
    if state is None:
        minors = "non"
    elif mentor.last_screening_on is None:
        minors = "oui — contrôle d'honorabilité absent"
    else:
        until = f"{screening_expires_on(mentor.last_screening_on):%d/%m/%Y}"
        minors = f"oui — contrôle d'honorabilité {state.label} (valide jusqu'au {until})"
    referent = mentor.referent
    return [
        Fact("Métier", f"{mentor.job_title}, {mentor.employer} ({mentor.get_sector_display()})"),
        Fact("Département", f"{mentor.department} ({mentor.postal_code})"),
        Fact("Antenne", antenne_words(mentor)),
        Fact("Rencontres", mentor.get_meeting_mode_display()),
        Fact("Peut aider à", labels(mentor.help_topics, HelpTopic)),
        Fact("Secteurs dont il peut parler", labels(mentor.sectors_to_share, Sector)),
        Fact("Disponibilités", labels(mentor.availability, Availability)),
        Fact("Langues", labels(mentor.languages, Language)),
        Fact("Places libres", f"{free_slots} sur {mentor.capacity}", flagged=not free_slots),
        Fact(
            "Accepte des mineurs",
            minors,
            flagged=state not in (None, ScreeningState.VALID),
        ),
        Fact(
            "Référent",
            f"{referent.get_full_name() or referent.email}" if referent else "aucun",
            flagged=referent is None and mentor.status == RegistrationStatus.APPROVED,
        ),
        Fact(
            "Formation initiale",
            "pas encore suivie, aucun binôme encore"
            if mentor.needs_initial_training
            else "suivie, ou déjà un binôme",
            flagged=mentor.needs_initial_training,
        ),
    ]


# --- The « pourquoi pas ce mentor ? » search


@dataclass(frozen=True)
class SearchResult:
    mentor: Mentor
    free_slots: int
    reasons: list[str]
    compatibility: Compatibility


def search_mentors(
    *,
    mentee: Mentee,
    query: str,
    today: datetime.date,
    weights: Weights,
    scope: StaffScope,
    reach: AntennesInReach | None = None,
):
    """Any mentor whose name, e-mail or employer matches every word of `query`, eligible or
    not: the coordinator sees the score when the pair is possible, and otherwise why not
    (another antenne among them). Only mentors the coordinator reaches: their scope's and,
    with the widened search (`reach`), the neighbouring antennes'."""
    mentors = Mentor.objects.select_related("user", "antenne")
    if not scope.national:
        mentors = mentors.filter(
            in_antennes({scope.antenne_id, *(reach.ids if reach else ())} - {None})
        )
    mentors = with_matching_facts(mentors, today=today)
    for word in query.split():
        mentors = mentors.filter(
            Q(user__first_name__icontains=word)
            | Q(user__last_name__icontains=word)
            | Q(user__email__icontains=word)
            | Q(employer__icontains=word)
        )
    found = list(
        mentors.order_by("user__last_name", "user__first_name", "pk")[: SEARCH_RESULTS + 1]
    )
    results = []
    for mentor in found[:SEARCH_RESULTS]:
        # The same evaluation as the service's: what is shown is what a proposal would meet.
        reasons, detail = pair_evaluation(
            mentee=mentee,
            mentor=mentor,
            today=today,
            weights=weights,
            antennes=reach.ids if reach else None,
        )
        results.append(
            SearchResult(
                mentor=mentor,
                free_slots=mentor.free_slots,
                reasons=reasons,
                compatibility=detail,
            )
        )
    return results, len(found) > SEARCH_RESULTS


# --- The suggestions


def mentee_matching_panel(
    request, mentee: Mentee, *, today: datetime.date, weights: Weights, priority: Priority
) -> dict:
    """`mentee` carries its antenne. The widened search costs one query more (the
    neighbouring antennes)."""
    widened = is_widened(request.GET)
    reach = (
        antennes_within_reach(department=mentee.department, antenne_id=mentee.antenne_id)
        if widened
        else None
    )
    suggestions = suggest_mentors(
        mentee=mentee, today=today, weights=weights, antennes=reach.ids if reach else None
    )
    blockers, open_pair = [], None
    if not suggestions:
        blockers = mentee_suggestion_blockers(mentee=mentee, today=today)
        if blockers:
            open_pair = (
                Mentorship.objects.open()
                .filter(mentee=mentee)
                .select_related("mentor__user")
                .first()
            )
    query = request.GET.get("mentor_q", "").strip()
    results, more = (
        search_mentors(
            mentee=mentee,
            query=query,
            today=today,
            weights=weights,
            scope=staff_scope(request.user),
            reach=reach,
        )
        if query
        else ([], False)
    )
    return {
        "mentee": mentee,
        # « de l'antenne Lyon » / « du programme national »
        "of_antenne": f"de l'antenne {mentee.antenne.name}"
        if mentee.antenne_id
        else "du programme national",
        "widened": widened,
        "added_antennes": reach.added if reach else (),
        "widen_param": WIDEN_PARAM,
        "widen_value": WIDEN_VALUE,
        "widened_url": matching_page_url(mentee, widened=True),
        "narrowed_url": matching_page_url(mentee),
        "suggestions": suggestions,
        "blockers": blockers,
        "open_pair": open_pair,
        "query": query,
        "results": results,
        "more_results": more,
        "priority": priority,
    }


def mentor_suggestion_blockers(
    mentor: Mentor, *, free_slots: int, weights: Weights | None = None
) -> list[str]:
    """Why no young person is suggested to this mentor. The wording is the one of the pair
    constraints. `mentor` carries `open_pairs` and `needs_initial_training`
    (`with_matching_facts`)."""
    reasons = []
    if mentor.status != RegistrationStatus.APPROVED:
        reasons.append("l'inscription du mentor n'est pas validée")
    if weights is not None and weights.initial_training_required and mentor.needs_initial_training:
        reasons.append(INITIAL_TRAINING_MISSING)
    if not free_slots:
        reasons.append(
            f"le mentor n'a plus de place ({mentor.open_pairs} binôme(s) pour "
            f"{mentor.capacity} place(s))"
        )
    return reasons


# --- The pages


def page_context(model_admin, request, obj, *, kind: str) -> dict:
    return {
        **model_admin.admin_site.each_context(request),
        "title": f"Appariement : {obj}",
        "opts": model_admin.opts,
        "original": obj,
        "change_url": admin_change_url(obj),
        "kind": kind,
    }


def mentee_matching(model_admin, request, mentee_id: int):
    require_permission(request, *PAGE_PERMISSIONS)
    today = timezone.localdate()
    mentee = get_object_or_404(
        mentees_in_scope(
            request,
            with_priority_marks(
                with_waiting_since(
                    Mentee.objects.select_related("user", "antenne"), today=today
                ).annotate(has_achieved_objectives=objectives_achieved())
            ),
        ),
        pk=mentee_id,
    )
    # One read of the settings row, shared by the priority, the suggestions and the search.
    weights = current_weights()
    priority = mentee_priority(
        mentee=mentee,
        publics=[mark.public.code for mark in mentee.priority_marks.all()],
        today=today,
        weights=weights,
    )
    return TemplateResponse(
        request,
        "admin/matching/mentee/matching.html",
        {
            **page_context(model_admin, request, mentee, kind="mentee"),
            "facts": queue_facts(
                mentee_facts(mentee, today=today), mentee=mentee, priority=priority
            ),
            "goals": mentee.goals,
            "matching": mentee_matching_panel(
                request, mentee, today=today, weights=weights, priority=priority
            ),
        },
    )


def mentor_matching(model_admin, request, mentor_id: int):
    require_permission(request, *PAGE_PERMISSIONS)
    today = timezone.localdate()
    mentor = get_object_or_404(
        mentors_in_scope(
            request,
            with_matching_facts(
                Mentor.objects.select_related("user", "referent", "antenne").with_last_screening(),
                today=today,
            ),
        ),
        pk=mentor_id,
    )
    free_slots = mentor.free_slots
    weights = current_weights()
    suggestions = suggest_mentees(mentor=mentor, today=today, weights=weights)
    blockers = (
        []
        if suggestions
        else mentor_suggestion_blockers(mentor, free_slots=free_slots, weights=weights)
    )
    return TemplateResponse(
        request,
        "admin/matching/mentor/matching.html",
        {
            **page_context(model_admin, request, mentor, kind="mentor"),
            "facts": mentor_facts(mentor, today=today, free_slots=free_slots),
            "matching": {
                "mentor": mentor,
                "suggestions": suggestions,
                "blockers": blockers,
                "free_slots": free_slots,
            },
        },
    )
