from django.contrib import admin
from django.db.models import Q

from mentees.models import Mentee
from mentors.models import Mentor
from users.admin_scoping import ScopedAdmin
from users.scopes import staff_scope

from .models import DataAccessRecord, ErasureRecord


class CoordinatorsReadOnlyAdmin(ScopedAdmin, admin.ModelAdmin):
    """A trail: read-only, and for coordinators only. An antenne coordinator reads the rows
    of their antenne's people (a trail keeps the account's id, not a link: the person's
    registration says where they are, and stays, anonymised, after an erasure); the staff's
    and the prescribers' rows are the national team's."""

    def has_module_permission(self, request):
        # Every admin page asks each registered admin: the scope is read once per request.
        return staff_scope(request.user).coordinator

    def has_view_permission(self, request, obj=None):
        return staff_scope(request.user).coordinator

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def antenne_rows(self, request, queryset):
        antenne_id = staff_scope(request.user).antenne_id
        people = Q(
            person_id__in=Mentor.objects.filter(antenne_id=antenne_id).values("user_id")
        ) | Q(person_id__in=Mentee.objects.filter(antenne_id=antenne_id).values("user_id"))
        return queryset.filter(people)


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
