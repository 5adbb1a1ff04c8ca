"""Coordinators manage the priority publics and the young people's marks; référents, who read
the young people's pages, read them too. users/0002 gives these permissions only when it runs
after the models exist: here they are given whatever the order.

Permissions are created here, not left to post_migrate, as in users/0002."""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

COORDINATORS_GROUP = "coordinateurs"
REFERENTS_GROUP = "référents"
MODELS = ["prioritypublic", "prioritymark"]
ACTIONS = ["add", "change", "delete", "view"]


def _permissions(Permission, actions):
    return Permission.objects.filter(
        content_type__app_label="mentees",
        codename__in=[f"{action}_{model}" for action in actions for model in MODELS],
    )


def grant(apps, schema_editor):
    create_permissions(global_apps.get_app_config("mentees"), apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for coordinators in Group.objects.filter(name=COORDINATORS_GROUP):
        coordinators.permissions.add(*_permissions(Permission, ACTIONS))
    for referents in Group.objects.filter(name=REFERENTS_GROUP):
        # Exactly reading: users/0002 gives référents every `view_` of this app.
        referents.permissions.remove(*_permissions(Permission, ["add", "change", "delete"]))
        referents.permissions.add(*_permissions(Permission, ["view"]))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name__in=[COORDINATORS_GROUP, REFERENTS_GROUP]):
        group.permissions.remove(*_permissions(Permission, ACTIONS))


class Migration(migrations.Migration):
    dependencies = [
        ("mentees", "0004_remove_former_public_fields"),
        ("users", "0002_staff_groups"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
