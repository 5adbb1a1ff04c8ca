from django import forms
from django.contrib import admin
from django.db.models import Case, Count, Exists, OuterRef, Value, When
from django.urls import path
from django.utils import timezone

from users.admin import HelpTopicFilter, PendingReviewFilter, RegistrationAdmin
from users.admin_lists import IndexedValuesFilter
from users.admin_scoping import ScopedAdmin
from users.scopes import staff_scope

from . import admin_publics
from .ages import MAJORITY_AGE, age_on
from .models import Mentee, PriorityMark, PriorityPublic, minor_condition
from .priority import has_priority_public, in_public


class MenteeNeedFilter(HelpTopicFilter):
    title = "besoin"
    field_name = "needs"


class MenteePendingReviewFilter(PendingReviewFilter):
    """Minors first (their file waits on a guardian too), then the oldest registration."""

    @classmethod
    def ordering_for(cls, value):
        if value != "oui":
            return None
        minors_first = Case(
            When(minor_condition(timezone.localdate()), then=Value(0)), default=Value(1)
        )
        return [minors_first.asc(), "created_at"]


class GuardianConsentFilter(admin.SimpleListFilter):
    title = "accord du représentant légal"
    parameter_name = "consentement"

    def lookups(self, request, model_admin):
        return [("attente", "Mineurs en attente de l'accord")]

    def queryset(self, request, queryset):
        if self.value() == "attente":
            return queryset.awaiting_guardian_consent()
        return queryset


class PriorityPublicFilter(admin.SimpleListFilter):
    """The young people of one priority public (by its code, as the dashboard links), or of
    none: one query for the publics' names."""

    title = "public prioritaire"
    parameter_name = "public"
    NONE = "aucun"

    def lookups(self, request, model_admin):
        return [
            *PriorityPublic.objects.values_list("code", "label"),
            (self.NONE, "Aucun public prioritaire"),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value == self.NONE:
            return queryset.filter(~has_priority_public())
        if value:
            return queryset.filter(in_public(value))
        return queryset


class PairPriorityPublicFilter(admin.SimpleListFilter):
    """The pairs whose young person is of one priority public (`?public=<code>`, the
    dashboard's links). Drawn only when in use, with the code as its name, so that the pairs'
    list spends no query on it."""

    title = "public prioritaire du jeune"
    parameter_name = "public"

    def lookups(self, request, model_admin):
        code = request.GET.get(self.parameter_name)
        return [(code, code)] if code else ()

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(
                Exists(
                    PriorityMark.objects.filter(
                        mentee=OuterRef("mentee"), public__code=self.value()
                    )
                )
            )
        return queryset


@admin.register(Mentee)
class MenteeAdmin(ScopedAdmin, RegistrationAdmin):
    # A référent: the young people of their mentors' pairs (read once each, however many).
    referent_scope = "mentorships__mentor__referent"
    antenne_scope = ("antenne",)
    # No exact COUNT(*) over the whole table on each changelist page (large tables).
    show_full_result_count = False
    list_display = [
        "full_name",
        "email",
        "age_display",
        "situation",
        "department",
        "guardian_consent_at",
        "status",
        "created_at",
    ]
    list_only = (
        *("user__first_name", "user__last_name", "user__email"),
        *("birth_date", "situation", "department", "guardian_consent_at", "status"),
        "created_at",
    )
    # No date_hierarchy: its links cost a scan of the whole table (MIN/MAX, then DISTINCT
    # DATE_TRUNC) on every page; the date filter below costs no query.
    list_filter = [
        MenteePendingReviewFilter,
        GuardianConsentFilter,
        "status",
        PriorityPublicFilter,
        MenteeNeedFilter,
        "situation",
        ("department", IndexedValuesFilter),
        "created_at",
    ]
    search_fields = [*RegistrationAdmin.search_fields, "school_or_structure", "mission_locale_name"]

    class Media:
        css = {"all": ["admin/mentees/publics.css"]}

    fieldsets = [
        ("Identité", {"fields": [*RegistrationAdmin.identity_fields, "birth_date"]}),
        (
            "Situation",
            {
                "fields": ["situation", "school_or_structure", "mission_locale_name"],
                # The priority publics have their own box at the top of the page.
                "description": "Les publics prioritaires se confirment ou se corrigent dans "
                "l'encadré « Publics prioritaires » en haut de la page.",
            },
        ),
        ("Besoins", {"fields": ["needs", "sectors_of_interest", "goals"]}),
        (
            "Rencontres",
            {"fields": ["meeting_mode", "availability", "languages", "wants_same_gender_mentor"]},
        ),
        (
            "Représentant légal",
            {
                "fields": [
                    "guardian_name",
                    "guardian_email",
                    "guardian_phone",
                    "guardian_consent_at",
                ]
            },
        ),
        ("Examen", {"fields": RegistrationAdmin.review_fields}),
    ]

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "guardian_consent_at"]

    def get_urls(self):
        opts = self.opts
        return [
            path(
                "<int:object_id>/publics/",
                self.admin_site.admin_view(self.publics_view),
                name=f"{opts.app_label}_{opts.model_name}_publics",
            ),
            *super().get_urls(),
        ]

    def publics_view(self, request, object_id):
        return admin_publics.change_publics(self, request, object_id)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if change and obj is not None:
            context["publics"] = admin_publics.publics_context(self, request, obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    @admin.display(description="âge", ordering="-birth_date")
    def age_display(self, obj):
        # From the row's birth date: no query.
        age = age_on(obj.birth_date, timezone.localdate())
        return f"{age} ans — mineur" if age < MAJORITY_AGE else f"{age} ans"


class PriorityPublicForm(forms.ModelForm):
    class Meta:
        model = PriorityPublic
        fields = ["label", "code", "question", "order", "is_active"]

    def clean_code(self):
        # The reports' codes read as the seeded ones: QPV, ASE, LYCEE_PRO.
        return self.cleaned_data["code"].strip().upper()


@admin.register(PriorityPublic)
class PriorityPublicAdmin(admin.ModelAdmin):
    """The list coordinators manage. A public some young people belong to is withdrawn from
    the form (« proposé à l'inscription » unticked), never deleted: the reports still count
    it. The list is the programme's, which every antenne's reports count by: an antenne
    coordinator reads it (with their antenne's young people counted), the national team
    changes it."""

    form = PriorityPublicForm
    list_display = ["label", "code", "question", "order", "is_active", "marks_count"]
    list_display_links = ["label"]
    list_filter = ["is_active"]
    search_fields = ["label", "code", "question"]

    def get_queryset(self, request):
        scope = staff_scope(request.user)
        if scope.antenne_scoped:
            # Their antenne's young people only.
            marks = Count("marks", filter=scope.q("marks__mentee__antenne"))
        else:
            marks = Count("marks")
        return super().get_queryset(request).annotate(marks_count=marks)

    def has_add_permission(self, request):
        return staff_scope(request.user).national and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        national = staff_scope(request.user).national
        return national and super().has_change_permission(request, obj)

    @admin.display(description="jeunes concernés", ordering="marks_count")
    def marks_count(self, obj):
        return getattr(obj, "marks_count", None)

    def get_actions(self, request):
        # Deleting several at once would meet the protected ones: one at a time, from its page.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def has_delete_permission(self, request, obj=None):
        if not staff_scope(request.user).national:
            return False
        if obj is not None and obj.marks.exists():
            return False
        return super().has_delete_permission(request, obj)
