from django.contrib import admin

from users.roles import is_coordinator

from .models import DataAccessRecord, ErasureRecord


def _is_coordinator(request) -> bool:
    # Every admin page asks each registered admin: one query on the groups per request.
    if not hasattr(request, "_privacy_is_coordinator"):
        request._privacy_is_coordinator = is_coordinator(request.user)
    return request._privacy_is_coordinator


class CoordinatorsReadOnlyAdmin(admin.ModelAdmin):
    """A trail: read-only, and for coordinators only."""

    def has_module_permission(self, request):
        return _is_coordinator(request)

    def has_view_permission(self, request, obj=None):
        return _is_coordinator(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DataAccessRecord)
class DataAccessRecordAdmin(CoordinatorsReadOnlyAdmin):
    """Who read whose personal data (right of access), from the admin or their own space."""

    list_display = ["person_id", "format", "accessed_at", "accessed_by"]
    list_filter = ["format"]
    list_select_related = ["accessed_by"]
    search_fields = ["=person_id"]
    readonly_fields = ["person_id", "format", "accessed_at", "accessed_by"]
    show_full_result_count = False


@admin.register(ErasureRecord)
class ErasureRecordAdmin(CoordinatorsReadOnlyAdmin):
    """The trail of anonymisations: read-only, coordinators only."""

    list_display = ["person_id", "reason", "performed_at", "performed_by"]
    list_filter = ["reason"]
    list_select_related = ["performed_by"]
    date_hierarchy = "performed_at"
    readonly_fields = ["person_id", "reason", "performed_at", "performed_by"]
