from django.contrib import admin

from users.models import ErasureRecord
from users.roles import is_coordinator


@admin.register(ErasureRecord)
class ErasureRecordAdmin(admin.ModelAdmin):
    """The trail of anonymisations: read-only, coordinators only."""

    list_display = ["person_id", "reason", "performed_at", "performed_by"]
    list_filter = ["reason"]
    list_select_related = ["performed_by"]
    date_hierarchy = "performed_at"
    readonly_fields = ["person_id", "reason", "performed_at", "performed_by"]

    def has_module_permission(self, request):
        return is_coordinator(request.user)

    def has_view_permission(self, request, obj=None):
        return is_coordinator(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
