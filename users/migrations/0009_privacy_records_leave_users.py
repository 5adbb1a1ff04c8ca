"""The RGPD trails (erasures, data accesses) belong to the privacy app: they leave the users
app's state only. Their tables stay; privacy's first migration takes them over."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("users", "0008_coordinators_remove_authenticator_devices"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="ErasureRecord"),
                migrations.DeleteModel(name="DataAccessRecord"),
            ],
            database_operations=[],
        ),
    ]
