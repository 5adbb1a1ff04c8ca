"""The RGPD trails moved from the users app to privacy with their rows, and with their
permissions: a group that held them still does."""

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from mentorat.privacy.models import DataAccessRecord, ErasureRecord

BEFORE = [("users", "0008_coordinators_remove_authenticator_devices"), ("privacy", None)]
AFTER = [("users", "0009_privacy_records_leave_users"), ("privacy", "0001_initial")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state([targets[0]]).apps


@pytest.fixture
def latest_schema_restored():
    """Going back to users 0008 also unapplies every later migration that depends on it:
    the tests after this one need the whole schema again, whatever the outcome."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("latest_schema_restored")
def test_the_trails_keep_their_rows_and_a_groups_permissions_when_they_move_to_privacy():
    old = migrate(BEFORE)
    User = old.get_model("users", "User")
    coordinator = User.objects.create(email="coordination@example.org", is_staff=True)
    old.get_model("users", "ErasureRecord").objects.create(
        person_id=41, reason="request", performed_by=coordinator
    )
    old.get_model("users", "DataAccessRecord").objects.create(
        person_id=42, accessed_by=coordinator, format="json"
    )
    group = old.get_model("auth", "Group").objects.create(name="lecteurs des traces")
    group.permissions.add(
        *old.get_model("auth", "Permission").objects.filter(
            content_type__app_label="users",
            codename__in=["view_erasurerecord", "view_dataaccessrecord"],
        )
    )

    migrate(AFTER)

    tables = set(connection.introspection.table_names())
    assert {"privacy_erasurerecord", "privacy_dataaccessrecord"} <= tables
    assert not {"users_erasurerecord", "users_dataaccessrecord"} & tables
    # Only the columns of users 0009: the User model of today has fields added since.
    erasure = ErasureRecord.objects.values_list("person_id", "performed_by__email").get()
    assert erasure == (41, "coordination@example.org")
    assert DataAccessRecord.objects.get().person_id == 42
    held = Group.objects.get(name="lecteurs des traces").permissions
    assert set(held.values_list("content_type__app_label", "codename")) == {
        ("privacy", "view_erasurerecord"),
        ("privacy", "view_dataaccessrecord"),
    }


@pytest.mark.django_db(transaction=True)
def test_the_schema_is_whole_again_after_the_migration_test():
    # Runs after the test above (file order): every model's table is there.
    tables = set(connection.introspection.table_names())
    missing = [
        model._meta.db_table
        for model in apps.get_models()
        if model._meta.managed and model._meta.db_table not in tables
    ]
    assert missing == []
