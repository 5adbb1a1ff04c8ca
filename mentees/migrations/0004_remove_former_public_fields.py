"""The priority publics are marks only (0003 turned the former yes/no answers into marks): the
five former fields go. Going back puts the answers back from the marks of their public."""

import django.db.models.deletion
import django.utils.timezone
import simple_history.models
from django.conf import settings
from django.db import migrations, models


# The former fields and the public each one declared (as in 0003).
FORMER_FIELDS = {
    "lives_in_qpv": "QPV",
    "followed_by_mission_locale": "MISSION_LOCALE",
    "has_no_network": "SANS_RESEAU",
    "at_risk_of_dropout": "DECROCHAGE",
    "needs_orientation_help": "ORIENTATION",
}


def restore_former_fields(apps, schema_editor):
    Mentee = apps.get_model("mentees", "Mentee")
    PriorityMark = apps.get_model("mentees", "PriorityMark")
    for field, code in FORMER_FIELDS.items():
        marked = PriorityMark.objects.filter(public__code=code).values("mentee_id")
        Mentee.objects.filter(pk__in=marked).update(**{field: True})


class Migration(migrations.Migration):
    dependencies = [
        ("mentees", "0003_seed_priority_publics"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, restore_former_fields),
        migrations.RemoveField(
            model_name="historicalmentee",
            name="at_risk_of_dropout",
        ),
        migrations.RemoveField(
            model_name="historicalmentee",
            name="followed_by_mission_locale",
        ),
        migrations.RemoveField(
            model_name="historicalmentee",
            name="has_no_network",
        ),
        migrations.RemoveField(
            model_name="historicalmentee",
            name="lives_in_qpv",
        ),
        migrations.RemoveField(
            model_name="historicalmentee",
            name="needs_orientation_help",
        ),
        migrations.RemoveField(
            model_name="mentee",
            name="at_risk_of_dropout",
        ),
        migrations.RemoveField(
            model_name="mentee",
            name="followed_by_mission_locale",
        ),
        migrations.RemoveField(
            model_name="mentee",
            name="has_no_network",
        ),
        migrations.RemoveField(
            model_name="mentee",
            name="lives_in_qpv",
        ),
        migrations.RemoveField(
            model_name="mentee",
            name="needs_orientation_help",
        ),
        migrations.CreateModel(
            name="HistoricalPriorityMark",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                (
                    "declared_by",
                    models.CharField(
                        choices=[("mentee", "Le jeune"), ("staff", "L'équipe")],
                        default="mentee",
                        max_length=8,
                        verbose_name="déclaré par",
                    ),
                ),
                (
                    "declared_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, verbose_name="déclaré le"
                    ),
                ),
                (
                    "confirmed_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="confirmé le"),
                ),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "confirmed_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="confirmé par",
                    ),
                ),
                (
                    "declared_by_user",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="membre de l'équipe qui l'a déclaré",
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "mentee",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="mentees.mentee",
                        verbose_name="jeune",
                    ),
                ),
                (
                    "public",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="mentees.prioritypublic",
                        verbose_name="public prioritaire",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical public prioritaire du jeune",
                "verbose_name_plural": "historical publics prioritaires des jeunes",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
    ]
