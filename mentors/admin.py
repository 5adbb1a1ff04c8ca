from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.db.models import Q
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import capfirst

from users.admin import HelpTopicFilter, PendingReviewFilter, RegistrationAdmin
from users.admin_filters import YesNoFilter
from users.admin_lists import IndexedValuesFilter
from users.admin_scoping import ScopedAdmin
from users.enums import RegistrationStatus
from users.models import User
from users.scopes import staff_scope
from users.services import RegistrationError

from . import admin_views
from .enums import ScreeningState
from .models import (
    NO_VALID_SCREENING,
    Mentor,
    ScreeningRecord,
    screening_expires_on,
    screening_state,
)
from .selectors import approved_mentors_count, mentor_history, referent_accounts
from .services import mentor_assign_referent, referent_assignment_refusal
from .training import attended_initial_training

REFERENT_HELP = "Entre parenthèses : mentors validés déjà suivis / maximum par référent."


class ReferentChoiceField(forms.ModelChoiceField):
    """A référent with their caseload, read from the `caseload` annotation of
    `referent_accounts` (no query per choice)."""

    def label_from_instance(self, obj):
        name = obj.get_full_name() or obj.email
        return f"{name} ({obj.email}) — {obj.caseload or 0} / {settings.REFERENT_CASELOAD_CAP}"


def referent_choices(request, *, including: int | None = None):
    """The référents a staff member may give a mentor: an antenne coordinator, those of their
    antenne's team (référents belong to one antenne); the mentor's current référent stays a
    choice, so that their page stays valid."""
    referents = referent_accounts(including=including)
    scope = staff_scope(request.user)
    if scope.antenne_scoped:
        wanted = Q(antenne_membership__antenne_id=scope.antenne_id)
        if including is not None:
            wanted |= Q(pk=including)
        referents = referents.filter(wanted)
    return referents


class AssignReferentForm(forms.Form):
    referent = ReferentChoiceField(
        label="Référent",
        queryset=User.objects.none(),
        help_text=REFERENT_HELP,
        error_messages={"required": "Choisissez un référent."},
    )

    def __init__(self, *args, request, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["referent"].queryset = referent_choices(request)


class ScreeningFilter(admin.SimpleListFilter):
    """`?controle=`: the mentors who accept minors (not rejected) by where their honorability
    check stands today; « sans contrôle valide » is exactly `screening_missing`, « expire
    bientôt » `screening_expiring`."""

    title = "contrôle d'honorabilité"
    parameter_name = "controle"

    def lookups(self, request, model_admin):
        return [
            *((value, capfirst(label)) for value, label in ScreeningState.choices),
            (NO_VALID_SCREENING, "Sans contrôle valide (absent ou expiré)"),
        ]

    def queryset(self, request, queryset):
        if self.value() in {*ScreeningState.values, NO_VALID_SCREENING}:
            return queryset.in_screening_state(self.value(), today=timezone.localdate()).exclude(
                status=RegistrationStatus.REJECTED
            )
        return queryset


class WithoutReferentFilter(admin.SimpleListFilter):
    title = "référent"
    parameter_name = "referent"

    def lookups(self, request, model_admin):
        return [("aucun", "Mentors validés sans référent")]

    def queryset(self, request, queryset):
        if self.value() == "aucun":
            return queryset.without_referent()
        return queryset


class InitialTrainingFilter(YesNoFilter):
    """`?formation_initiale=oui|non`: attended an initial training (recorded by staff). With
    « validé », « non » is exactly the staff home's « mentors validés non formés »."""

    title = "formation initiale suivie"
    parameter_name = "formation_initiale"

    def condition(self):
        return Q(attended_initial_training())


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


class MentorChangeForm(forms.ModelForm):
    """The mentor's page: a référent chosen here is refused as in the « Attribuer un
    référent » action (the service's rule: an active référent, an approved mentor, a free
    place in the caseload), beside the field."""

    def clean_referent(self):
        referent = self.cleaned_data.get("referent")
        if referent is not None and self.instance.pk:
            refusal = referent_assignment_refusal(mentor=self.instance, referent=referent)
            if refusal:
                raise forms.ValidationError(refusal)
        return referent


@admin.register(Mentor)
class MentorAdmin(ScopedAdmin, RegistrationAdmin):
    referent_scope = "referent"
    antenne_scope = ("antenne",)
    # No exact COUNT(*) over the whole table on each changelist page (large tables).
    show_full_result_count = False
    list_display = [
        "full_name",
        "email",
        "employer",
        "department",
        "capacity_display",
        "minors_display",
        "screening_display",
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
        PendingReviewFilter,
        "status",
        ScreeningFilter,
        WithoutReferentFilter,
        InitialTrainingFilter,
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
            {
                "fields": [
                    *("meeting_mode", "travels_whole_region", "availability", "languages"),
                    *("capacity", "accepts_minors"),
                ]
            },
        ),
        ("Charte", {"fields": ["charter_version", "charter_accepted_at"]}),
        ("Accompagnement", {"fields": ["referent"]}),
        ("Examen", {"fields": RegistrationAdmin.review_fields}),
    ]

    def get_queryset(self, request):
        # The référent's caseload and the latest honorability check in the list's own query:
        # no query per row.
        return (
            super()
            .get_queryset(request)
            .annotate(referent_caseload=approved_mentors_count("referent"))
            .with_last_screening()
        )

    @admin.display(description="capacité", ordering="capacity")
    def capacity_display(self, obj):
        # The field's own name (« nombre de jeunes suivis en même temps ») widens the list.
        return obj.capacity

    # In words: Django's boolean icons say « True » / « False » to a screen reader.
    @admin.display(description="accepte des mineurs", ordering="accepts_minors")
    def minors_display(self, obj):
        return "oui" if obj.accepts_minors else "non"

    @admin.display(description="contrôle", ordering="last_screening_on")
    def screening_display(self, obj):
        last = getattr(obj, "last_screening_on", None)
        state = screening_state(
            accepts_minors=obj.accepts_minors, last_checked_on=last, today=timezone.localdate()
        )
        if state is None:
            return "—"
        if state == ScreeningState.ABSENT:
            return "absent"
        until = f"{screening_expires_on(last):%d/%m/%Y}"
        if state == ScreeningState.VALID:
            return f"valide jusqu'au {until}"
        return f"{state.label} (valide jusqu'au {until})"

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "referent":
            # The référents with their caseload, as in the « Attribuer un référent » action;
            # the mentor's current référent stays a choice whatever their role now.
            kwargs["form_class"] = ReferentChoiceField
            kwargs["queryset"] = referent_choices(
                request, including=getattr(request, "_mentor_referent_id", None)
            )
            kwargs["help_text"] = REFERENT_HELP
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_form(self, request, obj=None, change=False, **kwargs):
        request._mentor_referent_id = obj.referent_id if obj is not None else None
        return super().get_form(request, obj, change, form=MentorChangeForm, **kwargs)

    def save_model(self, request, obj, form, change):
        # A new référent goes through the service, which takes the caseload under a lock (two
        # coordinators cannot both fill the last place); the rest of the page saves as usual.
        referent = obj.referent if change and "referent" in form.changed_data else None
        if referent is not None:
            obj.referent_id = form.initial.get("referent")
        super().save_model(request, obj, form, change)
        if referent is not None:
            try:
                mentor_assign_referent(mentor=obj, referent=referent, assigned_by=request.user)
            except RegistrationError as error:
                self.message_user(request, str(error), messages.ERROR)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            # The référents' exchanges and the trainings, one history (two queries).
            context["mentor_history"] = mentor_history(obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def approve_view(self, request, object_id):
        return admin_views.approve(self, request, object_id)

    def review_context(self, request, obj):
        review = super().review_context(request, obj)
        if review and review["approve_url"]:
            review["approve_needs_page"] = obj.needs_screening()
        return review

    @admin.display(description="référent", ordering="referent__last_name")
    def referent_display(self, obj):
        if obj.referent is None:
            return "—"
        caseload = getattr(obj, "referent_caseload", None) or 0
        cap = settings.REFERENT_CASELOAD_CAP
        return f"{obj.referent.get_full_name()} ({caseload} / {cap})"

    @admin.action(description="Valider les inscriptions sélectionnées", permissions=["change"])
    def approve_selected(self, request, queryset):
        today = timezone.localdate()
        to_check = list(queryset.screening_missing(today=today).values_list("pk", flat=True))
        super().approve_selected(request, queryset)
        approved = Mentor.objects.filter(pk__in=to_check).approved().count()
        if approved:
            # Approved without the check: say so, and where to record it.
            url = f"{reverse('admin:mentors_mentor_changelist')}?controle={NO_VALID_SCREENING}"
            self.message_user(
                request,
                format_html(
                    "{} mentor(s) validé(s) accepte(nt) des mineurs sans contrôle "
                    "d'honorabilité valable : aucun mineur ne leur sera proposé avant "
                    'qu\'il soit enregistré. <a href="{}">Voir les mentors sans contrôle '
                    "valable</a>.",
                    approved,
                    url,
                ),
                messages.WARNING,
            )

    def has_assign_referent_permission(self, request):
        return staff_scope(request.user).coordinator

    @admin.action(description="Attribuer un référent", permissions=["assign_referent"])
    def assign_referent(self, request, queryset):
        form = AssignReferentForm(
            request.POST if "confirm_referent" in request.POST else None, request=request
        )
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


from . import admin_training  # noqa: E402, F401 (the trainings' admin)
