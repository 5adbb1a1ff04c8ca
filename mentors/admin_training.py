"""The trainings in the admin. Coordinators plan the sessions, sign mentors up and record who
attended; a référent reads the sessions and records the attendance of the mentors they
accompany (the registrations list and the session's page show them only those). A session is
national (every mentor may attend) or an antenne's: an antenne coordinator sees the national
sessions and their antenne's, plans their antenne's own and changes only those; their mentors'
seats are theirs, whichever the session. Every write goes through
mentors/services_training.py: seats are counted under the session's lock."""

from django import forms
from django.contrib import admin, messages
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.html import format_html

from users.admin_filters import YesNoFilter
from users.admin_scoping import ScopedAdmin, is_scoped, rows_in_scope, scoped_choices
from users.antennes import Antenne
from users.form_bounds import DeclaredBoundsAdmin
from users.scopes import staff_scope

from .errors import MentorError
from .models import Mentor
from .services_training import (
    training_attendance_record,
    training_cancel,
    training_seat_add,
    training_seat_refusal,
)
from .training import TrainingRegistration, TrainingSession

NATIONAL_SESSION = "Session nationale (ouverte à tous les mentors)"
# Where a seat's mentor is: their référent, their antenne (users.admin_scoping).
SEAT_REFERENT = "mentor__referent"
SEAT_ANTENNE = ("mentor__antenne",)


def paris(moment) -> str:
    return f"{timezone.localtime(moment):%d/%m/%Y %H:%M}"


def attendance_words(attended) -> str:
    # In words: Django's boolean icons say « True » / « False » to a screen reader.
    return {True: "présent", False: "absent", None: "à noter"}[attended]


class AttendanceToRecordFilter(YesNoFilter):
    """`?presence_a_noter=oui`: seats of sessions already started whose attendance nobody has
    recorded yet (the staff home's figure)."""

    title = "présence à noter"
    parameter_name = "presence_a_noter"

    def condition(self):
        # `TrainingRegistration.objects.to_record`, as a condition.
        return Q(attended__isnull=True, session__starts_at__lte=timezone.now())


class SessionFilter(admin.RelatedFieldListFilter):
    """The seats of one session, among the sessions the staff member sees (an antenne
    coordinator: the national ones and their antenne's)."""

    def field_choices(self, field, request, model_admin):
        sessions = scoped_choices(model_admin.admin_site, request, TrainingSession)
        ordering = self.field_admin_ordering(field, request, model_admin)
        if ordering:
            sessions = sessions.order_by(*ordering)
        return [(session.pk, str(session)) for session in sessions]


class ComingFilter(YesNoFilter):
    title = "à venir"
    parameter_name = "a_venir"

    def condition(self):
        return Q(starts_at__gt=timezone.now())


class AttendanceSelect(forms.NullBooleanSelect):
    """« à noter / présent / absent » rather than « Inconnu / Oui / Non »."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = [("unknown", "à noter"), ("true", "présent"), ("false", "absent")]


def attendance_field(**attrs):
    return forms.NullBooleanField(
        label="présence", required=False, widget=AttendanceSelect(attrs=attrs or None)
    )


class RegistrationInlineForm(forms.ModelForm):
    # A table's cell has no label of its own: the select names itself.
    attended = attendance_field(**{"aria-label": "Présence"})

    class Meta:
        model = TrainingRegistration
        fields = ["mentor", "attended"]


class AttendanceListForm(forms.ModelForm):
    # A list's cell has no label of its own: the select names itself.
    attended = attendance_field(**{"aria-label": "Présence"})

    class Meta:
        model = TrainingRegistration
        fields = ["attended"]


class RegistrationForm(forms.ModelForm):
    attended = attendance_field()

    class Meta:
        model = TrainingRegistration
        fields = ["session", "mentor", "attended"]

    def clean(self):
        cleaned = super().clean()
        session, mentor = cleaned.get("session"), cleaned.get("mentor")
        if self.instance.pk is None and session is not None and mentor is not None:
            # The service's refusal beside its field; the service asks again under the lock.
            refusal = training_seat_refusal(
                session=session, mentor=mentor, now=timezone.now(), started_ok=True
            )
            for field, message in (refusal or {}).items():
                self.add_error(field, message)
        return cleaned


class TrainingRegistrationInline(admin.TabularInline):
    model = TrainingRegistration
    form = RegistrationInlineForm
    extra = 0
    # A seat is removed from the seats' list (its delete page): the table's checkboxes would
    # have no label of their own.
    can_delete = False
    fields = ["mentor", "signed_up_at", "attended", "attendance_recorded_by"]
    readonly_fields = ["signed_up_at", "attendance_recorded_by"]
    autocomplete_fields = ["mentor"]
    verbose_name = "mentor inscrit"
    verbose_name_plural = "mentors inscrits"

    def get_queryset(self, request):
        # The seats of the staff member's own mentors (their scope), as the seats' list.
        registrations = (
            super().get_queryset(request).select_related("mentor__user", "attendance_recorded_by")
        )
        return rows_in_scope(request, registrations, referent=SEAT_REFERENT, antenne=SEAT_ANTENNE)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "mentor" and is_scoped(request):
            kwargs["queryset"] = scoped_choices(self.admin_site, request, Mentor)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        # Who the seat is for is not changed afterwards: remove the seat, add another.
        return self.readonly_fields


@admin.register(TrainingSession)
class TrainingSessionAdmin(ScopedAdmin, DeclaredBoundsAdmin, admin.ModelAdmin):
    list_display = ["title", "kind", "when", "where", "seats", "attended_count", "antenne_name"]
    list_filter = [ComingFilter, "kind"]
    search_fields = ["title", "place"]
    fields = [
        *("kind", "title", "starts_at", "duration_minutes"),
        *("place", "video_link", "capacity", "antenne"),
    ]
    inlines = [TrainingRegistrationInline]
    date_hierarchy = None
    ordering = ["-starts_at", "-pk"]

    def antenne_rows(self, request, queryset):
        # The national sessions are open to the antenne's mentors too.
        return queryset.open_to(staff_scope(request.user).antenne_id)

    def referent_rows(self, request, queryset):
        # A référent reads every session (their mentors may attend any); the seats they see
        # are their mentors' only.
        return queryset

    def _theirs(self, request, obj) -> bool:
        """Whether the staff member may change the session: an antenne coordinator, their
        antenne's only (a national session is the national team's)."""
        scope = staff_scope(request.user)
        return obj is None or not scope.antenne_scoped or obj.antenne_id == scope.antenne_id

    def has_change_permission(self, request, obj=None):
        return self._theirs(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._theirs(request, obj) and super().has_delete_permission(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "antenne":
            scope = staff_scope(request.user)
            if scope.antenne_scoped:
                # Their antenne's session: the one choice, required.
                kwargs["queryset"] = Antenne.objects.filter(pk=scope.antenne_id)
                kwargs["empty_label"] = None
                kwargs["required"] = True
                kwargs["initial"] = scope.antenne_id
                kwargs["help_text"] = "Une session de votre antenne, pour ses mentors."
            else:
                kwargs["empty_label"] = NATIONAL_SESSION
                kwargs["help_text"] = (
                    "Les mentors de l'antenne seulement ; sans antenne, une session nationale, "
                    "ouverte à tous les mentors."
                )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_queryset(self, request):
        # The seats taken and the attendance, in the list's own query.
        return (
            super()
            .get_queryset(request)
            .select_related("antenne")
            .annotate(
                signed_up=Count("registrations", distinct=True),
                attended_count=Count(
                    "registrations", filter=Q(registrations__attended=True), distinct=True
                ),
            )
        )

    @admin.display(description="date et heure (Paris)", ordering="starts_at")
    def when(self, obj):
        return paris(obj.starts_at)

    @admin.display(description="lieu ou visio")
    def where(self, obj):
        return obj.place or ("visio" if obj.video_link else "—")

    @admin.display(description="inscrits / places")
    def seats(self, obj):
        return f"{obj.signed_up} / {obj.capacity}"

    @admin.display(description="présents", ordering="attended_count")
    def attended_count(self, obj):
        return obj.attended_count

    @admin.display(description="antenne", ordering="antenne__name")
    def antenne_name(self, obj):
        return obj.antenne.name if obj.antenne_id else "nationale"

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "video_link":
            kwargs["assume_scheme"] = "https"
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        scope = staff_scope(request.user)
        if scope.antenne_scoped:
            # The form offers their antenne only; a forged value changes nothing.
            obj.antenne_id = scope.antenne_id
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        if formset.model is not TrainingRegistration:
            return super().save_formset(request, form, formset, change)
        session = form.instance
        # What the admin's change message reads (Django's own save_formset sets them).
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for inline_form in formset.forms:
            if not inline_form.has_changed() or inline_form in formset.deleted_forms:
                continue
            registration = inline_form.instance
            attended = inline_form.cleaned_data.get("attended")
            try:
                if registration.pk is None:
                    registration = training_seat_add(
                        session=session, mentor=inline_form.cleaned_data["mentor"]
                    )
                    formset.new_objects.append(registration)
                    if attended is not None:
                        training_attendance_record(
                            registration=registration, attended=attended, recorded_by=request.user
                        )
                elif "attended" in inline_form.changed_data and attended is not None:
                    training_attendance_record(
                        registration=registration, attended=attended, recorded_by=request.user
                    )
                    formset.changed_objects.append((registration, ["attended"]))
            except MentorError as error:
                self.message_user(
                    request, f"{inline_form.instance.mentor} : {error}", messages.ERROR
                )


@admin.register(TrainingRegistration)
class TrainingRegistrationAdmin(ScopedAdmin, admin.ModelAdmin):
    """The seats, one row per mentor and session: where attendance is recorded in a few
    clicks (the « présent » column is editable in the list)."""

    referent_scope = SEAT_REFERENT
    antenne_scope = SEAT_ANTENNE
    list_display = ["mentor_name", "session_title", "when", "attended", "recorded"]
    list_display_links = ["mentor_name"]
    list_editable = ["attended"]
    list_filter = [
        AttendanceToRecordFilter,
        "attended",
        "session__kind",
        ("session", SessionFilter),
    ]
    list_select_related = ["mentor__user", "session", "attendance_recorded_by"]
    search_fields = ["mentor__user__first_name", "mentor__user__last_name", "session__title"]
    search_help_text = "Cherchez par nom du mentor ou intitulé de la session."
    fields = ["session", "mentor", "signed_up_at", "attended", "recorded"]
    readonly_fields = ["signed_up_at", "recorded"]
    autocomplete_fields = ["mentor"]
    ordering = ["-session__starts_at", "mentor__user__last_name", "pk"]
    form = RegistrationForm

    def get_changelist_form(self, request, **kwargs):
        return AttendanceListForm

    @admin.display(description="mentor", ordering="mentor__user__last_name")
    def mentor_name(self, obj):
        return obj.mentor.user.get_full_name()

    @admin.display(description="session", ordering="session__title")
    def session_title(self, obj):
        return f"{obj.session.title} ({obj.session.get_kind_display()})"

    @admin.display(description="date (Paris)", ordering="session__starts_at")
    def when(self, obj):
        return paris(obj.session.starts_at)

    @admin.display(description="présence notée")
    def recorded(self, obj):
        if obj.attendance_recorded_at is None:
            return "—"
        by = obj.attendance_recorded_by
        name = by.get_full_name() if by else "compte supprimé"
        return format_html("{} ({})", paris(obj.attendance_recorded_at), name)

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:
            return ["session", "mentor", *self.readonly_fields]
        return self.readonly_fields

    def save_model(self, request, obj, form, change):
        attended = form.cleaned_data.get("attended")
        if not change:
            # Checked by the form already; a seat taken meanwhile by somebody else raises.
            registration = training_seat_add(session=obj.session, mentor=obj.mentor)
            obj.pk = registration.pk
        try:
            if (not change or "attended" in form.changed_data) and attended is not None:
                training_attendance_record(
                    registration=obj, attended=attended, recorded_by=request.user
                )
        except MentorError as error:
            self.message_user(request, f"{obj.mentor} : {error}", messages.ERROR)

    def delete_model(self, request, obj):
        if obj.session.starts_at > timezone.now():
            training_cancel(session=obj.session, mentor=obj.mentor)
        else:
            obj.delete()
