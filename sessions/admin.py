"""Sessions in the admin: read, filter, follow up and (coordinators only) delete.

Nothing a member wrote is edited here: sessions and evaluations are read-only. What changes
goes through sessions.services, like everywhere else: the follow-up (inline and the « Marquer
comme vues » action) through `session_follow_up`, a deletion through `session_delete`, which
recomputes the pair's rhythm and records who deleted the session."""

from django import forms
from django.contrib import admin, messages
from django.db.models import Q
from django.forms.models import BaseInlineFormSet
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from matching.rules import MINIMUM_SESSION_MINUTES
from matching.services import PairRuleError
from users.admin_filters import YesNoFilter
from users.admin_lists import LeanChangeList
from users.admin_scoping import ScopedAdmin
from users.programme import RULES
from users.scopes import staff_scope

from . import services
from .models import (
    NOT_COUNTING_FOR_RHYTHM,
    FollowUp,
    PlannedMeeting,
    Session,
    SessionEvaluation,
)

PAIR_MEMBERS = ["mentorship__mentor__user", "mentorship__mentee__user"]
FOLLOW_UP_FIELDS = ["reviewed", "needs_attention", "comment"]
# A pair's rows are an antenne's when the young person's or the mentor's antenne is.
PAIR_ANTENNES = ("mentorship__mentee__antenne", "mentorship__mentor__antenne")


def follow_up_of(session: Session) -> FollowUp | None:
    try:
        return session.follow_up
    except FollowUp.DoesNotExist:
        return None


class DurationFilter(admin.SimpleListFilter):
    title = "durée"
    parameter_name = "duree"

    def lookups(self, request, model_admin):
        minimum = RULES.session_minimum
        return [("courte", f"Moins de {minimum}"), ("programme", f"{minimum} ou plus")]

    def queryset(self, request, queryset):
        if self.value() == "courte":
            return queryset.filter(duration_minutes__lt=MINIMUM_SESSION_MINUTES)
        if self.value() == "programme":
            return queryset.qualifying()
        return queryset


class FollowUpStateFilter(admin.SimpleListFilter):
    title = "suivi"
    parameter_name = "suivi"

    def lookups(self, request, model_admin):
        return [("attente", "En attente de suivi"), ("vue", "Vue par le référent")]

    def queryset(self, request, queryset):
        if self.value() == "attente":
            # The référents' queue, by its one definition; the change list re-sorts it.
            return queryset.awaiting_follow_up()
        if self.value() == "vue":
            return queryset.filter(follow_up__reviewed=True)
        return queryset


class NeedsAttentionFilter(YesNoFilter):
    title = "à surveiller"
    parameter_name = "a_surveiller"

    def condition(self):
        return Q(follow_up__needs_attention=True)


class SessionEvaluationInline(admin.TabularInline):
    """The members' evaluations: theirs to write, the staff's to read."""

    model = SessionEvaluation
    extra = 0
    can_delete = False
    fields = ["side", "rating", "objectives_progress", "comment", "author", "created_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class FollowUpFormSet(BaseInlineFormSet):
    """Saved by SessionAdmin through `session_follow_up`; refuses, beside the form, a follow-up
    by someone the programme does not let follow this mentor."""

    request_user = None

    def clean(self):
        super().clean()
        changed = any(form.has_changed() for form in self.forms)
        if changed and not services.may_follow_up(self.instance.mentorship, self.request_user):
            raise forms.ValidationError("Seul le référent du mentor suit ses séances.")


class FollowUpInline(admin.StackedInline):
    model = FollowUp
    formset = FollowUpFormSet
    extra = 1
    max_num = 1
    can_delete = False
    fields = [*FOLLOW_UP_FIELDS, "reviewed_at", "reviewed_by"]
    readonly_fields = ["reviewed_at", "reviewed_by"]

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.request_user = request.user
        return formset


@admin.register(Session)
class SessionAdmin(ScopedAdmin, LeanChangeList, SimpleHistoryAdmin):
    referent_scope = "mentorship__mentor__referent"
    antenne_scope = PAIR_ANTENNES
    # No exact COUNT(*) over the whole table on each changelist page (large tables).
    show_full_result_count = False
    list_display = ["__str__", "pair", "held_on", "duration", "format", "follow_up_state"]
    # No date_hierarchy: its links cost a scan of the whole table (MIN/MAX, then DISTINCT
    # DATE_TRUNC) on every page; the date filter below costs no query.
    list_filter = [FollowUpStateFilter, NeedsAttentionFilter, DurationFilter, "format", "held_on"]
    search_fields = [
        "mentorship__mentor__user__first_name",
        "mentorship__mentor__user__last_name",
        "mentorship__mentor__user__email",
        "mentorship__mentee__user__first_name",
        "mentorship__mentee__user__last_name",
        "mentorship__mentee__user__email",
    ]
    # One query for the rows, whatever their number: both members and the follow-up. (The
    # change list applies it only if get_queryset has not already selected related rows.)
    list_select_related = [*PAIR_MEMBERS, "follow_up"]
    list_only = (
        *("held_on", "duration_minutes", "format"),
        *("mentorship__mentor__user__first_name", "mentorship__mentor__user__last_name"),
        *("mentorship__mentee__user__first_name", "mentorship__mentee__user__last_name"),
        *("mentorship__mentor__user__email", "mentorship__mentee__user__email"),
        *("follow_up__reviewed", "follow_up__needs_attention"),
    )
    fieldsets = [
        ("Séance", {"fields": ["mentorship", "held_on", "duration", "format"]}),
        ("Contenu", {"fields": ["topics", "other_topic", "summary", "next_steps"]}),
        ("Saisie", {"fields": ["logged_by", "logged_at"]}),
    ]
    readonly_fields = [
        "mentorship",
        "held_on",
        "duration",
        "format",
        "topics",
        "other_topic",
        "summary",
        "next_steps",
        "logged_by",
        "logged_at",
    ]
    inlines = [SessionEvaluationInline, FollowUpInline]
    actions = ["mark_reviewed"]

    @admin.display(description="binôme", ordering="mentorship")
    def pair(self, obj):
        return str(obj.mentorship)

    @admin.display(description="durée", ordering="duration_minutes")
    def duration(self, obj):
        if obj.is_below_minimum:
            return format_html(
                '{} min <strong class="below-minimum">({})</strong>',
                obj.duration_minutes,
                NOT_COUNTING_FOR_RHYTHM,
            )
        return f"{obj.duration_minutes} min"

    @admin.display(description="suivi")
    def follow_up_state(self, obj):
        follow_up = follow_up_of(obj)
        if follow_up is None or not follow_up.reviewed:
            return "En attente"
        return "Vue, à surveiller" if follow_up.needs_attention else "Vue"

    def has_add_permission(self, request):
        # Sessions are logged by the pair's mentor, in their space.
        return False

    def has_delete_permission(self, request, obj=None):
        coordinator = staff_scope(request.user).coordinator
        return coordinator and super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        # Every field of the session is read-only here: only the follow-up inline is saved.
        pass

    def save_formset(self, request, form, formset, change):
        if formset.model is not FollowUp:
            return super().save_formset(request, form, formset, change)
        # What the admin's change message reads, as if the formset had saved itself.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for inline_form in formset.forms:
            if not inline_form.has_changed():
                continue
            existed = inline_form.instance.pk is not None
            follow_up = services.session_follow_up(
                session=form.instance,
                referent=request.user,
                **{name: inline_form.cleaned_data[name] for name in FOLLOW_UP_FIELDS},
            )
            if existed:
                formset.changed_objects.append((follow_up, inline_form.changed_data))
            else:
                formset.new_objects.append(follow_up)
        return None

    @admin.action(description="Marquer comme vues par le référent", permissions=["change"])
    def mark_reviewed(self, request, queryset):
        marked, refused = 0, 0
        for session in queryset.select_related("mentorship__mentor", "follow_up"):
            follow_up = follow_up_of(session)
            if follow_up is not None and follow_up.reviewed:
                continue
            try:
                # The comment and the flag already written are kept.
                services.session_follow_up(
                    session=session,
                    referent=request.user,
                    comment=follow_up.comment if follow_up else "",
                    needs_attention=follow_up.needs_attention if follow_up else False,
                )
            except PairRuleError:
                refused += 1
            else:
                marked += 1
        if marked:
            self.message_user(request, f"{marked} séance(s) marquée(s) comme vue(s).")
        if refused:
            self.message_user(
                request,
                f"{refused} séance(s) non marquée(s) : seul le référent du mentor suit ses "
                "séances.",
                messages.WARNING,
            )

    def delete_model(self, request, obj):
        services.session_delete(session=obj, deleted_by=request.user)

    def delete_queryset(self, request, queryset):
        # One by one: each deletion recomputes its pair's rhythm and is recorded with the user.
        for session in queryset:
            services.session_delete(session=session, deleted_by=request.user)


@admin.register(PlannedMeeting)
class PlannedMeetingAdmin(ScopedAdmin, admin.ModelAdmin):
    """Planned by the pair in their space: read here, never changed."""

    referent_scope = "mentorship__mentor__referent"
    antenne_scope = PAIR_ANTENNES

    list_display = ["__str__", "mentorship", "duration_minutes", "place", "video_link"]
    list_select_related = ["mentorship__mentor__user", "mentorship__mentee__user"]
    search_fields = SessionAdmin.search_fields
    readonly_fields = [
        "mentorship",
        "starts_at",
        "duration_minutes",
        "place",
        "video_link",
        "planned_by",
        "updated_at",
    ]
    fields = readonly_fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
