"""The coordinators' matching tools in the admin.

The young people's and the mentors' admins are extended from here (unregistered, then
registered again as subclasses) so that the lower apps never import the matching app."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import F, Q
from django.http import Http404, HttpResponseRedirect
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from mentees.admin import MenteeAdmin, PairPriorityPublicFilter
from mentees.models import Mentee
from mentors.admin import MentorAdmin
from mentors.models import Mentor
from users.admin_filters import YesNoFilter
from users.admin_lists import FilterOrderedAdmin, LeanChangeList, OrderingFilter
from users.admin_scoping import ReferentScopedAdmin
from users.form_bounds import DeclaredBoundsAdmin

from . import admin_matching_page, admin_views
from .capacity import HAS_FREE_SLOT, with_free_slots
from .enums import CloseReason, ComplianceState, MentorshipStatus
from .models import BONUS_FIELDS, WEIGHT_FIELDS, MatchingBatch, MatchingWeights, Mentorship
from .rules import PROPOSAL_UNANSWERED_AFTER, WAITING_ALERT
from .selectors import (
    WAITING_SINCE,
    mentees_awaiting_mentor,
    mentees_waiting_too_long,
    waiting_days,
    with_waiting_since,
)

# Icons and the ✓ / ✗ colours of the explanations; the symbols carry hidden words too.
MATCHING_CSS = {"all": ["admin/matching/matching.css"]}


def explanation_html(explanation) -> str:
    return render_to_string(
        "admin/matching/includes/explanation.html", {"explanation": explanation}
    )


@admin.register(MatchingWeights)
class MatchingWeightsAdmin(DeclaredBoundsAdmin, SimpleHistoryAdmin):
    """One settings row: the list goes straight to it; it can be neither added nor deleted."""

    fieldsets = [
        (
            "Poids des critères de compatibilité",
            {
                "description": (
                    "Le score d'un binôme (0 à 100) est la moyenne des critères pondérée par "
                    "ces poids : seules leurs proportions comptent, et un poids de 0 ignore le "
                    "critère. Un changement s'applique aux suggestions et aux appariements par "
                    "lot calculés ensuite ; les binômes déjà proposés gardent leur score."
                ),
                "fields": WEIGHT_FIELDS,
            },
        ),
        ("Conditions", {"fields": ["availability_required", "initial_training_required"]}),
        (
            "Priorité dans l'appariement par lot",
            {
                "description": (
                    "Des points ajoutés à chaque binôme possible d'un jeune prioritaire, en plus "
                    "du score : le score sur 100 d'un binôme ne change pas, mais l'appariement "
                    "par lot cherche la répartition qui maximise le total score + bonus, et "
                    "prend la liste d'attente dans cet ordre (bonus le plus élevé, puis attente "
                    "la plus longue). Quand les places manquent, ces jeunes passent d'abord ; "
                    "un binôme impossible le reste, quel que soit le bonus."
                ),
                "fields": BONUS_FIELDS,
            },
        ),
        (None, {"fields": ["updated_at"]}),
    ]
    readonly_fields = ["updated_at"]

    class Media:
        css = MATCHING_CSS

    def has_add_permission(self, request):
        # The row is created on first read (`load`); a query here would run on every admin
        # page, which lists what each model allows.
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        weights = MatchingWeights.load()
        return HttpResponseRedirect(
            reverse("admin:matching_matchingweights_change", args=[weights.pk])
        )


class ComplianceFilter(admin.SimpleListFilter):
    """The programme's rhythm of the active pairs, from `with_compliance` (annotated by
    MentorshipAdmin.get_queryset): the one definition of on track, due soon and overdue."""

    title = "rythme des rencontres"
    parameter_name = "rythme"

    def lookups(self, request, model_admin):
        return ComplianceState.choices

    def queryset(self, request, queryset):
        if self.value() in ComplianceState.values:
            return queryset.filter(compliance=self.value())
        return queryset


class ReadyToCloseFilter(YesNoFilter):
    title = "prêt à clôturer"
    parameter_name = "pret_a_cloturer"

    def condition(self):
        # `is_ready_to_close` is annotated by MentorshipAdmin.get_queryset.
        return Q(is_ready_to_close=True)


class UnansweredFilter(OrderingFilter):
    """`?sans_reponse=oui`: `Mentorship.objects.unanswered`, the oldest proposal first."""

    title = "réponse aux propositions"
    parameter_name = "sans_reponse"

    def lookups(self, request, model_admin):
        days = PROPOSAL_UNANSWERED_AFTER.days
        return [("oui", f"Sans réponse depuis plus de {days} jours")]

    def queryset(self, request, queryset):
        if self.value() == "oui":
            return queryset.unanswered(today=timezone.localdate())
        return queryset

    @classmethod
    def ordering_for(cls, value):
        return ["proposed_at"] if value == "oui" else None


class WithoutObjectivesFilter(admin.SimpleListFilter):
    title = "objectifs"
    parameter_name = "objectifs"

    def lookups(self, request, model_admin):
        return [("aucun", "Binôme actif sans objectif")]

    def queryset(self, request, queryset):
        if self.value() == "aucun":
            return queryset.without_objectives()
        return queryset


@admin.register(Mentorship)
class MentorshipAdmin(ReferentScopedAdmin, FilterOrderedAdmin, LeanChangeList, SimpleHistoryAdmin):
    """Pairs are proposed from a young person's or a mentor's page (or by batch), and their
    status moves only through the services: nothing here is edited by hand. An active pair is
    closed from its page (« Clôturer le binôme », `mentorship_close`)."""

    referent_scope = "mentor__referent"

    # No exact COUNT(*) over the whole table on each changelist page (large tables).
    show_full_result_count = False
    list_display = [
        "mentor",
        "mentee",
        "status",
        "score",
        "proposed_by",
        "proposed_at",
        "started_on",
        "compliance_display",
        "next_meeting_due_display",
        "qualifying_sessions",
        "months_elapsed_display",
        "ready_to_close_display",
    ]
    # No date_hierarchy: its links cost a scan of the whole table (MIN/MAX, then DISTINCT
    # DATE_TRUNC) on every page; the date filter below costs no query.
    list_filter = [
        "status",
        ComplianceFilter,
        ReadyToCloseFilter,
        UnansweredFilter,
        WithoutObjectivesFilter,
        PairPriorityPublicFilter,
        "mentor_response",
        "mentee_response",
        "proposed_at",
    ]
    search_fields = [
        "mentor__user__first_name",
        "mentor__user__last_name",
        "mentor__user__email",
        "mentor__employer",
        "mentee__user__first_name",
        "mentee__user__last_name",
        "mentee__user__email",
    ]
    list_select_related = ["mentor__user", "mentee__user", "proposed_by"]
    list_only = (
        *("mentor__user__first_name", "mentor__user__last_name", "mentor__user__email"),
        *("mentee__user__first_name", "mentee__user__last_name", "mentee__user__email"),
        *("proposed_by__first_name", "proposed_by__last_name", "proposed_by__email"),
        *("status", "score", "proposed_at", "started_on", "ended_on", "last_session_on"),
        "last_qualifying_session_on",
        "qualifying_sessions",
    )
    change_form_template = "admin/matching/mentorship/change_form.html"
    fieldsets = [
        ("Binôme", {"fields": ["mentor", "mentee", "status"]}),
        (
            "Proposition",
            {"fields": ["score", "explanation_list", "proposed_by", "proposed_at"]},
        ),
        (
            "Réponses",
            {
                "fields": [
                    "mentor_response",
                    "mentor_responded_at",
                    "mentee_response",
                    "mentee_responded_at",
                    "decline_reason",
                ]
            },
        ),
        (
            "Mentorat",
            {
                "fields": [
                    "started_on",
                    "activated_by",
                    "introduced_by",
                    "compliance_display",
                    "next_meeting_due_display",
                    "qualifying_sessions",
                    "months_elapsed_display",
                    "ready_to_close_display",
                ]
            },
        ),
        ("Fin", {"fields": ["ended_on", "close_reason", "close_comment", "closed_by"]}),
    ]
    readonly_fields = [
        "mentor",
        "mentee",
        "status",
        "score",
        "explanation_list",
        "proposed_by",
        "proposed_at",
        "mentor_response",
        "mentor_responded_at",
        "mentee_response",
        "mentee_responded_at",
        "decline_reason",
        "started_on",
        "activated_by",
        "introduced_by",
        "compliance_display",
        "next_meeting_due_display",
        "qualifying_sessions",
        "months_elapsed_display",
        "ready_to_close_display",
        "ended_on",
        "close_reason",
        "close_comment",
        "closed_by",
    ]

    class Media:
        css = MATCHING_CSS

    # The dashboard's links to pairs carry its département and antenne filters (the young
    # person's), which the list accepts without drawing a filter for them (a filter would
    # cost a query); its priority public is `?public=<code>` (PairPriorityPublicFilter, drawn
    # nowhere either).
    DASHBOARD_LOOKUPS = {
        "mentee__department__exact",
        "mentee__antenne__id__exact",
        "mentee__antenne__isnull",
    }

    def lookup_allowed(self, lookup, value, request=None):
        return lookup in self.DASHBOARD_LOOKUPS or super().lookup_allowed(lookup, value, request)

    def get_queryset(self, request):
        # The programme's rhythm and the "ready to close" flag in the list's own query: the
        # columns and the filters cost no query per pair.
        today = timezone.localdate()
        return (
            super()
            .get_queryset(request)
            .with_compliance(today=today)
            .with_ready_to_close(today=today)
        )

    @admin.display(description="explication du score")
    def explanation_list(self, obj):
        return explanation_html(obj.explanation)

    @admin.display(description="rythme des rencontres", ordering="meeting_reference")
    def compliance_display(self, obj):
        # Historical versions (the history pages) carry no annotation.
        compliance = getattr(obj, "compliance", None)
        return ComplianceState(compliance).label if compliance else "—"

    @admin.display(description="prochaine rencontre avant le", ordering="meeting_reference")
    def next_meeting_due_display(self, obj):
        due = obj.next_meeting_due() if obj.status == MentorshipStatus.ACTIVE else None
        return f"{due:%d/%m/%Y}" if due else "—"

    @admin.display(description="mois écoulés")
    def months_elapsed_display(self, obj):
        return obj.months_elapsed() if obj.started_on else "—"

    # In words: Django's boolean icons say « True » / « False » to a screen reader.
    @admin.display(description="prêt à clôturer", ordering="is_ready_to_close")
    def ready_to_close_display(self, obj):
        ready = getattr(obj, "is_ready_to_close", None)
        return "—" if ready is None else ("oui" if ready else "non")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        return [
            path(
                "<int:mentorship_id>/activer/",
                self.admin_site.admin_view(self.activate_view),
                name="matching_mentorship_activate",
            ),
            path(
                "<int:mentorship_id>/cloturer/",
                self.admin_site.admin_view(self.close_view),
                name="matching_mentorship_close",
            ),
            *super().get_urls(),
        ]

    def activate_view(self, request, mentorship_id):
        return admin_views.activate(self, request, mentorship_id)

    def close_view(self, request, mentorship_id):
        return admin_views.close(self, request, mentorship_id)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # Every field is read-only: no save buttons, only "Activer le binôme" or "Clôturer le
        # binôme" when it applies.
        extra_context = {
            **(extra_context or {}),
            "show_save": False,
            "show_save_and_continue": False,
            "show_save_and_add_another": False,
            "show_delete": False,
            "can_activate": admin_views.can_match(request),
            "proposed": MentorshipStatus.PROPOSED,
            "active": MentorshipStatus.ACTIVE,
            "closed": MentorshipStatus.CLOSED,
            "objectives_achieved": CloseReason.OBJECTIVES_ACHIEVED,
        }
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(MatchingBatch)
class MatchingBatchAdmin(admin.ModelAdmin):
    """Batches are started from the young people's list and confirmed on their own page. An
    antenne coordinator lists their antenne's batches only (a national batch holds every
    antenne's people)."""

    list_display = [
        "__str__",
        "antenne_display",
        "created_by",
        "status",
        "progress",
        "pairs",
        "confirmed_at",
    ]
    list_filter = ["status"]
    list_select_related = ["created_by", "antenne"]
    change_list_template = "admin/matching/matchingbatch/change_list.html"

    class Media:
        css = MATCHING_CSS

    def get_queryset(self, request):
        return admin_views.batches_in_scope(request, super().get_queryset(request))

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        # Another antenne's batch (its history page): a 404, as for an unknown one, rather
        # than Django's redirect. Staff who may see no batch at all are refused first.
        if not self.has_view_permission(request):
            raise PermissionDenied
        raise Http404(f"{opts.verbose_name} introuvable.")

    @admin.display(description="antenne", ordering="antenne__name")
    def antenne_display(self, obj):
        return obj.antenne.name if obj.antenne_id else "toutes"

    @admin.display(description="binômes calculés")
    def pairs(self, obj):
        return len(obj.result.get("proposals", [])) if obj.result else "—"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("lancer/", wrap(self.start_view), name="matching_matchingbatch_start"),
            path(
                "<int:batch_id>/resultat/",
                wrap(self.result_view),
                name="matching_matchingbatch_result",
            ),
            path(
                "<int:batch_id>/confirmer/",
                wrap(self.confirm_view),
                name="matching_matchingbatch_confirm",
            ),
            *super().get_urls(),
        ]

    def start_view(self, request):
        return admin_views.batch_start(self, request)

    def result_view(self, request, batch_id):
        return admin_views.batch_result(self, request, batch_id)

    def confirm_view(self, request, batch_id):
        return admin_views.batch_confirm(self, request, batch_id)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # A batch's page is its result page. Staff who may see no batch are refused before
        # the lookup in their scope (which is empty for them).
        if not self.has_view_permission(request):
            raise PermissionDenied
        batch = admin_views.object_or_404(admin_views.batches_in_scope(request), object_id)
        return HttpResponseRedirect(admin_views.batch_url(batch))


# --- The young people's and the mentors' admins, with their matching tools


class AwaitingMentorFilter(YesNoFilter):
    title = "en attente d'un mentor"
    parameter_name = "en_attente_de_mentor"

    def condition(self):
        return Q(pk__in=mentees_awaiting_mentor(today=timezone.localdate()).values("pk"))


class WaitingTooLongFilter(OrderingFilter):
    """`?attente=plus_de_30_jours`: `mentees_waiting_too_long`, the longest wait first."""

    title = "attente d'un mentor"
    parameter_name = "attente"
    VALUE = f"plus_de_{WAITING_ALERT.days}_jours"

    def lookups(self, request, model_admin):
        return [(self.VALUE, f"Plus de {WAITING_ALERT.days} jours")]

    def queryset(self, request, queryset):
        if self.value() == self.VALUE:
            too_long = mentees_waiting_too_long(today=timezone.localdate())
            return queryset.filter(pk__in=too_long.values("pk"))
        return queryset

    @classmethod
    def ordering_for(cls, value):
        return [WAITING_SINCE.asc(), "pk"] if value == cls.VALUE else None


class FreeCapacityFilter(YesNoFilter):
    title = "place pour un jeune"
    parameter_name = "place_libre"
    no_label = "Non (complet)"

    def condition(self):
        # `free_slots` is annotated by MatchingMentorAdmin.get_queryset.
        return HAS_FREE_SLOT


def propose_url(model_admin):
    opts = model_admin.model._meta
    return f"{opts.app_label}_{opts.model_name}_propose"


admin.site.unregister(Mentee)


def matching_url(model_admin):
    opts = model_admin.model._meta
    return f"{opts.app_label}_{opts.model_name}_matching"


@admin.register(Mentee)
class MatchingMenteeAdmin(MenteeAdmin):
    change_form_template = "admin/matching/mentee/change_form.html"
    change_list_template = "admin/matching/mentee/change_list.html"
    list_display = [
        *MenteeAdmin.list_display[: MenteeAdmin.list_display.index("status") + 1],
        "waiting_display",
        *MenteeAdmin.list_display[MenteeAdmin.list_display.index("status") + 1 :],
    ]
    list_filter = [AwaitingMentorFilter, WaitingTooLongFilter, *MenteeAdmin.list_filter]
    actions = [*MenteeAdmin.actions, "match_selected"]

    class Media:
        css = MATCHING_CSS

    def get_queryset(self, request):
        # When each young person awaiting a mentor started waiting, in the list's own query.
        return with_waiting_since(super().get_queryset(request), today=timezone.localdate())

    @admin.display(description="attente", ordering=F("awaiting_since").asc(nulls_last=True))
    def waiting_display(self, obj):
        days = waiting_days(getattr(obj, "awaiting_since", None), today=timezone.localdate())
        words = admin_matching_page.waiting_words(days)
        if getattr(obj, "is_rematch", False):
            # Back after a pair that ended early, with their original wait.
            return format_html('{} <strong class="matching-mark">rematch</strong>', words)
        return words

    def has_matching_permission(self, request):
        return admin_views.can_match(request)

    @admin.action(
        description="Appariement automatique des jeunes sélectionnés", permissions=["matching"]
    )
    def match_selected(self, request, queryset):
        mentee_ids = sorted(queryset.values_list("pk", flat=True))
        messages.info(
            request,
            f"Appariement de {len(mentee_ids)} jeune(s) lancé : seuls ceux qui attendent un "
            "mentor sont pris en compte.",
        )
        return admin_views.start_batch(request, mentee_ids=mentee_ids)

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<int:mentee_id>/proposer/", wrap(self.propose_view), name=propose_url(self)),
            path("<int:mentee_id>/appariement/", wrap(self.matching_view), name=matching_url(self)),
            *super().get_urls(),
        ]

    def propose_view(self, request, mentee_id):
        return admin_views.propose_from_mentee(request, mentee_id)

    def matching_view(self, request, mentee_id):
        return admin_matching_page.mentee_matching(self, request, mentee_id)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["can_match"] = admin_views.can_match(request)
        return super().render_change_form(request, context, add, change, form_url, obj)


admin.site.unregister(Mentor)


@admin.register(Mentor)
class MatchingMentorAdmin(MentorAdmin):
    change_form_template = "admin/matching/mentor/change_form.html"
    list_display = [*MentorAdmin.list_display[:5], "free_slots", *MentorAdmin.list_display[5:]]
    list_filter = [FreeCapacityFilter, *MentorAdmin.list_filter]

    class Media:
        css = MATCHING_CSS

    def get_queryset(self, request):
        # A subquery in the list's own query: the column and the filter cost no extra query.
        return with_free_slots(super().get_queryset(request))

    @admin.display(description="places libres", ordering="free_slots")
    def free_slots(self, obj):
        return obj.free_slots

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<int:mentor_id>/proposer/", wrap(self.propose_view), name=propose_url(self)),
            path("<int:mentor_id>/appariement/", wrap(self.matching_view), name=matching_url(self)),
            *super().get_urls(),
        ]

    def propose_view(self, request, mentor_id):
        return admin_views.propose_from_mentor(request, mentor_id)

    def matching_view(self, request, mentor_id):
        return admin_matching_page.mentor_matching(self, request, mentor_id)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["can_match"] = admin_views.can_match(request)
        return super().render_change_form(request, context, add, change, form_url, obj)
