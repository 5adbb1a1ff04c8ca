"""The prescribers in the admin. The network of organisations and their prescribers'
accounts (people with a second factor, created by a coordinator) is run by the national team;
an antenne coordinator reads the referrals of their antenne (see `ReferralAdmin`) and what the
prescribers read of them."""

from django import forms
from django.contrib import admin
from django.db.models import Q

from users.admin_scoping import NationalOnlyAdmin, ScopedAdmin
from users.antennes import AntenneDepartment
from users.models import User
from users.scopes import staff_scope

from .enums import Stage
from .forms import EMAIL_INVALID
from .models import Organisation, Prescriber, Referral, ReferralConsultation
from .services import prescriber_account_create
from .stages import with_stage


def antenne_referrals(request, path: str = "") -> Q:
    """The referrals of the request's user's antenne, from the model at `path` (« referral__
    » for a consultation): those whose young person registered in the antenne, and, before
    they register, those made by an organisation of the antenne's départements (where the
    young person's registration will most likely go)."""
    antenne_id = staff_scope(request.user).antenne_id
    departments = AntenneDepartment.objects.filter(antenne_id=antenne_id).values("department")
    return Q(**{f"{path}mentee__antenne_id": antenne_id}) | Q(
        **{
            f"{path}mentee__isnull": True,
            f"{path}organisation__department__in": departments,
        }
    )


@admin.register(Organisation)
class OrganisationAdmin(NationalOnlyAdmin, admin.ModelAdmin):
    list_display = ["name", "kind", "department", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "=department"]


class PrescriberAddForm(forms.ModelForm):
    """Creating a prescriber creates their account: not staff, no password (an e-mailed link
    to choose it), the second factor at the first login."""

    first_name = forms.CharField(label="Prénom", max_length=150)
    last_name = forms.CharField(label="Nom", max_length=150)
    email = forms.EmailField(
        label="Adresse e-mail",
        help_text="La personne y reçoit un lien pour choisir son mot de passe ; à sa première "
        "connexion, elle active son application d'authentification.",
        error_messages={"invalid": EMAIL_INVALID},
    )

    class Meta:
        model = Prescriber
        fields = ["organisation", "job_title"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(is_active=True)

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError("Cette adresse a déjà un compte sur la plateforme.")
        return email


@admin.register(Prescriber)
class PrescriberAdmin(NationalOnlyAdmin, admin.ModelAdmin):
    list_display = ["user", "organisation", "job_title", "created_at"]
    list_filter = ["organisation__kind"]
    list_select_related = ["user", "organisation"]
    search_fields = ["user__last_name", "user__email", "organisation__name"]
    autocomplete_fields = ["organisation"]
    readonly_fields = ["user", "created_at", "created_by"]
    fields = ["user", "organisation", "job_title", "created_at", "created_by"]
    add_fieldsets = ["first_name", "last_name", "email", "organisation", "job_title"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = PrescriberAddForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request, obj=None):
        return self.add_fieldsets if obj is None else self.fields

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.readonly_fields

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        data = form.cleaned_data
        created = prescriber_account_create(
            organisation=data["organisation"],
            email=data["email"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            job_title=data.get("job_title", ""),
            created_by=request.user,
        )
        # The admin goes on with the object it was given (its message, its journal).
        obj.pk = created.pk
        obj.user = created.user
        obj.created_at = created.created_at
        obj.created_by = created.created_by

    def has_delete_permission(self, request, obj=None):
        # An account is deactivated (in « Utilisateurs »), never deleted: referrals keep it.
        return False


class StageFilter(admin.SimpleListFilter):
    title = "étape"
    parameter_name = "etape"

    def lookups(self, request, model_admin):
        return Stage.choices

    def queryset(self, request, queryset):
        if self.value() in Stage.values:
            return queryset.filter(stage=self.value())
        return queryset


@admin.register(Referral)
class ReferralAdmin(ScopedAdmin, admin.ModelAdmin):
    """Referrals are the prescribers' writing: coordinators read them (and their stage), an
    antenne coordinator those of their antenne (`antenne_referrals`)."""

    list_display = ["__str__", "organisation", "prescriber", "created_at", "stage_label"]
    list_filter = [StageFilter, "organisation__kind"]
    list_select_related = ["organisation", "prescriber__user", "prescriber__organisation"]
    search_fields = ["last_name", "email", "organisation__name"]
    date_hierarchy = "created_at"
    show_full_result_count = False
    readonly_fields = [
        "prescriber",
        "organisation",
        "first_name",
        "last_name",
        "email",
        "phone",
        "birth_date",
        "reason",
        "publics",
        "guardian_name",
        "guardian_email",
        "guardian_phone",
        "created_at",
        "mentee",
        "registered_at",
    ]

    def get_queryset(self, request):
        return with_stage(super().get_queryset(request))

    def antenne_rows(self, request, queryset):
        return queryset.filter(antenne_referrals(request))

    @admin.display(description="étape", ordering="stage")
    def stage_label(self, obj):
        return Stage(obj.stage).label

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ReferralConsultation)
class ReferralConsultationAdmin(ScopedAdmin, admin.ModelAdmin):
    """What each prescriber read, and when: read-only; an antenne coordinator, of their
    antenne's referrals."""

    list_display = ["referral_id", "page", "consulted_at", "consulted_by"]
    list_filter = ["page"]
    list_select_related = ["consulted_by"]
    search_fields = ["=referral__id"]
    readonly_fields = ["referral", "page", "consulted_at", "consulted_by"]
    show_full_result_count = False

    def antenne_rows(self, request, queryset):
        return queryset.filter(antenne_referrals(request, "referral__"))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
