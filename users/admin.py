from django import forms
from django.contrib import admin, messages
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from simple_history.admin import SimpleHistoryAdmin

from . import admin_antennes, admin_views
from .admin_lists import FilterOrderedAdmin, LeanChangeList, OrderingFilter
from .admin_scoping import NationalOnlyAdmin, ScopedAdmin
from .admin_views import RejectionForm
from .enums import HelpTopic, RegistrationStatus
from .form_bounds import DeclaredBoundsAdmin
from .history import status_changes
from .models import Consent, OwedEmail, User
from .outbox import owed_emails_resend
from .services import (
    RegistrationError,
    registration_approve,
    registration_reject,
    staff_account_setup,
    user_email_changed,
)


class UserCreationForm(auth_forms.AdminUserCreationForm):
    role = forms.ChoiceField(
        label="Rôle dans l'équipe",
        required=False,
        choices=[
            ("", "Aucun (compte non membre de l'équipe)"),
            ("coordinator", "Coordination"),
            ("referent", "Référent"),
        ],
        help_text="Un membre de l'équipe reçoit un e-mail pour choisir son mot de passe.",
    )

    class Meta:
        model = User
        fields = ["email", "first_name", "last_name"]


class UserChangeForm(auth_forms.UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


class ConsentInline(admin.TabularInline):
    """What the person (or, for a minor, their guardian) agreed to, when and in which version."""

    model = Consent
    fields = ["kind", "version", "given_at", "given_by_name", "given_by_email"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


# Where an account's person is: a mentor's or a young person's registration, or a place in an
# antenne's team (users.scopes).
MEMBER_ANTENNES = ("mentor__antenne", "mentee__antenne")
ACCOUNT_ANTENNES = (*MEMBER_ANTENNES, "antenne_membership__antenne")


@admin.register(User)
class UserAdmin(NationalOnlyAdmin, DjangoUserAdmin):
    """The accounts: the national team's. They hold the staff's roles (groups, superuser) and
    every account of the platform, staff and prescribers included; an antenne coordinator
    reaches their antenne's people from their registration's page."""

    add_form = UserCreationForm
    form = UserChangeForm
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_staff", "is_active"]
    search_fields = ["email", "first_name", "last_name"]
    inlines = [ConsentInline]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Identité", {"fields": ["first_name", "last_name"]}),
        ("Droits", {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
        # Set by the outbox when a mail server refused the address for good; changing the
        # address clears it.
        ("Distribution des e-mails", {"fields": ["email_refused_at", "email_refused_reason"]}),
    ]
    readonly_fields = ["email_refused_at", "email_refused_reason"]

    def get_inlines(self, request, obj):
        # A new account has no consent yet; its creation form stays a single form.
        return self.inlines if obj else []

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "email" in form.changed_data:
            user_email_changed(user=obj)
        role = form.cleaned_data.get("role") if not change else None
        if role:
            staff_account_setup(user=obj, role=role, invited_by=request.user)

    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": [
                    "email",
                    "first_name",
                    "last_name",
                    "role",
                    "usable_password",
                    "password1",
                    "password2",
                ],
            },
        ),
    ]


@admin.register(OwedEmail)
class OwedEmailAdmin(ScopedAdmin, admin.ModelAdmin):
    """The outbox (users/outbox.py): every e-mail the platform owes, read-only; the failed ones
    (« En échec », the staff home's count) are resent with « Renvoyer ». An antenne
    coordinator reads and resends those to their antenne's people and team (an e-mail is an
    account's once it was tried; a guardian's, who has no account, is the national team's)."""

    antenne_scope = tuple(f"recipient__{path}" for path in ACCOUNT_ANTENNES)

    # No exact COUNT(*) over the whole table on each changelist page (large tables).
    show_full_result_count = False
    list_display = [
        "subject_display",
        "recipient",
        "status",
        "attempts",
        "last_error",
        "created_at",
        "next_attempt_at",
        "done_at",
    ]
    list_filter = ["status"]
    date_hierarchy = "created_at"
    search_fields = ["recipient__email", "recipient__last_name", "subject"]
    list_select_related = ["recipient"]
    ordering = ["-created_at"]
    fields = [
        "subject",
        "recipient",
        "status",
        "attempts",
        "last_error",
        "created_at",
        "next_attempt_at",
        "done_at",
        "task",
        "args",
        "kwargs",
    ]
    readonly_fields = fields
    actions = ["resend"]

    @admin.display(description="objet", ordering="subject")
    def subject_display(self, obj):
        # An e-mail never tried has no subject yet: its task says what it is.
        return obj.subject or obj.task

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_resend_permission(self, request):
        # The page is read-only (no change permission), yet resending needs the right to act.
        return request.user.has_perm("users.change_owedemail")

    @admin.action(description="Renvoyer les e-mails en échec", permissions=["resend"])
    def resend(self, request, queryset):
        ids = list(queryset.values_list("pk", flat=True))
        resent = owed_emails_resend(ids=ids)
        self.message_user(request, f"{resent} e-mail(s) remis en file d'envoi.", messages.SUCCESS)
        if len(ids) > resent:
            self.message_user(
                request,
                f"{len(ids) - resent} e-mail(s) ignoré(s) : seuls les e-mails en échec sont "
                "renvoyés.",
                messages.WARNING,
            )


@admin.register(Consent)
class ConsentAdmin(ScopedAdmin, admin.ModelAdmin):
    # An antenne coordinator: the consents of their antenne's people.
    antenne_scope = tuple(f"user__{path}" for path in MEMBER_ANTENNES)

    list_display = ["person", "kind", "version", "given_at", "given_by_name", "given_by_email"]
    list_filter = ["kind", "version"]
    search_fields = ["user__email", "given_by_name", "given_by_email"]
    list_select_related = ["user"]
    readonly_fields = ["person", "kind", "version", "given_at", "given_by_name", "given_by_email"]

    # The model field's own name is English (« user »): the column and the field say it in
    # French.
    @admin.display(description="personne", ordering="user__last_name")
    def person(self, obj):
        return str(obj.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    # A consent is evidence: it is kept as given (anonymisation blanks its names, not the row).
    def has_delete_permission(self, request, obj=None):
        return False


class PendingReviewFilter(OrderingFilter):
    """`?a_examiner=oui`: the registrations waiting for a coordinator's decision, oldest
    first (a list may put others before, see MenteeAdmin)."""

    title = "examen"
    parameter_name = "a_examiner"

    def lookups(self, request, model_admin):
        return [("oui", "Inscriptions à examiner")]

    def queryset(self, request, queryset):
        if self.value() == "oui":
            return queryset.pending_review()
        return queryset

    @classmethod
    def ordering_for(cls, value):
        return ["created_at"] if value == "oui" else None


class HelpTopicFilter(admin.SimpleListFilter):
    parameter_name = "theme"
    field_name = ""

    def lookups(self, request, model_admin):
        return HelpTopic.choices

    def queryset(self, request, queryset):
        if self.value() in HelpTopic.values:
            # JSON lists are stored as text: the quoted value matches one whole item.
            return queryset.filter(**{f"{self.field_name}__icontains": f'"{self.value()}"'})
        return queryset


class RegistrationAdmin(
    DeclaredBoundsAdmin, FilterOrderedAdmin, LeanChangeList, SimpleHistoryAdmin
):
    """Screening of registrations: approval and rejection go through the services, from the
    list's actions or the buttons of the person's page."""

    list_select_related = ["user"]
    search_fields = ["user__email", "user__first_name", "user__last_name", "postal_code"]
    actions = ["approve_selected", "reject_selected"]
    identity_fields = [
        *("account", "civility", "phone", "postal_code", "department"),
        *("antenne", "antenne_history"),
    ]
    review_fields = [
        "status",
        "rejection_reason",
        "reviewed_at",
        "reviewed_by",
        "created_at",
        "status_history",
    ]

    class Media:
        # The approve / reject box at the top of the person's page.
        css = {"all": ["admin/users/review.css"]}

    @admin.display(description="compte")
    def account(self, obj):
        # The model field's own name is English (« user »).
        return f"{obj.user.get_full_name()} ({obj.user.email})"

    @admin.display(description="Nom", ordering="user__last_name")
    def full_name(self, obj):
        return obj.user.get_full_name()

    @admin.display(description="E-mail", ordering="user__email")
    def email(self, obj):
        return obj.user.email

    @admin.display(description="Historique des statuts")
    def status_history(self, obj):
        if obj.pk is None:
            return "—"
        labels = dict(RegistrationStatus.choices)
        rows = [
            (
                # Stored in UTC: shown on the coordinators' clock.
                date_format(timezone.localtime(change.at), "d/m/Y à H:i"),
                labels.get(change.from_status, "—") if change.from_status else "—",
                labels.get(change.to_status, change.to_status),
                change.by or "le système ou la personne elle-même",
                change.reason,
            )
            for change in status_changes(obj)
        ]
        return format_html(
            "<ul>{}</ul>",
            format_html_join("", "<li>{} : {} → {} par {} ({})</li>", rows),
        )

    @admin.display(description="changements d'antenne")
    def antenne_history(self, obj):
        if obj.pk is None:
            return "—"
        return admin_antennes.antenne_history(obj)

    def get_readonly_fields(self, request, obj=None):
        # Status moves only through the approve / reject actions, which record who and why;
        # the antenne through « Changer d'antenne » (registration_move_antenne).
        return [
            "antenne",
            "antenne_history",
            "account",
            "status",
            "rejection_reason",
            "reviewed_at",
            "reviewed_by",
            "created_at",
            "department",
            "status_history",
        ]

    def has_add_permission(self, request):
        return False

    def get_urls(self):
        opts = self.opts
        prefix = f"{opts.app_label}_{opts.model_name}"
        wrap = self.admin_site.admin_view
        return [
            path("<int:object_id>/valider/", wrap(self.approve_view), name=f"{prefix}_approve"),
            path("<int:object_id>/refuser/", wrap(self.reject_view), name=f"{prefix}_reject"),
            path("<int:object_id>/antenne/", wrap(self.antenne_view), name=f"{prefix}_antenne"),
            *super().get_urls(),
        ]

    def approve_view(self, request, object_id):
        return admin_views.approve(self, request, object_id)

    def reject_view(self, request, object_id):
        return admin_views.reject(self, request, object_id)

    def antenne_view(self, request, object_id):
        return admin_antennes.move_antenne(self, request, object_id)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if change and obj is not None:
            context["review"] = self.review_context(request, obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def review_context(self, request, obj) -> dict | None:
        return admin_views.review_context(self, request, obj)

    @admin.action(description="Valider les inscriptions sélectionnées", permissions=["change"])
    def approve_selected(self, request, queryset):
        approved = 0
        for registration in queryset.select_related("user"):
            try:
                registration_approve(registration=registration, approved_by=request.user)
            except RegistrationError as error:
                self.message_user(request, str(error), messages.WARNING)
            else:
                approved += 1
        if approved:
            self.message_user(
                request,
                f"{approved} inscription(s) validée(s) ; un e-mail a été envoyé.",
                messages.SUCCESS,
            )

    @admin.action(
        description="Refuser les inscriptions sélectionnées (avec un motif)", permissions=["change"]
    )
    def reject_selected(self, request, queryset):
        form = RejectionForm(request.POST if "confirm_rejection" in request.POST else None)
        if form.is_valid():
            rejected = 0
            for registration in queryset.select_related("user"):
                try:
                    registration_reject(
                        registration=registration,
                        reason=form.cleaned_data["reason"],
                        rejected_by=request.user,
                    )
                except RegistrationError as error:
                    self.message_user(request, str(error), messages.WARNING)
                else:
                    rejected += 1
            if rejected:
                self.message_user(
                    request,
                    f"{rejected} inscription(s) refusée(s) ; un e-mail a été envoyé.",
                    messages.SUCCESS,
                )
            return None
        return TemplateResponse(
            request,
            "admin/users/reject_registrations.html",
            {
                **self.admin_site.each_context(request),
                "title": "Refuser des inscriptions",
                "opts": self.model._meta,
                "queryset": queryset.select_related("user"),
                "form": form,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )
