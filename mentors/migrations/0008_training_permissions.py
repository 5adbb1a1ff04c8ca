"""The trainings' permissions for the two staff roles (users/0002_staff_groups): coordinators
get every permission of the two models; référents read the sessions and the seats, and change
a seat (to record the attendance of the mentors they accompany: the admin scopes them).

Permissions are created here, not left to post_migrate, as in users/0002."""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

COORDINATORS_GROUP = "coordinateurs"
REFERENTS_GROUP = "référents"
MODELS = ["trainingsession", "trainingregistration"]
REFERENT_CODENAMES = [
    "view_trainingsession",
    "view_trainingregistration",
    "change_trainingregistration",
]


def give(apps, schema_editor):
    create_permissions(global_apps.get_app_config("mentors"), apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    every = Permission.objects.filter(
        content_type__app_label="mentors", content_type__model__in=MODELS
    )
    for coordinators in Group.objects.filter(name=COORDINATORS_GROUP):
        coordinators.permissions.add(*every)
    for referents in Group.objects.filter(name=REFERENTS_GROUP):
        referents.permissions.add(*every.filter(codename__in=REFERENT_CODENAMES))


def take_back(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    every = Permission.objects.filter(
        content_type__app_label="mentors", content_type__model__in=MODELS
    )
    for group in Group.objects.filter(name__in=[COORDINATORS_GROUP, REFERENTS_GROUP]):
        group.permissions.remove(*every)


class Migration(migrations.Migration):
    dependencies = [
        ("mentors", "0007_training_sessions"),
        ("users", "0002_staff_groups"),
    ]

    operations = [migrations.RunPython(give, take_back)]
