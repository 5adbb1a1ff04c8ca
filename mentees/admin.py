from django.contrib import admin
from django.db.models import Case, Value, When
from django.utils import timezone

from users.admin import HelpTopicFilter, PendingReviewFilter, RegistrationAdmin
from users.admin_lists import IndexedValuesFilter
from users.admin_scoping import ReferentScopedAdmin

from .ages import MAJORITY_AGE, age_on
from .models import Mentee, minor_condition


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


@admin.register(Mentee)
class MenteeAdmin(ReferentScopedAdmin, RegistrationAdmin):
    referent_scope = "mentorships__mentor__referent"
    referent_scope_distinct = True
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
        "lives_in_qpv",
        "followed_by_mission_locale",
        "has_no_network",
        "at_risk_of_dropout",
        "needs_orientation_help",
        MenteeNeedFilter,
        "situation",
        ("department", IndexedValuesFilter),
        "created_at",
    ]
    search_fields = [*RegistrationAdmin.search_fields, "school_or_structure", "mission_locale_name"]
    fieldsets = [
        ("Identité", {"fields": [*RegistrationAdmin.identity_fields, "birth_date"]}),
        (
            "Situation",
            {
                "fields": [
                    "situation",
                    "school_or_structure",
                    "followed_by_mission_locale",
                    "mission_locale_name",
                ]
            },
        ),
        (
            "Publics prioritaires",
            {
                "fields": [
                    "lives_in_qpv",
                    "has_no_network",
                    "at_risk_of_dropout",
                    "needs_orientation_help",
                ]
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

    @admin.display(description="âge", ordering="-birth_date")
    def age_display(self, obj):
        # From the row's birth date: no query.
        age = age_on(obj.birth_date, timezone.localdate())
        return f"{age} ans — mineur" if age < MAJORITY_AGE else f"{age} ans"
