"""Coordinators remove a lost authenticator app (users/0004) in the admin of its French-named
proxy, users.AuthenticatorDevice, which has permissions of its own: they get its view and
delete permissions, exactly, and lose django-otp's own (no admin page uses them any more).

Permissions are created here, not left to post_migrate, as in users/0002."""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

COORDINATORS_GROUP = "coordinateurs"
DEVICE = ("users", "authenticatordevice")
LIBRARY_DEVICE = ("otp_totp", "totpdevice")
ACTIONS = ["view", "delete"]


def _permissions(Permission, label_model, actions=None):
    label, model = label_model
    permissions = Permission.objects.filter(
        content_type__app_label=label, content_type__model=model
    )
    if actions is not None:
        permissions = permissions.filter(codename__in=[f"{a}_{model}" for a in actions])
    return permissions


def move_to_proxy(apps, schema_editor):
    create_permissions(global_apps.get_app_config("users"), apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for coordinators in Group.objects.filter(name=COORDINATORS_GROUP):
        # Exactly these: users/0002 gives coordinators every permission of `users`, the
        # proxy's adding and changing too when it runs after the proxy exists (tests do).
        coordinators.permissions.remove(*_permissions(Permission, DEVICE))
        coordinators.permissions.remove(*_permissions(Permission, LIBRARY_DEVICE))
        coordinators.permissions.add(*_permissions(Permission, DEVICE, ACTIONS))


def back_to_library(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for coordinators in Group.objects.filter(name=COORDINATORS_GROUP):
        coordinators.permissions.remove(*_permissions(Permission, DEVICE))
        coordinators.permissions.add(*_permissions(Permission, LIBRARY_DEVICE, ACTIONS))


class Migration(migrations.Migration):
    dependencies = [("users", "0007_authenticator_device")]

    operations = [migrations.RunPython(move_to_proxy, back_to_library)]
