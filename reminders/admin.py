from django.contrib import admin, messages
from django.db import transaction

from users.admin import ACCOUNT_ANTENNES
from users.admin_scoping import ScopedAdmin
from users.scopes import staff_scope

from .enums import ReminderStatus
from .models import Reminder, ReminderPreference
from .tasks import send_reminder


@admin.register(Reminder)
class ReminderAdmin(ScopedAdmin, admin.ModelAdmin):
    """The history of reminders: read-only, since a row is the proof of what was sent. An
    antenne coordinator reads those sent to their antenne's people and team (a guardian's,
    who has no account, is the national team's)."""

    antenne_scope = tuple(f"recipient__{path}" for path in ACCOUNT_ANTENNES)

    # No exact COUNT(*) over the whole table on each changelist page (large tables).
    show_full_result_count = False
    list_display = [
        "kind",
        "recipient_display",
        "target",
        "period",
        "status",
        "created_at",
        "sent_at",
        "attempts",
    ]
    list_filter = ["kind", "status"]
    date_hierarchy = "created_at"
    search_fields = ["recipient_email", "recipient__email"]
    list_select_related = ["recipient"]
    readonly_fields = [
        "kind",
        "target",
        "recipient",
        "recipient_email",
        "period",
        "status",
        "created_at",
        "sent_at",
        "attempts",
        "last_error",
    ]
    actions = ["resend"]

    @admin.display(description="destinataire", ordering="recipient_email")
    def recipient_display(self, obj):
        return obj.recipient_email or (obj.recipient.email if obj.recipient else "—")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_resend_permission(self, request):
        # The page is read-only (no change permission), yet resending needs the right to act.
        return request.user.has_perm("reminders.change_reminder")

    @admin.action(description="Renvoyer les rappels en échec", permissions=["resend"])
    def resend(self, request, queryset):
        with transaction.atomic():
            ids = list(
                queryset.filter(status=ReminderStatus.FAILED)
                .select_for_update()
                .values_list("pk", flat=True)
            )
            # last_error is kept: it says why the previous attempts failed.
            Reminder.objects.filter(pk__in=ids).update(status=ReminderStatus.PENDING)
            for pk in ids:
                send_reminder.delay_on_commit(pk)
        skipped = queryset.count() - len(ids)
        self.message_user(request, f"{len(ids)} rappel(s) remis en file d'envoi.", messages.SUCCESS)
        if skipped:
            self.message_user(
                request,
                f"{skipped} rappel(s) ignoré(s) : seuls les rappels en échec sont renvoyés.",
                messages.WARNING,
            )


@admin.register(ReminderPreference)
class ReminderPreferenceAdmin(ScopedAdmin, admin.ModelAdmin):
    # An antenne coordinator changes those of their antenne's people and team, never whose
    # preference it is; a preference is added by the national team (the accounts are theirs).
    antenne_scope = tuple(f"user__{path}" for path in ACCOUNT_ANTENNES)

    list_display = ["user", "frequency"]
    list_filter = ["frequency"]
    search_fields = ["user__email", "user__last_name"]
    list_select_related = ["user"]
    autocomplete_fields = ["user"]

    def has_add_permission(self, request):
        return staff_scope(request.user).national and super().has_add_permission(request)

    def get_readonly_fields(self, request, obj=None):
        # The accounts' admin (its autocomplete) is the national team's.
        return ["user"] if staff_scope(request.user).antenne_scoped else []
