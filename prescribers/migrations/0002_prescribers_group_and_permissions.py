"""The prescribers' group (the role that asks for the second factor, users.roles), with no
permission: a prescriber never enters the admin. Coordinators manage the organisations and
the prescribers' accounts, and read the referrals and their consultations; référents have
nothing here.

Permissions are created here, not left to post_migrate, as in users/0002."""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

COORDINATORS_GROUP = "coordinateurs"
PRESCRIBERS_GROUP = "prescripteurs"
COORDINATOR_PERMISSIONS = [
    "add_organisation",
    "change_organisation",
    "delete_organisation",
    "view_organisation",
    "add_prescriber",
    "change_prescriber",
    "view_prescriber",
    "view_referral",
    "view_referralconsultation",
]


def _permissions(Permission):
    return Permission.objects.filter(
        content_type__app_label="prescribers", codename__in=COORDINATOR_PERMISSIONS
    )


def grant(apps, schema_editor):
    create_permissions(global_apps.get_app_config("prescribers"), apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Group.objects.get_or_create(name=PRESCRIBERS_GROUP)
    for coordinators in Group.objects.filter(name=COORDINATORS_GROUP):
        coordinators.permissions.add(*_permissions(Permission))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for coordinators in Group.objects.filter(name=COORDINATORS_GROUP):
        coordinators.permissions.remove(*_permissions(Permission))
    Group.objects.filter(name=PRESCRIBERS_GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("prescribers", "0001_initial"),
        ("users", "0002_staff_groups"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
