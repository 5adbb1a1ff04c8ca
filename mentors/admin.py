from django.contrib import admin

from users.admin import HelpTopicFilter, RegistrationAdmin

from .models import Mentor, ScreeningRecord


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
class MentorAdmin(RegistrationAdmin):
    list_display = [
        "full_name",
        "email",
        "employer",
        "department",
        "capacity",
        "accepts_minors",
        "status",
        "created_at",
    ]
    list_select_related = ["user", "referent"]
    list_filter = ["status", "accepts_minors", MentorHelpTopicFilter, "sector", "department"]
    search_fields = [*RegistrationAdmin.search_fields, "employer", "job_title"]
    inlines = [ScreeningRecordInline]
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
