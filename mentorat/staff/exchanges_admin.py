"""The admin of the référents' exchanges, kept apart from mentors/admin.py (edited by the
role-scoping work) and registered when the référent's URLs are loaded."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from mentors.models import Exchange


@admin.register(Exchange)
class ExchangeAdmin(SimpleHistoryAdmin):
    list_display = ["happened_on", "kind", "referent", "created_at"]
    list_filter = ["kind"]
    list_select_related = ["referent"]
    date_hierarchy = "happened_on"
    autocomplete_fields = ["mentors"]
    raw_id_fields = ["referent"]

    def get_queryset(self, request):
        from users.roles import is_coordinator

        queryset = super().get_queryset(request)
        # A référent sees their own log only; coordinators see everyone's.
        if is_coordinator(request.user):
            return queryset
        return queryset.filter(referent=request.user)
