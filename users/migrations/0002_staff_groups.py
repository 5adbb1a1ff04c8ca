"""The two staff roles as groups with exactly the permissions they need.

Coordinators: every permission of the programme's apps (not auth's: managing groups and
permissions stays a superuser's power). Référents: read their mentors, pairs, sessions and
questionnaires; write follow-ups (and the mentor exchanges, once that model exists).

Permissions are created here, not left to post_migrate: on a fresh database the groups are
built before post_migrate runs."""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

COORDINATORS_GROUP = "coordinateurs"
REFERENTS_GROUP = "référents"

COORDINATOR_APPS = [
    "users",
    "mentors",
    "mentees",
    "matching",
    "mentoring_sessions",
    "evaluations",
    "reminders",
]
REFERENT_READ_APPS = ["mentors", "mentees", "matching", "mentoring_sessions", "evaluations"]
# The matching tools are the coordinators' (no référent scope applies to them).
REFERENT_NOT_READ = ["matchingbatch", "matchingweights", "historicalmatchingweights"]
# Sessions are read-only in their admin (every field, and save_model saves nothing), but the
# follow-up inline and the « Marquer comme vues » action need the change permission.
REFERENT_WRITES = {
    "mentoring_sessions": {"change_session", "add_followup", "change_followup"},
}
# Exchanges with mentors, if that model exists when the migration runs.
EXCHANGE_MODELS = [("mentors", "exchange")]


# After the mentors' exchanges, so that the référents may be given their permissions.
MENTORS_LATEST = "0003_exchange"


def create_groups(apps, schema_editor):
    for label in COORDINATOR_APPS:
        create_permissions(global_apps.get_app_config(label), apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    coordinators, _ = Group.objects.get_or_create(name=COORDINATORS_GROUP)
    coordinators.permissions.set(
        Permission.objects.filter(content_type__app_label__in=COORDINATOR_APPS)
    )

    referents, _ = Group.objects.get_or_create(name=REFERENTS_GROUP)
    wanted = list(
        Permission.objects.filter(
            content_type__app_label__in=REFERENT_READ_APPS, codename__startswith="view_"
        ).exclude(content_type__model__in=REFERENT_NOT_READ)
    )
    for label, codenames in REFERENT_WRITES.items():
        wanted += Permission.objects.filter(content_type__app_label=label, codename__in=codenames)
    for label, model in EXCHANGE_MODELS:
        wanted += Permission.objects.filter(
            content_type__app_label=label,
            content_type__model=model,
            codename__in=[f"add_{model}", f"change_{model}"],
        )
    referents.permissions.set(wanted)


def delete_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(
        name__in=[COORDINATORS_GROUP, REFERENTS_GROUP]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("users", "0001_initial"),
        ("mentors", MENTORS_LATEST),
        ("mentees", "0001_initial"),
        ("matching", "0002_historicalmentorship_close_comment_and_more"),
        ("mentoring_sessions", "0001_initial"),
        ("evaluations", "0002_default_questionnaire"),
        ("reminders", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_groups, delete_groups)]
