"""Questionnaires and responses in the admin.

Coordinators write the questionnaires here. A version that has answers is frozen (the models
refuse to change it): the admin shows it read-only and says how to move on, by the action
« Créer une nouvelle version », then « Mettre en service » once the copy is edited. Responses
are the young people's words: read-only, and only a coordinator may reopen a submitted one;
each reopening is kept in the response's history (« Historique »)."""

from django.contrib import admin, messages
from simple_history.admin import SimpleHistoryAdmin

from users.admin_lists import LeanChangeList
from users.admin_scoping import ScopedAdmin
from users.scopes import staff_scope

from . import services
from .enums import ResponseStatus
from .models import Answer, ClosureInterview, Question, Questionnaire, Response

# A pair's rows are an antenne's when the young person's or the mentor's antenne is.
PAIR_ANTENNES = ("mentorship__mentee__antenne", "mentorship__mentor__antenne")

FROZEN_MESSAGE = (
    "Cette version est figée : des jeunes y ont déjà répondu, et leurs réponses de début et de "
    "fin doivent se comparer sur les mêmes questions. Pour la modifier, créez une nouvelle "
    "version (action « Créer une nouvelle version » dans la liste), modifiez-la, puis mettez-la "
    "en service."
)


def _frozen(obj: Questionnaire | None) -> bool:
    # Asked several times while rendering one page: one query per object is enough.
    if obj is None or obj.pk is None:
        return False
    if not hasattr(obj, "_admin_frozen"):
        obj._admin_frozen = obj.is_frozen()
    return obj._admin_frozen


class QuestionInline(admin.StackedInline):
    model = Question
    extra = 0
    ordering = ["order", "pk"]
    fields = [
        ("order", "kind", "moment", "required"),
        "text",
        "help_text",
        ("min_label", "max_label"),
        "choices",
    ]

    # A frozen version's questions are shown, not edited, added or deleted.
    def has_add_permission(self, request, obj=None):
        return not _frozen(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not _frozen(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not _frozen(obj) and super().has_delete_permission(request, obj)


@admin.register(Questionnaire)
class QuestionnaireAdmin(admin.ModelAdmin):
    list_display = ["title", "family", "version", "is_current", "frozen"]
    list_filter = ["family", "is_current"]
    fields = ["family", "version", "title", "introduction", "is_current"]
    # Putting a version in service goes through the action, which takes the previous one out.
    readonly_fields = ["is_current"]
    inlines = [QuestionInline]
    actions = ["new_version", "make_current"]

    @admin.display(boolean=True, description="figée")
    def frozen(self, obj):
        return _frozen(obj)

    # The versions are the programme's: every antenne's young people answer them and their
    # progress is compared across antennes. An antenne coordinator reads them; the national
    # team writes them.

    def has_add_permission(self, request):
        return staff_scope(request.user).national and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        national = staff_scope(request.user).national
        return national and not _frozen(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        national = staff_scope(request.user).national
        return national and not _frozen(obj) and super().has_delete_permission(request, obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        if request.method == "GET" and _frozen(obj):
            messages.warning(request, FROZEN_MESSAGE)
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.action(description="Créer une nouvelle version", permissions=["add"])
    def new_version(self, request, queryset):
        for questionnaire in queryset:
            copy = services.questionnaire_new_version(questionnaire=questionnaire)
            self.message_user(
                request,
                f"Version {copy.version} créée à partir de « {questionnaire} » : modifiez-la, "
                "puis mettez-la en service.",
                messages.SUCCESS,
            )

    @admin.action(description="Mettre en service", permissions=["change"])
    def make_current(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(
                request, "Choisissez une seule version à mettre en service.", messages.ERROR
            )
            return
        try:
            questionnaire = services.questionnaire_make_current(questionnaire=queryset.get())
        except services.QuestionnaireError as error:
            self.message_user(request, " ".join(error.errors.values()), messages.ERROR)
        else:
            self.message_user(
                request,
                f"« {questionnaire} » est en service : les nouveaux questionnaires de début "
                "l'utilisent ; les binômes déjà commencés gardent leur version pour la fin.",
                messages.SUCCESS,
            )


class AnswerInline(admin.TabularInline):
    model = Answer
    extra = 0
    can_delete = False
    fields = ["question", "scale_value", "choice_values", "text_value"]
    readonly_fields = fields
    ordering = ["question__order"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("question")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ReopenedFilter(admin.SimpleListFilter):
    title = "envoi"
    parameter_name = "envoi"

    def lookups(self, request, model_admin):
        return [("rouvert", "Rouvert par la coordination")]

    def queryset(self, request, queryset):
        if self.value() == "rouvert":
            return queryset.filter(reopened_at__isnull=False)
        return queryset


class ReadFilter(admin.SimpleListFilter):
    """Whether the pair's référent or a coordinator has opened the submitted questionnaire."""

    title = "lu"
    parameter_name = "lu"

    def lookups(self, request, model_admin):
        return [("non", "Pas encore lu"), ("oui", "Lu")]

    def queryset(self, request, queryset):
        if self.value() == "non":
            return queryset.unread()
        if self.value() == "oui":
            return queryset.filter(read_at__isnull=False)
        return queryset


@admin.register(Response)
class ResponseAdmin(ScopedAdmin, LeanChangeList, SimpleHistoryAdmin):
    referent_scope = "mentorship__mentor__referent"
    antenne_scope = PAIR_ANTENNES
    # No exact COUNT(*) over the whole table on each changelist page (large tables).
    show_full_result_count = False
    list_display = ["pair", "moment", "status", "submitted_at", "read_at"]
    # No date_hierarchy: its links cost a scan of the whole table (MIN/MAX, then DISTINCT
    # DATE_TRUNC) on every page; the date filter below costs no query.
    list_filter = ["moment", "status", ReadFilter, ReopenedFilter, "questionnaire", "submitted_at"]
    list_select_related = ["mentorship__mentor__user", "mentorship__mentee__user"]
    list_only = (
        *("moment", "status", "submitted_at", "read_at"),
        *("mentorship__mentor__user__first_name", "mentorship__mentor__user__last_name"),
        *("mentorship__mentee__user__first_name", "mentorship__mentee__user__last_name"),
        *("mentorship__mentor__user__email", "mentorship__mentee__user__email"),
    )
    search_fields = [
        "mentorship__mentor__user__last_name",
        "mentorship__mentee__user__last_name",
        "mentorship__mentee__user__email",
    ]
    fields = [
        "mentorship",
        "moment",
        "questionnaire",
        "status",
        "started_at",
        "submitted_at",
        "reopened_at",
        "reopened_by",
        "read_at",
        "read_by",
    ]
    readonly_fields = fields
    actions = ["reopen"]

    @admin.display(description="binôme", ordering="mentorship")
    def pair(self, obj):
        mentor, mentee = obj.mentorship.mentor.user, obj.mentorship.mentee.user
        return f"{mentor.get_full_name()} – {mentee.get_full_name()}"

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        # The object the page shows, already read (and scoped) by the admin: opening it is
        # reading it. Marked before the page renders, so that it shows its reader.
        obj = (getattr(response, "context_data", None) or {}).get("original")
        if request.method == "GET" and obj is not None:
            services.response_mark_read(response=obj, reader=request.user)
        return response

    def get_inlines(self, request, obj):
        # Nothing of a draft is shown to staff before the young person submits it.
        return [AnswerInline] if obj is not None and obj.is_submitted else []

    # The young person's words: written by them, read here.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_reopen_permission(self, request):
        return staff_scope(request.user).coordinator

    @admin.action(description="Rouvrir", permissions=["reopen"])
    def reopen(self, request, queryset):
        reopened = 0
        for response in queryset.filter(status=ResponseStatus.SUBMITTED):
            try:
                services.response_reopen(response=response, reopened_by=request.user)
            except services.QuestionnaireError as error:
                self.message_user(request, " ".join(error.errors.values()), messages.ERROR)
                return
            reopened += 1
        self.message_user(
            request,
            f"{reopened} questionnaire(s) rouvert(s) : le jeune peut le(s) modifier et le(s) "
            "renvoyer.",
            messages.SUCCESS,
        )


@admin.register(ClosureInterview)
class ClosureInterviewAdmin(ScopedAdmin, SimpleHistoryAdmin):
    """Read-only here: the référent (or a coordinator) writes it from the pair's « entretien
    de fin » page, where the service checks the date and who may write it."""

    referent_scope = "mentorship__mentor__referent"
    antenne_scope = PAIR_ANTENNES
    list_display = ["pair", "held_on", "held_with", "recorded_by"]
    list_filter = ["held_with", "held_on"]
    list_select_related = ["mentorship__mentor__user", "mentorship__mentee__user", "recorded_by"]
    search_fields = ["mentorship__mentor__user__last_name", "mentorship__mentee__user__last_name"]
    fields = ["mentorship", "held_on", "held_with", "notes", "recorded_by", "created_at"]
    readonly_fields = fields

    @admin.display(description="binôme", ordering="mentorship")
    def pair(self, obj):
        mentor, mentee = obj.mentorship.mentor.user, obj.mentorship.mentee.user
        return f"{mentor.get_full_name()} – {mentee.get_full_name()}"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
