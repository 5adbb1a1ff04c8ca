"""The coordinators' matching tools in the admin: one-click proposals, direct activation,
closure and batch matching (the matching page of a young person or a mentor, with its
suggestions, is admin_matching_page.py).

Every decision goes through the services (`mentorship_propose`, `mentorship_activate`,
`matching_batch_start`, `matching_batch_confirm`): the admin only collects the coordinator's
choice and shows the French reasons the services give when they refuse.

Every object is read within the staff member's scope (users.scopes): an antenne coordinator
gets a 404 for a young person, a mentor, a pair or a batch outside their antenne (a pair is
theirs when either member is of their antenne; a national batch is the national
coordinators')."""

from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import quote
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from mentees.models import Mentee
from mentors.models import Mentor
from users.antennes import Antenne
from users.forms_errors import add_service_errors
from users.models import User
from users.programme import characters_words
from users.scopes import StaffScope, staff_scope

from .batch import matching_batch_confirm, matching_batch_start
from .capacity import HAS_FREE_SLOT
from .eligibility import antennes_within_reach, with_matching_facts
from .enums import BatchStatus, CloseReason, MentorshipStatus
from .models import MatchingBatch, Mentorship
from .priority import Priority
from .rules import has_lasted_minimum
from .selectors import (
    mentees_awaiting_mentor,
)
from .services import (
    MatchingError,
    PairRuleError,
    mentorship_activate,
    mentorship_close,
    mentorship_propose,
)

MATCHING_PERMISSION = "matching.change_mentorship"
# The hand search evaluates each result on its own (`pair_evaluation`): keep the page short.
SEARCH_RESULTS = 20
# The batch page reloads itself while the task computes (no script: a strict CSP will come).
REFRESH_SECONDS = 2
# « Élargir aux antennes voisines »: the young person's matching page and its proposals carry
# `?voisines=1`.
WIDEN_PARAM = "voisines"
WIDEN_VALUE = "1"


def require_permission(request, *permissions: str) -> None:
    if not request.user.has_perms(permissions):
        raise PermissionDenied


def can_match(request) -> bool:
    return request.user.has_perm(MATCHING_PERMISSION)


def admin_change_url(obj) -> str:
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[quote(obj.pk)])


def object_or_404(model_or_queryset, raw_id):
    """The object whose id was posted in a form: anything else than an existing id (of the
    queryset, when given one) is a 404, like an unknown id in the URL."""
    try:
        pk = int(raw_id)
    except (TypeError, ValueError):
        raise Http404 from None
    return get_object_or_404(model_or_queryset, pk=pk)


# --- The staff member's scope (users.scopes)


def mentees_in_scope(request, queryset=None):
    return staff_scope(request.user).within(
        Mentee.objects.all() if queryset is None else queryset, "antenne"
    )


def mentors_in_scope(request, queryset=None):
    return staff_scope(request.user).within(
        Mentor.objects.all() if queryset is None else queryset, "antenne"
    )


def pairs_in_scope(request, queryset=None):
    # Either member's antenne: a widened search pairs people of two antennes.
    return staff_scope(request.user).within(
        Mentorship.objects.all() if queryset is None else queryset,
        "mentee__antenne",
        "mentor__antenne",
    )


def batches_in_scope(request, queryset=None):
    # A national batch (no antenne) holds every antenne's people: national coordinators only.
    return staff_scope(request.user).within(
        MatchingBatch.objects.all() if queryset is None else queryset, "antenne"
    )


def is_widened(data) -> bool:
    return data.get(WIDEN_PARAM) == WIDEN_VALUE


def mentor_within_reach(scope: StaffScope, *, mentee: Mentee, mentor: Mentor, widened: bool):
    """Whether the coordinator may pick this mentor for this young person (of their scope): a
    mentor of their scope, or with the widened search one of the antennes within the young
    person's reach. Any other mentor is a 404, as if it did not exist."""
    if scope.covers(mentor.antenne_id):
        return True
    return widened and (
        mentor.antenne_id
        in antennes_within_reach(department=mentee.department, antenne_id=mentee.antenne_id).ids
    )


# --- Proposing a pair (from the matching pages, admin_matching_page.py)


def matching_page_url(obj, *, widened: bool = False) -> str:
    opts = obj._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_matching", args=[obj.pk])
    return f"{url}?{WIDEN_PARAM}={WIDEN_VALUE}" if widened else url


def propose(
    request, *, mentee: Mentee, mentor: Mentor, back_to: str, widened: bool = False
) -> HttpResponseRedirect:
    try:
        mentorship = mentorship_propose(
            mentee=mentee, mentor=mentor, proposed_by=request.user, widened=widened
        )
    except MatchingError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            f"Binôme proposé : {mentor} et {mentee} (compatibilité {mentorship.score}/100). "
            "Ils sont prévenus par e-mail et doivent chacun accepter.",
        )
    return HttpResponseRedirect(back_to)


def propose_from_mentee(request, mentee_id: int):
    require_permission(request, MATCHING_PERMISSION, "mentees.view_mentee", "mentors.view_mentor")
    mentee = get_object_or_404(mentees_in_scope(request), pk=mentee_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    widened = is_widened(request.POST)
    mentor = object_or_404(Mentor, request.POST.get("mentor"))
    scope = staff_scope(request.user)
    if not mentor_within_reach(scope, mentee=mentee, mentor=mentor, widened=widened):
        raise Http404
    return propose(
        request,
        mentee=mentee,
        mentor=mentor,
        back_to=matching_page_url(mentee, widened=widened),
        widened=widened,
    )


def propose_from_mentor(request, mentor_id: int):
    require_permission(request, MATCHING_PERMISSION, "mentees.view_mentee", "mentors.view_mentor")
    mentor = get_object_or_404(mentors_in_scope(request), pk=mentor_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    mentee = object_or_404(mentees_in_scope(request), request.POST.get("mentee"))
    return propose(request, mentee=mentee, mentor=mentor, back_to=matching_page_url(mentor))


# --- Activating a pair directly


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        name = obj.get_full_name()
        return f"{name} ({obj.email})" if name else obj.email


class ActivationForm(forms.Form):
    started_on = forms.DateField(
        label="Début du mentorat",
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="Par exemple le jour de la rencontre de lancement ; pas dans le futur.",
        error_messages={"required": "Indiquez la date de début du mentorat."},
    )
    introduced_by = StaffChoiceField(
        label="Présentés l'un à l'autre par",
        queryset=User.objects.filter(is_staff=True, is_active=True).order_by(
            "last_name", "first_name", "email"
        ),
        required=False,
        empty_label="— personne en particulier —",
        help_text="Le membre de l'équipe qui a présenté le mentor et le jeune, s'il y a lieu.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The browser's date picker stops at today too.
        self.fields["started_on"].widget.attrs["max"] = timezone.localdate().isoformat()

    def clean_started_on(self):
        started_on = self.cleaned_data["started_on"]
        if started_on > timezone.localdate():
            raise forms.ValidationError("La date de début ne peut pas être dans le futur.")
        return started_on


def activate(model_admin, request, mentorship_id: int):
    require_permission(request, MATCHING_PERMISSION)
    mentorship = get_object_or_404(
        pairs_in_scope(request, Mentorship.objects.select_related("mentor__user", "mentee__user")),
        pk=mentorship_id,
    )
    back_to = admin_change_url(mentorship)
    # A form is offered only for a proposed pair; a POST goes to the service, which checks
    # again under a lock (the pair may have started or been declined meanwhile).
    if request.method != "POST" and mentorship.status != MentorshipStatus.PROPOSED:
        messages.error(request, "Seul un binôme proposé peut être activé.")
        return HttpResponseRedirect(back_to)
    form = ActivationForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            mentorship_activate(
                mentorship=mentorship,
                activated_by=request.user,
                introduced_by=form.cleaned_data["introduced_by"],
                started_on=form.cleaned_data["started_on"],
            )
        except MatchingError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                f"Le binôme {mentorship} est actif depuis le "
                f"{form.cleaned_data['started_on']:%d/%m/%Y} ; ils sont prévenus par e-mail.",
            )
        return HttpResponseRedirect(back_to)
    return TemplateResponse(
        request,
        "admin/matching/mentorship/activate.html",
        {
            **model_admin.admin_site.each_context(request),
            "title": "Activer le binôme",
            "subtitle": str(mentorship),
            "opts": Mentorship._meta,
            "original": mentorship,
            "form": form,
        },
    )


# --- Closing a pair


class CloseForm(forms.Form):
    """What the coordinator chooses; the rules (6 months and every objective met for
    « Objectifs atteints », a comment for « Autre raison », the dates) are the service's,
    whose messages are placed beside these fields."""

    reason = forms.ChoiceField(
        label="Motif de fin",
        choices=CloseReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choisissez la raison de la fin du mentorat."},
    )
    ended_on = forms.DateField(
        label="Date de fin",
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="Par exemple le jour de la dernière rencontre ; pas dans le futur.",
        error_messages={
            "required": "Indiquez la date de fin du mentorat.",
            "invalid": "Saisissez une date valide (par exemple 31/01/2027).",
        },
    )
    comment = forms.CharField(
        label="Commentaire",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        # A comment about a person is part of their data: both members read it on request.
        help_text=(
            "Obligatoire pour « Autre raison ». Lu par l'équipe du programme, et par le mentor "
            "et le jeune dans « Mes données » (droit d'accès, RGPD) : écrivez-le pour eux aussi."
        ),
        error_messages={"max_length": f"Le commentaire est limité à {characters_words(2000)}."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ended_on"].widget.attrs["max"] = timezone.localdate().isoformat()


def close(model_admin, request, mentorship_id: int):
    require_permission(request, MATCHING_PERMISSION)
    mentorship = get_object_or_404(
        pairs_in_scope(request, Mentorship.objects.select_related("mentor__user", "mentee__user")),
        pk=mentorship_id,
    )
    back_to = admin_change_url(mentorship)
    if request.method != "POST" and mentorship.status != MentorshipStatus.ACTIVE:
        messages.error(request, "Seul un binôme actif peut être clôturé.")
        return HttpResponseRedirect(back_to)
    form = CloseForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            mentorship_close(
                mentorship=mentorship,
                reason=form.cleaned_data["reason"],
                closed_by=request.user,
                ended_on=form.cleaned_data["ended_on"],
                comment=form.cleaned_data["comment"],
            )
        except PairRuleError as error:
            # Shown beside the fields, with what the coordinator typed.
            add_service_errors(form, error)
        else:
            reason = CloseReason(form.cleaned_data["reason"]).label
            messages.success(
                request,
                f"Le binôme {mentorship} est clôturé au "
                f"{form.cleaned_data['ended_on']:%d/%m/%Y} ({reason}).",
            )
            return HttpResponseRedirect(back_to)
    today = timezone.localdate()
    return TemplateResponse(
        request,
        "admin/matching/mentorship/close.html",
        {
            **model_admin.admin_site.each_context(request),
            "title": "Clôturer le binôme",
            "subtitle": str(mentorship),
            "opts": Mentorship._meta,
            "original": mentorship,
            "form": form,
            "objectives": list(mentorship.objectives.all()),
            "months_elapsed": mentorship.months_elapsed(today=today),
            "has_lasted_minimum": bool(mentorship.started_on)
            and has_lasted_minimum(mentorship.started_on, today),
        },
    )


# --- Batch matching


def batch_url(batch: MatchingBatch) -> str:
    return reverse("admin:matching_matchingbatch_result", args=[batch.pk])


def start_batch(
    request, *, mentee_ids: list[int] | None, antenne: Antenne | None = None
) -> HttpResponseRedirect:
    """`antenne` is a national coordinator's choice (None: every antenne); an antenne
    coordinator's batch is always their antenne's."""
    scope = staff_scope(request.user)
    if scope.antenne_scoped:
        antenne_id = scope.antenne_id
    elif scope.national:
        antenne_id = antenne.pk if antenne else None
    else:
        # Somebody given the permission outside the coordinators' group sees no batch.
        raise PermissionDenied
    batch = matching_batch_start(
        created_by=request.user, mentee_ids=mentee_ids, antenne_id=antenne_id
    )
    return HttpResponseRedirect(batch_url(batch))


class BatchStartForm(forms.Form):
    """A national coordinator's choice of antenne (an antenne coordinator has none)."""

    antenne = forms.ModelChoiceField(
        label="Jeunes et mentors de",
        queryset=Antenne.objects.order_by("name"),
        required=False,
        empty_label="Toutes les antennes (chacune avec ses mentors) et le programme national",
        error_messages={"invalid_choice": "Choisissez une antenne de la liste."},
    )


@dataclass(frozen=True)
class BatchCount:
    """Who awaits a mentor and who has room, in one antenne (None: the national programme)."""

    name: str
    awaiting: int
    mentors_with_room: int


def batch_counts(scope: StaffScope, antennes: list[Antenne], *, today) -> list[BatchCount]:
    """Each antenne's counts (and the national programme's for a national coordinator): two
    grouped queries, whatever the number of antennes."""
    awaiting = dict(
        scope.within(mentees_awaiting_mentor(today=today), "antenne")
        .order_by()
        .values_list("antenne")
        .annotate(count=Count("pk"))
    )
    with_room = dict(
        scope.within(
            with_matching_facts(Mentor.objects.approved(), today=today).filter(HAS_FREE_SLOT),
            "antenne",
        )
        .order_by()
        .values_list("antenne")
        .annotate(count=Count("pk"))
    )
    rows = [
        BatchCount(antenne.name, awaiting.get(antenne.pk, 0), with_room.get(antenne.pk, 0))
        for antenne in antennes
    ]
    if scope.national:
        rows.append(
            BatchCount(
                "Programme national (sans antenne)", awaiting.get(None, 0), with_room.get(None, 0)
            )
        )
    return rows


def batch_start(model_admin, request):
    """Batch matching of every young person awaiting a mentor: a page to confirm the start
    (starting is a POST: it creates a batch and enqueues its computation). A national
    coordinator chooses an antenne or all of them; an antenne coordinator's batch is their
    antenne's."""
    require_permission(request, MATCHING_PERMISSION)
    scope = staff_scope(request.user)
    if not (scope.national or scope.antenne_scoped):
        raise PermissionDenied
    form = BatchStartForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and (scope.antenne_scoped or form.is_valid()):
        antenne = None if scope.antenne_scoped else form.cleaned_data["antenne"]
        return start_batch(request, mentee_ids=None, antenne=antenne)
    today = timezone.localdate()
    antennes = list(scope.within(Antenne.objects.order_by("name"), "pk"))
    counts = batch_counts(scope, antennes, today=today)
    return TemplateResponse(
        request,
        "admin/matching/matchingbatch/start.html",
        {
            **model_admin.admin_site.each_context(request),
            "title": "Apparier tous les jeunes en attente",
            "opts": MatchingBatch._meta,
            "form": form if scope.national else None,
            "antenne": antennes[0] if scope.antenne_scoped and antennes else None,
            "counts": counts,
            "awaiting": sum(count.awaiting for count in counts),
            "mentors_with_room": sum(count.mentors_with_room for count in counts),
        },
    )


@dataclass(frozen=True)
class BatchRow:
    mentee: Mentee | None
    mentor: Mentor | None
    score: int
    explanation: list[dict]
    value: str
    # Once the batch is confirmed: whether this pair was created (None before).
    created: bool | None = None
    # The young person's priority as the computation used it (None for a batch computed
    # before priorities existed).
    priority: Priority | None = None

    @property
    def bonus(self) -> int:
        return self.priority.bonus if self.priority else 0


def batch_result(model_admin, request, batch_id: int):
    require_permission(request, "matching.view_matchingbatch")
    batch = get_object_or_404(
        batches_in_scope(request, MatchingBatch.objects.select_related("created_by", "antenne")),
        pk=batch_id,
    )
    context = {
        **model_admin.admin_site.each_context(request),
        "title": "Appariement par lot",
        "subtitle": str(batch),
        "opts": MatchingBatch._meta,
        "batch": batch,
        "in_progress": batch.status in (BatchStatus.PENDING, BatchStatus.RUNNING),
        "refresh_seconds": REFRESH_SECONDS,
        "can_match": can_match(request),
    }
    if batch.status == BatchStatus.DONE:
        context.update(batch_result_rows(batch))
    return TemplateResponse(request, "admin/matching/matchingbatch/result.html", context)


def batch_created_pairs(batch: MatchingBatch, mentee_ids) -> set[tuple[int, int]]:
    """The (young person, mentor) pairs proposed since the batch was started: of its
    computed pairs, those that exist now (its confirmation created them, or a coordinator
    proposed the same pair meanwhile). One query."""
    if batch.confirmed_at is None:
        return set()
    return set(
        Mentorship.objects.filter(
            mentee_id__in=mentee_ids, proposed_at__gte=batch.created_at
        ).values_list("mentee_id", "mentor_id")
    )


def batch_result_rows(batch: MatchingBatch) -> dict:
    """The computed pairs and the unmatched young people with their names: two queries (the
    young people, the mentors) whatever the size of the batch, and once it is confirmed a
    third (the pairs it created)."""
    result = batch.result or {}
    proposals = result.get("proposals", [])
    unmatched = result.get("unmatched", [])
    priorities = {
        int(pk): Priority.from_dict(priority)
        for pk, priority in result.get("priorities", {}).items()
    }
    considered = {p["mentee_id"] for p in proposals} | {mentee_id for mentee_id, _ in unmatched}
    # Selected young people the computation left out: they no longer awaited a mentor.
    left_out = set(batch.mentee_ids or []) - considered
    mentees = Mentee.objects.select_related("user").in_bulk(considered | left_out)
    mentors = Mentor.objects.select_related("user").in_bulk({p["mentor_id"] for p in proposals})
    confirmed = batch.confirmed_at is not None
    created = batch_created_pairs(batch, [p["mentee_id"] for p in proposals])
    rows = [
        BatchRow(
            mentee=mentees.get(p["mentee_id"]),
            mentor=mentors.get(p["mentor_id"]),
            score=p["score"],
            explanation=p["explanation"],
            value=f"{p['mentee_id']}-{p['mentor_id']}",
            created=(p["mentee_id"], p["mentor_id"]) in created if confirmed else None,
            priority=priorities.get(p["mentee_id"]),
        )
        for p in proposals
    ]
    total = sum(row.score for row in rows)
    total_bonus = sum(p.get("bonus", 0) for p in proposals)
    created_count = sum(1 for row in rows if row.created)
    return {
        "rows": rows,
        "created_count": created_count if confirmed else None,
        "not_created_count": len(rows) - created_count if confirmed else None,
        "total_score": total,
        "total_bonus": total_bonus,
        "total_value": total + total_bonus,
        "with_priorities": bool(priorities),
        "average_score": round(total / len(rows)) if rows else None,
        "unmatched": [
            (mentees.get(mentee_id), reason, priorities.get(mentee_id))
            for mentee_id, reason in unmatched
        ],
        "left_out": [mentees[pk] for pk in sorted(left_out) if pk in mentees],
    }


def parse_pairs(values: list[str]) -> list[tuple[int, int]]:
    pairs = []
    for value in values:
        mentee_id, _, mentor_id = value.partition("-")
        if mentee_id.isdigit() and mentor_id.isdigit():
            pairs.append((int(mentee_id), int(mentor_id)))
    return pairs


def batch_confirm(model_admin, request, batch_id: int):
    require_permission(request, MATCHING_PERMISSION)
    batch = get_object_or_404(batches_in_scope(request), pk=batch_id)
    back_to = batch_url(batch)
    if request.method != "POST":
        return HttpResponseRedirect(back_to)
    if batch.status != BatchStatus.DONE:
        messages.error(request, "Ce lot n'est pas encore calculé : attendez la fin du calcul.")
        return HttpResponseRedirect(back_to)
    selected = parse_pairs(request.POST.getlist("pair"))
    if not selected:
        messages.warning(request, "Aucun binôme coché : rien n'a été créé.")
        return HttpResponseRedirect(back_to)
    # Claim the batch with one conditional UPDATE: of two coordinators (or a double click)
    # confirming at the same moment, only one creates the pairs.
    claimed = MatchingBatch.objects.filter(pk=batch.pk, confirmed_at__isnull=True).update(
        confirmed_at=timezone.now()
    )
    if not claimed:
        messages.error(request, "Ce lot a déjà été confirmé : ses binômes ont déjà été créés.")
        return HttpResponseRedirect(back_to)
    try:
        created, refused = matching_batch_confirm(
            batch=batch, selected=selected, proposed_by=request.user
        )
    except Exception:
        # Pairs already created stay (each proposal commits on its own); a new confirmation
        # is refused for them by the service, so the batch may be confirmed again.
        MatchingBatch.objects.filter(pk=batch.pk).update(confirmed_at=None)
        raise
    if created:
        messages.success(
            request,
            f"{len(created)} binôme(s) créé(s) ; les mentors et les jeunes sont prévenus par "
            "e-mail.",
        )
    if refused:
        mentees = Mentee.objects.select_related("user").in_bulk([pair[0] for pair in refused])
        mentors = Mentor.objects.select_related("user").in_bulk([pair[1] for pair in refused])
        for mentee_id, mentor_id, reason in refused:
            messages.warning(
                request,
                f"{mentees.get(mentee_id, 'Jeune')} et {mentors.get(mentor_id, 'mentor')} : "
                f"{reason}",
            )
    return HttpResponseRedirect(back_to)
