"""A training session may be an antenne's own, for its mentors; the existing ones stay
national (no antenne), open to every mentor."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("mentors", "0009_mentor_antenne"),
        ("users", "0014_coordinators_antennes"),
    ]

    operations = [
        migrations.AddField(
            model_name="trainingsession",
            name="antenne",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="training_sessions",
                to="users.antenne",
                verbose_name="antenne",
            ),
        ),
    ]
