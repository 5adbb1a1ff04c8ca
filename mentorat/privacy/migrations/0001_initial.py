"""The RGPD trails (erasures, data accesses) move from the users app, with their rows: the
models are taken over in the state, their tables renamed, and their content types (hence their
permissions, and any group holding them) relabelled."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

MODELS = ["erasurerecord", "dataaccessrecord"]


def relabel_content_types(old_label, new_label):
    def relabel(apps, schema_editor):
        ContentType = apps.get_model("contenttypes", "ContentType")
        for model in MODELS:
            # A row made meanwhile under the new label holds no grant: the old one, whose
            # permissions groups may hold, takes its place.
            if ContentType.objects.filter(app_label=old_label, model=model).exists():
                ContentType.objects.filter(app_label=new_label, model=model).delete()
                ContentType.objects.filter(app_label=old_label, model=model).update(
                    app_label=new_label
                )

    return relabel


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("users", "0009_privacy_records_leave_users"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ErasureRecord",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "person_id",
                            models.PositiveIntegerField(
                                db_index=True, verbose_name="identifiant du compte"
                            ),
                        ),
                        (
                            "reason",
                            models.CharField(
                                choices=[
                                    ("request", "Demande de la personne"),
                                    ("retention", "Durée de conservation écoulée"),
                                ],
                                max_length=16,
                                verbose_name="motif",
                            ),
                        ),
                        (
                            "performed_at",
                            models.DateTimeField(
                                default=django.utils.timezone.now, verbose_name="anonymisé le"
                            ),
                        ),
                        (
                            "performed_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="anonymisé par",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "anonymisation",
                        "verbose_name_plural": "anonymisations",
                        "ordering": ["-performed_at"],
                        "db_table": "users_erasurerecord",
                    },
                ),
                migrations.CreateModel(
                    name="DataAccessRecord",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "person_id",
                            models.PositiveIntegerField(
                                db_index=True, verbose_name="identifiant du compte"
                            ),
                        ),
                        (
                            "accessed_at",
                            models.DateTimeField(
                                default=django.utils.timezone.now, verbose_name="consulté le"
                            ),
                        ),
                        (
                            "format",
                            models.CharField(
                                choices=[("page", "Page"), ("json", "Fichier JSON")],
                                max_length=8,
                                verbose_name="forme",
                            ),
                        ),
                        (
                            "accessed_by",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="consulté par",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "consultation de données personnelles",
                        "verbose_name_plural": "consultations de données personnelles",
                        "ordering": ["-accessed_at"],
                        "db_table": "users_dataaccessrecord",
                    },
                ),
            ],
            database_operations=[],
        ),
        # The tables take the app's name (privacy_erasurerecord, privacy_dataaccessrecord).
        migrations.AlterModelTable(name="erasurerecord", table=None),
        migrations.AlterModelTable(name="dataaccessrecord", table=None),
        migrations.RunPython(
            relabel_content_types("users", "privacy"), relabel_content_types("privacy", "users")
        ),
    ]
