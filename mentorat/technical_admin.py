"""The admin of the libraries' technical models (django-axes' login attempts, django-otp's
authenticator apps), in French and without what an audit of their pages finds wrong.

django-otp's admin is in English only and axes' list of attempts offers a filter per URL path
whose empty value is a link without text: both are registered again here, as subclasses."""

from axes.admin import AccessAttemptAdmin, IsLockedOutFilter
from axes.models import AccessAttempt
from django.contrib import admin
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice

admin.site.unregister(AccessAttempt)


@admin.register(AccessAttempt)
class FrenchAccessAttemptAdmin(AccessAttemptAdmin):
    # Logins are made on one path: a filter by path tells nothing.
    list_filter = ["attempt_time", IsLockedOutFilter]


admin.site.unregister(TOTPDevice)


@admin.register(TOTPDevice)
class FrenchTOTPDeviceAdmin(TOTPDeviceAdmin):
    """Coordinators see who has an app and remove a lost one (the person then enrols a new
    one); nobody reads or edits a secret or a setting here."""

    list_display = ["person", "device_name", "created", "last_used", "is_confirmed"]
    list_filter = []
    fieldsets = [
        (None, {"fields": ["person", "device_name", "is_confirmed", "created", "last_used"]})
    ]
    readonly_fields = ["person", "device_name", "is_confirmed", "created", "last_used"]
    radio_fields = {}

    def get_fieldsets(self, request, obj=None):
        return self.fieldsets

    def has_add_permission(self, request):
        # An app is enrolled by its owner, who scans its QR code: never by somebody else.
        return False

    @admin.display(description="personne", ordering="user__email")
    def person(self, obj):
        return obj.user

    @admin.display(description="nom de l'appareil", ordering="name")
    def device_name(self, obj):
        return obj.name

    @admin.display(description="ajouté le", ordering="created_at")
    def created(self, obj):
        return obj.created_at

    @admin.display(description="dernier code le", ordering="last_used_at")
    def last_used(self, obj):
        return obj.last_used_at

    @admin.display(description="activé", boolean=True, ordering="confirmed")
    def is_confirmed(self, obj):
        return obj.confirmed
