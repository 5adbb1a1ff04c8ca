"""The admin of the référents' exchanges, kept apart from mentors/admin.py (edited by the
role-scoping work) and registered when the référent's URLs are loaded."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from mentors.models import Exchange
from users.admin_scoping import ReferentScopedAdmin


@admin.register(Exchange)
class ExchangeAdmin(ReferentScopedAdmin, SimpleHistoryAdmin):
    # A référent sees their own log only (history included); coordinators see everyone's.
    referent_scope = "referent"
    list_display = ["happened_on", "kind", "referent", "created_at"]
    list_filter = ["kind"]
    list_select_related = ["referent"]
    date_hierarchy = "happened_on"
    autocomplete_fields = ["mentors"]
    raw_id_fields = ["referent"]
    # When it was typed is a fact, not something to edit.
    readonly_fields = ["created_at"]
