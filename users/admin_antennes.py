"""The antennes in the admin (national coordinators: the coordinators' group without an
antenne; an antenne coordinator neither sees nor opens them), and moving a person to another
antenne from their page (`registration_move_antenne`): a national coordinator moves anybody,
an antenne coordinator hands a person of their antenne over to another (or to the national
programme), after which the person is no longer theirs."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join

from .admin_scoping import NationalOnlyAdmin
from .admin_views import change_url, url_name
from .antennes import Antenne, AntenneMembership, AntenneMove
from .enums import AntenneRole
from .geography import department_choices, department_label
from .programme import characters_words
from .scopes import staff_scope
from .services import (
    AntenneError,
    antenne_departments_set,
    membership_refusal,
    registration_move_antenne,
)

NATIONAL = "Programme national (aucune antenne)"


class AntenneForm(forms.ModelForm):
    departments_covered = forms.MultipleChoiceField(
        label="Départements couverts",
        choices=department_choices(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 12}),
        help_text="Un département n'appartient qu'à une antenne. Les inscrits des départements "
        "ajoutés qui ne sont rattachés à aucune antenne rejoignent celle-ci ; ceux d'un "
        "département retiré restent (changez-les d'antenne depuis leur fiche). Maintenez Ctrl "
        "(ou Cmd) pour en choisir plusieurs.",
    )

    class Meta:
        model = Antenne
        fields = [
            "name",
            "contact_name",
            "contact_email",
            "contact_phone",
            "address",
            "opening_hours",
            "target_pairs_per_year",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["departments_covered"].initial = [
                row.department for row in self.instance.departments.all()
            ]

    def clean_departments_covered(self):
        departments = self.cleaned_data["departments_covered"]
        taken = (
            Antenne.objects.filter(departments__department__in=departments)
            .exclude(pk=self.instance.pk)
            .values_list("departments__department", "name")
            .order_by("departments__department")
        )
        if taken:
            raise forms.ValidationError(
                "Déjà couvert par une autre antenne : "
                + ", ".join(f"{department_label(code)} ({name})" for code, name in taken)
                + "."
            )
        return departments


class MembershipForm(forms.ModelForm):
    class Meta:
        model = AntenneMembership
        fields = ["user", "role"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # A member stays who they are (remove the row to replace them): their name is
            # shown from the row already read, with no search box nor query per row.
            field = self.fields["user"]
            field.disabled = True
            field.widget = forms.Select(
                choices=[(self.instance.user_id, str(self.instance.user))],
                attrs={"aria-label": f"Membre de l'équipe : {self.instance.user}"},
            )

    def clean(self):
        cleaned = super().clean()
        user, role = cleaned.get("user"), cleaned.get("role")
        # Rows left as they were are not asked again (one query per row asked).
        if user is not None and role and {"user", "role"} & set(self.changed_data):
            refusal = membership_refusal(user, role)
            if refusal:
                self.add_error("role", refusal)
        return cleaned


class MembershipFormSet(BaseInlineFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        # A table's cells have no <label>: each control is named for assistive technologies,
        # after the member it is about when the row has one.
        who = str(form.instance.user) if form.instance.pk else "nouveau membre"
        form.fields["role"].widget.attrs["aria-label"] = f"Rôle de {who}"
        if "DELETE" in form.fields:
            form.fields["DELETE"].widget.attrs["aria-label"] = f"Retirer {who} de l'équipe"


class AntenneMembershipInline(admin.TabularInline):
    model = AntenneMembership
    form = MembershipForm
    formset = MembershipFormSet
    fields = ["user", "role", "created_at"]
    readonly_fields = ["created_at"]
    # A national team has hundreds of staff: a list of every one of them in every row of a
    # big antenne's team made its page megabytes long; the search asks for them instead.
    autocomplete_fields = ["user"]
    extra = 0

    def get_queryset(self, request):
        # Each row's title names the member and the antenne.
        return super().get_queryset(request).select_related("user", "antenne")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name != "user":
            return super().formfield_for_foreignkey(db_field, request, **kwargs)
        kwargs["queryset"] = (
            db_field.related_model.objects.filter(is_staff=True, is_active=True)
            .order_by("last_name", "first_name")
            .only("pk", "first_name", "last_name", "email")
        )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Antenne)
class AntenneAdmin(NationalOnlyAdmin, admin.ModelAdmin):
    form = AntenneForm
    # No second COUNT(*) of the whole table on the list.
    show_full_result_count = False
    inlines = [AntenneMembershipInline]
    list_display = [
        "name",
        "departments_display",
        "contact_email",
        "contact_phone",
        "target_pairs_per_year",
        "members_display",
    ]
    search_fields = ["name", "departments__department", "contact_email"]
    fieldsets = [
        (None, {"fields": ["name", "departments_covered", "target_pairs_per_year"]}),
        (
            "Contacts montrés aux inscrits de l'antenne",
            {
                "fields": [
                    "contact_name",
                    "contact_email",
                    "contact_phone",
                    "address",
                    "opening_hours",
                ],
                "description": "Les mentors et les jeunes de l'antenne voient ces contacts "
                "(dans leur espace et leurs e-mails) à la place de ceux du programme.",
            },
        ),
    ]

    def get_queryset(self, request):
        # The départements and the team's counts without a query per row.
        return (
            super()
            .get_queryset(request)
            .prefetch_related("departments")
            .annotate(
                coordinators_count=Count(
                    "memberships", filter=Q(memberships__role=AntenneRole.COORDINATOR)
                ),
                referents_count=Count(
                    "memberships", filter=Q(memberships__role=AntenneRole.REFERENT)
                ),
            )
        )

    @admin.display(description="départements")
    def departments_display(self, obj):
        return ", ".join(row.department for row in obj.departments.all()) or "—"

    @admin.display(description="équipe")
    def members_display(self, obj):
        return (
            f"{getattr(obj, 'coordinators_count', 0)} coordination, "
            f"{getattr(obj, 'referents_count', 0)} référent(s)"
        )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        try:
            joined = antenne_departments_set(
                antenne=form.instance, departments=form.cleaned_data["departments_covered"]
            )
        except AntenneError as error:  # a concurrent change: the form checked it already
            messages.error(request, str(error))
            return
        if joined:
            messages.info(
                request,
                f"{joined} inscrit(s) de ces départements, sans antenne, rejoignent "
                f"l'antenne {form.instance}.",
            )


@admin.register(AntenneMove)
class AntenneMoveAdmin(NationalOnlyAdmin, admin.ModelAdmin):
    """Read-only: moves are written from the person's page (« Changer d'antenne »)."""

    list_display = ["person", "from_antenne", "to_antenne", "moved_at", "moved_by", "reason"]
    list_select_related = ["person", "from_antenne", "to_antenne", "moved_by"]
    list_filter = ["to_antenne"]
    search_fields = ["person__email", "person__last_name", "reason"]
    readonly_fields = list_display

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# --- A person's antenne, on their page.


class MoveAntenneForm(forms.Form):
    antenne = forms.ModelChoiceField(
        label="Nouvelle antenne",
        queryset=Antenne.objects.all(),
        required=False,
        empty_label=NATIONAL,
        error_messages={"invalid_choice": "Choisissez une antenne de la liste."},
    )
    reason = forms.CharField(
        label="Motif du changement",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Indiquez le motif du changement d'antenne.",
            "max_length": f"Le motif est limité à {characters_words(1000)}.",
        },
    )


def antenne_history(registration) -> str:
    """The person's moves between antennes, newest first (one query)."""
    moves = AntenneMove.objects.filter(person_id=registration.user_id).select_related(
        "from_antenne", "to_antenne", "moved_by"
    )
    rows = [
        (
            date_format(timezone.localtime(move.moved_at), "d/m/Y à H:i"),
            move.from_antenne or "national",
            move.to_antenne or "national",
            move.moved_by or "—",
            move.reason,
        )
        for move in moves
    ]
    if not rows:
        return "Aucun changement d'antenne."
    return format_html(
        "<ul>{}</ul>", format_html_join("", "<li>{} : {} → {} par {} ({})</li>", rows)
    )


def move_antenne(model_admin, request, object_id):
    """The page asking the new antenne and the reason, then the move. The person is looked up
    in the staff member's scope (404 elsewhere): an antenne coordinator moves only their
    antenne's people."""
    if not model_admin.has_change_permission(request):
        raise PermissionDenied
    registration = get_object_or_404(
        model_admin.get_queryset(request).select_related("user", "antenne"), pk=object_id
    )
    hands_over = staff_scope(request.user).antenne_scoped
    back_to = change_url(model_admin, registration)
    form = MoveAntenneForm(
        request.POST if request.method == "POST" else None,
        initial={"antenne": registration.antenne_id},
    )
    if form.is_valid():
        try:
            registration_move_antenne(
                registration=registration,
                antenne=form.cleaned_data["antenne"],
                moved_by=request.user,
                reason=form.cleaned_data["reason"],
            )
        except AntenneError as error:
            form.add_error("antenne", str(error))
        else:
            where = form.cleaned_data["antenne"] or "le programme national"
            messages.success(request, f"{registration} est désormais rattaché·e à : {where}.")
            if hands_over:
                # No longer theirs: their page would answer 404.
                return HttpResponseRedirect(reverse(url_name(model_admin, "changelist")))
            return HttpResponseRedirect(back_to)
    return TemplateResponse(
        request,
        "admin/users/move_antenne.html",
        {
            **model_admin.admin_site.each_context(request),
            "title": f"Changer {registration} d'antenne",
            "opts": model_admin.opts,
            "original": registration,
            "current": registration.antenne or NATIONAL,
            "form": form,
            "back_to": back_to,
            "hands_over": hands_over,
        },
    )
