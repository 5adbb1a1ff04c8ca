"""National coordinators (the coordinators' group) manage the antennes and their staff, and
read the moves of people between antennes (written only by the move service): exactly these
permissions. users/0002 gives them every permission of `users` when it runs after the models
exist (tests do): the others are taken back here.

Permissions are created here, not left to post_migrate, as in users/0002."""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

COORDINATORS_GROUP = "coordinateurs"
ALL = ["view", "add", "change", "delete"]
GRANTED = {
    "antenne": ALL,
    "antennedepartment": ALL,
    "antennemembership": ALL,
    "antennemove": ["view"],
}


def _permissions(Permission, model, actions=None):
    permissions = Permission.objects.filter(
        content_type__app_label="users", content_type__model=model
    )
    if actions is not None:
        permissions = permissions.filter(codename__in=[f"{a}_{model}" for a in actions])
    return permissions


def grant(apps, schema_editor):
    create_permissions(global_apps.get_app_config("users"), apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for coordinators in Group.objects.filter(name=COORDINATORS_GROUP):
        for model, actions in GRANTED.items():
            coordinators.permissions.remove(*_permissions(Permission, model))
            coordinators.permissions.add(*_permissions(Permission, model, actions))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for coordinators in Group.objects.filter(name=COORDINATORS_GROUP):
        for model in GRANTED:
            coordinators.permissions.remove(*_permissions(Permission, model))


class Migration(migrations.Migration):
    dependencies = [("users", "0013_antennes")]

    operations = [migrations.RunPython(grant, revoke)]
