"""The backup and restore of the README (Operations): `pg_dump -Fc`, then `pg_restore` into a
fresh database, which holds what people registered. PostgreSQL only: that is what production
runs and what the commands save."""

import contextlib
import os
import shutil
import subprocess
import uuid

import psycopg
import pytest
from django.db import connection
from django.urls import reverse

from mentees.models import Mentee
from tests.concurrency import postgresql_only
from tests.mentees.form_data import mentee_form_data
from users.models import User

# The dump must see the rows: they are committed (transaction=True).
pytestmark = postgresql_only


def pg_environment() -> dict[str, str]:
    """The connection of the test database, as the PostgreSQL tools read it."""
    settings_dict = connection.settings_dict
    variables = {
        "PGHOST": settings_dict["HOST"],
        "PGPORT": str(settings_dict["PORT"] or ""),
        "PGUSER": settings_dict["USER"],
        "PGPASSWORD": settings_dict["PASSWORD"],
    }
    return {**os.environ, **{name: value for name, value in variables.items() if value}}


def tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} is not installed")
    return path


def run(*command: str) -> None:
    subprocess.run(command, env=pg_environment(), check=True, capture_output=True, timeout=120)


def maintenance_connection() -> psycopg.Connection:
    params = connection.get_connection_params()
    return psycopg.connect(
        dbname="postgres",
        host=params.get("host") or None,
        port=params.get("port") or None,
        user=params.get("user") or None,
        password=params.get("password") or None,
        autocommit=True,
    )


@contextlib.contextmanager
def fresh_database():
    name = f"{connection.settings_dict['NAME']}_restore_{uuid.uuid4().hex[:8]}"
    with maintenance_connection() as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield name
    finally:
        with maintenance_connection() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_dump_restored_into_a_fresh_database_holds_the_registrations(client, tmp_path):
    pg_dump, pg_restore = tool("pg_dump"), tool("pg_restore")
    assert client.post(reverse("mentees:register"), mentee_form_data()).status_code == 302
    mentee = Mentee.objects.select_related("user").get()
    dump = tmp_path / "mentorat.dump"

    # The README's commands.
    run(pg_dump, "--format=custom", "--file", str(dump), connection.settings_dict["NAME"])
    with fresh_database() as restored:
        run(pg_restore, "--no-owner", "--no-privileges", "--dbname", restored, str(dump))

        params = connection.get_connection_params()
        with psycopg.connect(
            dbname=restored,
            host=params.get("host") or None,
            port=params.get("port") or None,
            user=params.get("user") or None,
            password=params.get("password") or None,
        ) as copy:
            found = copy.execute(
                f"SELECT u.email, m.goals FROM {Mentee._meta.db_table} m "
                f"JOIN {User._meta.db_table} u ON u.id = m.user_id WHERE m.id = %s",
                [mentee.pk],
            ).fetchone()
            migrations = copy.execute("SELECT count(*) FROM django_migrations").fetchone()[0]

    assert found == ("yanis.benali@example.org", mentee.goals)
    # The schema came with the data: nothing to migrate before serving from the copy.
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM django_migrations")
        assert migrations == cursor.fetchone()[0]
