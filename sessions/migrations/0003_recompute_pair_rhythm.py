"""Recompute every pair's rhythm columns: the next meeting is now due after the last session
that qualifies (at least 1h30), no longer after the last session of any length."""

from django.db import migrations
from django.db.models import Count, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

# Frozen here as it was when the rule changed (users.programme.MINIMUM_SESSION_MINUTES): a
# migration replays the past, whatever the rule becomes.
MINIMUM_SESSION_MINUTES = 90


def recompute(apps, schema_editor):
    Mentorship = apps.get_model("matching", "Mentorship")
    Session = apps.get_model("mentoring_sessions", "Session")
    sessions = Session.objects.filter(mentorship=OuterRef("pk")).order_by("-held_on")
    qualifying = sessions.filter(duration_minutes__gte=MINIMUM_SESSION_MINUTES)
    qualifying_count = (
        qualifying.order_by().values("mentorship").annotate(count=Count("pk")).values("count")
    )
    # One UPDATE for every pair, whatever their number.
    Mentorship.objects.update(
        last_session_on=Subquery(sessions.values("held_on")[:1]),
        last_qualifying_session_on=Subquery(qualifying.values("held_on")[:1]),
        qualifying_sessions=Coalesce(Subquery(qualifying_count), Value(0)),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("mentoring_sessions", "0002_session_latest_first_index"),
        ("matching", "0006_last_qualifying_session"),
    ]

    operations = [migrations.RunPython(recompute, migrations.RunPython.noop)]
