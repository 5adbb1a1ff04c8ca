"""Coordinators help staff and members who are locked out: they may unlock an account after
too many wrong passwords (delete its django-axes attempts) and remove a lost authenticator app
(the person then enrols a new one at their next login, after their password)."""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

COORDINATORS_GROUP = "coordinateurs"
RECOVERY_PERMISSIONS = {
    ("axes", "accessattempt"): ["view", "delete"],
    ("otp_totp", "totpdevice"): ["view", "delete"],
}


def grant_recovery(apps, schema_editor):
    for label in {label for label, _model in RECOVERY_PERMISSIONS}:
        create_permissions(global_apps.get_app_config(label), apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    coordinators = Group.objects.filter(name=COORDINATORS_GROUP).first()
    if coordinators is None:
        return
    for (label, model), actions in RECOVERY_PERMISSIONS.items():
        coordinators.permissions.add(
            *Permission.objects.filter(
                content_type__app_label=label,
                content_type__model=model,
                codename__in=[f"{action}_{model}" for action in actions],
            )
        )


def revoke_recovery(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    for coordinators in Group.objects.filter(name=COORDINATORS_GROUP):
        for (label, model), _actions in RECOVERY_PERMISSIONS.items():
            coordinators.permissions.remove(
                *Permission.objects.filter(content_type__app_label=label, content_type__model=model)
            )


class Migration(migrations.Migration):
    dependencies = [
        ("users", "0003_erasure_record"),
        ("axes", "0010_accessattemptexpiration"),
        ("otp_totp", "0003_add_timestamps"),
    ]

    operations = [migrations.RunPython(grant_recovery, revoke_recovery)]
