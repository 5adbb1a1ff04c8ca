"""Each mentor belongs to the antenne of their département (users/antennes.py); the existing
ones are routed here to the antennes that exist when it runs (none on a fresh database: an
antenne created later in the admin takes the registrations of its départements then)."""

import django.db.models.deletion
from django.db import migrations, models


def route_existing(apps, schema_editor):
    Registration = apps.get_model("mentors", "mentor")
    AntenneDepartment = apps.get_model("users", "AntenneDepartment")
    for covered in AntenneDepartment.objects.all():
        Registration.objects.filter(department=covered.department, antenne=None).update(
            antenne_id=covered.antenne_id
        )


class Migration(migrations.Migration):
    dependencies = [
        ("mentors", "0008_training_permissions"),
        ("users", "0013_antennes"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalmentor",
            name="antenne",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="users.antenne",
                verbose_name="antenne",
            ),
        ),
        migrations.AddField(
            model_name="mentor",
            name="antenne",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="%(class)ss",
                to="users.antenne",
                verbose_name="antenne",
            ),
        ),
        migrations.RunPython(route_existing, migrations.RunPython.noop),
    ]
