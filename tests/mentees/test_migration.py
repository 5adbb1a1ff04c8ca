"""The former yes/no answers become marks the young people declared (mentees 0003), the fields
go (0004), and going back puts the answers back from the marks."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("mentees", "0002_priority_publics")]
AFTER = [("mentees", "0004_remove_former_public_fields")]
FORMER = [
    "lives_in_qpv",
    "followed_by_mission_locale",
    "has_no_network",
    "at_risk_of_dropout",
    "needs_orientation_help",
]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def latest_schema_restored():
    """Going back to mentees 0002 unapplies the later migrations: the tests after this one
    need the whole schema again, whatever the outcome."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def young_person(apps, email, **answers):
    user = apps.get_model("users", "User").objects.create(email=email)
    return apps.get_model("mentees", "Mentee").objects.create(
        user=user,
        postal_code="93200",
        department="93",
        meeting_mode="both",
        availability=["weekend"],
        languages=["fr"],
        birth_date=datetime.date(2006, 5, 1),
        situation="etudiant",
        needs=["alternance"],
        goals="Trouver une alternance.",
        created_at=datetime.datetime(2026, 1, 10, 9, 0, tzinfo=datetime.UTC),
        **answers,
    )


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("latest_schema_restored")
def test_the_former_answers_become_declared_marks_and_come_back_on_the_way_back():
    old = migrate(BEFORE)
    qpv_and_network = young_person(old, "a@example.org", lives_in_qpv=True, has_no_network=True).pk
    every_answer = young_person(old, "b@example.org", **dict.fromkeys(FORMER, True)).pk
    nothing = young_person(old, "c@example.org").pk

    new = migrate(AFTER)

    Mark = new.get_model("mentees", "PriorityMark")
    codes = {
        pk: set(Mark.objects.filter(mentee_id=pk).values_list("public__code", flat=True))
        for pk in (qpv_and_network, every_answer, nothing)
    }
    assert codes == {
        qpv_and_network: {"QPV", "SANS_RESEAU"},
        every_answer: {"QPV", "MISSION_LOCALE", "SANS_RESEAU", "DECROCHAGE", "ORIENTATION"},
        nothing: set(),
    }
    # Declared by the young person at registration, waiting for staff.
    assert set(Mark.objects.values_list("declared_by", "declared_by_user", "confirmed_at")) == {
        ("mentee", None, None)
    }
    assert set(Mark.objects.values_list("declared_at", flat=True)) == {
        datetime.datetime(2026, 1, 10, 9, 0, tzinfo=datetime.UTC)
    }
    assert new.get_model("mentees", "PriorityPublic").objects.count() == 12
    columns = {
        column.name
        for column in connection.introspection.get_table_description(
            connection.cursor(), "mentees_mentee"
        )
    }
    assert not set(FORMER) & columns

    back = migrate([("mentees", "0003_seed_priority_publics")])

    Mentee = back.get_model("mentees", "Mentee")
    answers = {row["pk"]: row for row in Mentee.objects.values("pk", *FORMER)}
    assert {name for name in FORMER if answers[qpv_and_network][name]} == {
        "lives_in_qpv",
        "has_no_network",
    }
    assert all(answers[every_answer][name] for name in FORMER)
    assert not any(answers[nothing][name] for name in FORMER)
