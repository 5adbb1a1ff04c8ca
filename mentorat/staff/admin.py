"""The staff's admin: the référents' exchanges with their mentors, and the admin of the
libraries' technical models (django-axes' login attempts and logs,
django-otp's authenticator apps, django.contrib.auth's groups), in French and without what
an audit of their pages finds wrong.

Axes' lists offer a filter per URL path whose empty value is a link without text: they are
registered again here, as subclasses. django-otp's admin is in English only, names its model
« TOTP device » and adds pages that show a secret: it is replaced by the admin of the
French-named proxy users.AuthenticatorDevice. The groups' permissions are named in English
(« Can add mentor »), as Django stores them: the group form names them in French.

An antenne coordinator (users.scopes) sees the exchanges with their antenne's mentors and the
authenticator apps of their antenne's team; the login logs name accounts by their address
only, whoever they are: they are the national team's, like the groups."""

from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin, IsLockedOutFilter
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django import forms
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin
from django.contrib.auth.models import Group
from django.db.models import Q
from django_otp.plugins.otp_totp.models import TOTPDevice
from simple_history.admin import SimpleHistoryAdmin

from mentors.models import Exchange, Mentor
from users.admin_scoping import NationalOnlyAdmin, ScopedAdmin, is_scoped, scoped_choices
from users.models import AuthenticatorDevice, User
from users.scopes import staff_scope

for registered in (AccessAttempt, AccessLog, AccessFailureLog, TOTPDevice, Group):
    admin.site.unregister(registered)


# Logins are made on one path: a filter by path tells nothing.


@admin.register(AccessAttempt)
class FrenchAccessAttemptAdmin(NationalOnlyAdmin, AccessAttemptAdmin):
    list_filter = ["attempt_time", IsLockedOutFilter]


@admin.register(AccessLog)
class FrenchAccessLogAdmin(NationalOnlyAdmin, AccessLogAdmin):
    list_filter = ["attempt_time", "logout_time"]


@admin.register(AccessFailureLog)
class FrenchAccessFailureLogAdmin(NationalOnlyAdmin, AccessFailureLogAdmin):
    list_filter = ["attempt_time", "locked_out"]


# The groups' permissions: « Comptes et inscriptions | utilisateur | voir ».
PERMISSION_ACTIONS = {"add": "ajouter", "change": "modifier", "delete": "supprimer", "view": "voir"}
# The libraries' models whose names are not translated.
LIBRARY_MODEL_NAMES = {
    "axes.accessattemptexpiration": "expiration de tentative de connexion",
}
# django-otp's own devices: their admin is the proxy's (users.AuthenticatorDevice), whose
# permissions are the ones that count; the library's open nothing.
UNUSED_PERMISSION_APPS = ["otp_totp"]


def model_name(model) -> str:
    """A model's name in French: a history (django-simple-history) or a many-to-many's links
    named after their model, which Django and the library name in English."""
    instance = getattr(model, "instance_type", None)
    if isinstance(instance, type):
        return f"historique : {model_name(instance)}"
    if parent := model._meta.auto_created:
        [field] = [
            field
            for field in parent._meta.local_many_to_many
            if field.remote_field.through is model
        ]
        return f"{model_name(parent)} – {field.verbose_name}"
    return str(LIBRARY_MODEL_NAMES.get(model._meta.label_lower, model._meta.verbose_name))


def permission_label(permission) -> str:
    content_type = permission.content_type
    model = content_type.model_class()
    if model is None:
        # A model removed from the code, whose content type is left.
        return f"{content_type.app_label} | {content_type.model} | {permission.name}"
    action, _, rest = permission.codename.partition("_")
    if rest == model._meta.model_name and action in PERMISSION_ACTIONS:
        action = PERMISSION_ACTIONS[action]
    else:
        action = permission.name
    app = apps.get_app_config(content_type.app_label).verbose_name
    return f"{app} | {model_name(model)} | {action}"


class PermissionChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return permission_label(obj)


@admin.register(Group)
class FrenchGroupAdmin(NationalOnlyAdmin, GroupAdmin):
    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        if db_field.name == "permissions":
            kwargs["form_class"] = PermissionChoiceField
            kwargs["queryset"] = db_field.remote_field.model.objects.exclude(
                content_type__app_label__in=UNUSED_PERMISSION_APPS
            ).select_related("content_type")
        return super().formfield_for_manytomany(db_field, request=request, **kwargs)


LABELS = AuthenticatorDevice.FIELD_LABELS


@admin.register(AuthenticatorDevice)
class AuthenticatorDeviceAdmin(ScopedAdmin, admin.ModelAdmin):
    """Coordinators see who has an app and remove a lost one (the person then enrols a new
    one); nobody reads or edits a secret or a setting here. An antenne coordinator helps
    their antenne's team (the apps are the staff's and the prescribers', who are national)."""

    antenne_scope = ("user__antenne_membership__antenne",)

    list_display = ["person", "device_name", "created", "last_used", "is_confirmed"]
    list_select_related = ["user"]
    search_fields = ["user__email", "user__first_name", "user__last_name"]
    search_help_text = "Cherchez par adresse e-mail, prénom ou nom de la personne."
    fields = ["person", "device_name", "is_confirmed", "created", "last_used"]
    readonly_fields = fields

    def has_add_permission(self, request):
        # An app is enrolled by its owner, who scans its QR code: never by somebody else.
        return False

    def has_change_permission(self, request, obj=None):
        # Nothing here can be changed: removing the app is the one thing to do.
        return False

    @admin.display(description=LABELS["user"], ordering="user__email")
    def person(self, obj):
        return obj.user

    @admin.display(description=LABELS["name"], ordering="name")
    def device_name(self, obj):
        return obj.name

    @admin.display(description=LABELS["created_at"], ordering="created_at")
    def created(self, obj):
        return obj.created_at

    @admin.display(description=LABELS["last_used_at"], ordering="last_used_at")
    def last_used(self, obj):
        return obj.last_used_at

    @admin.display(description=LABELS["confirmed"], boolean=True, ordering="confirmed")
    def is_confirmed(self, obj):
        return obj.confirmed


@admin.register(Exchange)
class ExchangeAdmin(ScopedAdmin, SimpleHistoryAdmin):
    # A référent sees their own log only (history included); an antenne coordinator the
    # exchanges with their antenne's mentors (a workshop of several antennes' mentors is each
    # antenne's); national coordinators everyone's.
    referent_scope = "referent"
    antenne_scope = ("mentors__antenne",)
    list_display = ["happened_on", "kind", "referent", "created_at"]
    list_filter = ["kind"]
    list_select_related = ["referent"]
    date_hierarchy = "happened_on"
    autocomplete_fields = ["mentors"]
    raw_id_fields = ["referent"]
    # When it was typed is a fact, not something to edit.
    readonly_fields = ["created_at"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        scope = staff_scope(request.user)
        if db_field.name == "referent" and scope.antenne_scoped:
            # The exchange of one of their antenne's team; an exchange's référent stays a
            # choice (a national référent may follow a mentor of the antenne).
            wanted = Q(antenne_membership__antenne_id=scope.antenne_id)
            current = getattr(request, "_exchange_referent_id", None)
            if current is not None:
                wanted |= Q(pk=current)
            kwargs["queryset"] = User.objects.filter(wanted)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_form(self, request, obj=None, change=False, **kwargs):
        request._exchange_referent_id = obj.referent_id if obj is not None else None
        form = super().get_form(request, obj, change, **kwargs)
        if obj is None or not is_scoped(request) or "mentors" not in form.base_fields:
            return form
        # The attendees the staff member does not see (another antenne's mentors at a shared
        # workshop, another référent's) are neither shown nor offered: they stay on the
        # exchange when it is saved.
        visible = scoped_choices(self.admin_site, request, Mentor).values("pk")
        hidden = list(obj.mentors.exclude(pk__in=visible))
        if not hidden:
            return form

        class KeepingHiddenAttendees(form):
            def clean_mentors(self):
                return [*self.cleaned_data["mentors"], *hidden]

        return KeepingHiddenAttendees
