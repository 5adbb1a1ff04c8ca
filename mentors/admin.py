from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.db.models import Count, OuterRef, Q, Subquery
from django.template.response import TemplateResponse

from users.admin import HelpTopicFilter, RegistrationAdmin
from users.admin_lists import IndexedValuesFilter
from users.admin_scoping import ReferentScopedAdmin
from users.enums import RegistrationStatus
from users.models import User
from users.roles import REFERENTS_GROUP, is_coordinator
from users.services import RegistrationError

from .models import Mentor, ScreeningRecord
from .services import mentor_assign_referent


def approved_mentors_count(referent_path: str):
    """The caseload of the référent at `referent_path` (an OuterRef), as a subquery."""
    return Subquery(
        Mentor.objects.filter(referent=OuterRef(referent_path), status=RegistrationStatus.APPROVED)
        .order_by()
        .values("referent")
        .annotate(n=Count("pk"))
        .values("n")
    )


class ReferentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return (
            f"{obj.get_full_name()} ({obj.email}) — "
            f"{obj.caseload or 0} / {settings.REFERENT_CASELOAD_CAP}"
        )


class AssignReferentForm(forms.Form):
    referent = ReferentChoiceField(label="Référent", queryset=User.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["referent"].queryset = (
            User.objects.filter(is_active=True, is_staff=True)
            .filter(Q(groups__name=REFERENTS_GROUP))
            .distinct()
            .annotate(caseload=approved_mentors_count("pk"))
            .order_by("last_name", "first_name")
        )


class MentorHelpTopicFilter(HelpTopicFilter):
    title = "peut aider à"
    field_name = "help_topics"


class ScreeningRecordInline(admin.TabularInline):
    model = ScreeningRecord
    extra = 0
    fields = ["document", "checked_on", "checked_by"]
    readonly_fields = ["checked_by"]

    def has_change_permission(self, request, obj=None):
        # A check is a fact: record a new one rather than rewrite an old one.
        return False


@admin.register(Mentor)
class MentorAdmin(ReferentScopedAdmin, RegistrationAdmin):
    referent_scope = "referent"
    # No exact COUNT(*) over the whole table on each changelist page (large tables).
    show_full_result_count = False
    list_display = [
        "full_name",
        "email",
        "employer",
        "department",
        "capacity",
        "accepts_minors",
        "status",
        "referent_display",
        "created_at",
    ]
    list_select_related = ["user", "referent"]
    list_only = (
        *("user__first_name", "user__last_name", "user__email"),
        *("employer", "department", "capacity", "accepts_minors", "status", "created_at"),
        *("referent__first_name", "referent__last_name", "referent__email"),
    )
    # No date_hierarchy: its links cost a scan of the whole table (MIN/MAX, then DISTINCT
    # DATE_TRUNC) on every page; the date filter below costs no query.
    list_filter = [
        "status",
        "accepts_minors",
        MentorHelpTopicFilter,
        "sector",
        ("department", IndexedValuesFilter),
        "created_at",
    ]
    search_fields = [*RegistrationAdmin.search_fields, "employer", "job_title"]
    inlines = [ScreeningRecordInline]
    actions = [*RegistrationAdmin.actions, "assign_referent"]
    fieldsets = [
        ("Identité", {"fields": RegistrationAdmin.identity_fields}),
        ("Parcours", {"fields": ["employer", "job_title", "sector", "years_of_experience"]}),
        ("Apport", {"fields": ["help_topics", "sectors_to_share", "motivation"]}),
        (
            "Rencontres",
            {"fields": ["meeting_mode", "availability", "languages", "capacity", "accepts_minors"]},
        ),
        ("Charte", {"fields": ["charter_version", "charter_accepted_at"]}),
        ("Accompagnement", {"fields": ["referent"]}),
        ("Examen", {"fields": RegistrationAdmin.review_fields}),
    ]

    def get_queryset(self, request):
        # The référent's caseload in the list's own query: no query per row.
        return (
            super()
            .get_queryset(request)
            .annotate(referent_caseload=approved_mentors_count("referent"))
        )

    @admin.display(description="référent", ordering="referent__last_name")
    def referent_display(self, obj):
        if obj.referent is None:
            return "—"
        caseload = getattr(obj, "referent_caseload", None) or 0
        cap = settings.REFERENT_CASELOAD_CAP
        return f"{obj.referent.get_full_name()} ({caseload} / {cap})"

    def has_assign_referent_permission(self, request):
        return is_coordinator(request.user)

    @admin.action(description="Attribuer un référent", permissions=["assign_referent"])
    def assign_referent(self, request, queryset):
        form = AssignReferentForm(request.POST if "confirm_referent" in request.POST else None)
        if form.is_valid():
            referent = form.cleaned_data["referent"]
            assigned = 0
            for mentor in queryset.select_related("user"):
                try:
                    mentor_assign_referent(
                        mentor=mentor, referent=referent, assigned_by=request.user
                    )
                except RegistrationError as error:
                    self.message_user(request, str(error), messages.WARNING)
                else:
                    assigned += 1
            if assigned:
                self.message_user(
                    request,
                    f"{assigned} mentor(s) confié(s) à {referent.get_full_name()}.",
                    messages.SUCCESS,
                )
            return None
        return TemplateResponse(
            request,
            "admin/mentors/assign_referent.html",
            {
                **self.admin_site.each_context(request),
                "title": "Attribuer un référent",
                "opts": self.model._meta,
                "queryset": queryset.select_related("user"),
                "form": form,
                "cap": settings.REFERENT_CASELOAD_CAP,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )

    def get_readonly_fields(self, request, obj=None):
        return [
            *super().get_readonly_fields(request, obj),
            "user",
            "charter_version",
            "charter_accepted_at",
        ]

    def save_formset(self, request, form, formset, change):
        for instance in formset.save(commit=False):
            if isinstance(instance, ScreeningRecord) and instance.checked_by_id is None:
                instance.checked_by = request.user
            instance.save()
        for obj in formset.deleted_objects:
            obj.delete()
