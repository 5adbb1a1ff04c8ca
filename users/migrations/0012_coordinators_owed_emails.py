"""Coordinators read the outbox (the e-mails owed, sent or failed) and resend the failed ones:
its view and change permissions, exactly (the change permission is the « Renvoyer » action's;
the admin changes no field). users/0002 gives them every permission of `users` when it runs
after the model exists (tests do): the others are taken back here.

Permissions are created here, not left to post_migrate, as in users/0002."""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

COORDINATORS_GROUP = "coordinateurs"
MODEL = "owedemail"
ACTIONS = ["view", "change"]


def _permissions(Permission, actions=None):
    permissions = Permission.objects.filter(
        content_type__app_label="users", content_type__model=MODEL
    )
    if actions is not None:
        permissions = permissions.filter(codename__in=[f"{a}_{MODEL}" for a in actions])
    return permissions


def grant(apps, schema_editor):
    create_permissions(global_apps.get_app_config("users"), apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for coordinators in Group.objects.filter(name=COORDINATORS_GROUP):
        coordinators.permissions.remove(*_permissions(Permission))
        coordinators.permissions.add(*_permissions(Permission, ACTIONS))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for coordinators in Group.objects.filter(name=COORDINATORS_GROUP):
        coordinators.permissions.remove(*_permissions(Permission))


class Migration(migrations.Migration):
    dependencies = [("users", "0011_outbox")]

    operations = [migrations.RunPython(grant, revoke)]
