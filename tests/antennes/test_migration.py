"""The registrations that exist when the antennes arrive are routed to the antenne of their
département (mentees 0007, mentors 0009); the others stay national."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [
    ("users", "0013_antennes"),
    ("mentees", "0006_declarant_prescriber"),
    ("mentors", "0008_training_permissions"),
]
AFTER = [("mentees", "0007_mentee_antenne"), ("mentors", "0009_mentor_antenne")]
POSTAL_CODES = {"93": "93200", "974": "97400", "69": "69003"}
REGISTERED = datetime.datetime(2026, 1, 10, 9, 0, tzinfo=datetime.UTC)


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def latest_schema_restored():
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def common(apps, email, department):
    user = apps.get_model("users", "User").objects.create(email=email)
    return {
        "user": user,
        "postal_code": POSTAL_CODES[department],
        "department": department,
        "meeting_mode": "both",
        "availability": ["weekend"],
        "languages": ["fr"],
        "created_at": REGISTERED,
    }


def young_person(apps, email, department):
    return apps.get_model("mentees", "Mentee").objects.create(
        **common(apps, email, department),
        birth_date=datetime.date(2006, 5, 1),
        situation="etudiant",
        needs=["alternance"],
        goals="Trouver une alternance.",
    )


def mentor(apps, email, department):
    return apps.get_model("mentors", "Mentor").objects.create(
        **common(apps, email, department),
        employer="Orange",
        job_title="Cheffe de projet",
        sector="digital",
        years_of_experience=10,
        help_topics=["alternance"],
        sectors_to_share=["digital"],
        capacity=1,
        motivation="Transmettre.",
        charter_version="2026-01",
        charter_accepted_at=REGISTERED,
    )


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("latest_schema_restored")
def test_existing_registrations_join_the_antenne_of_their_departement():
    old = migrate(BEFORE)
    Antenne = old.get_model("users", "Antenne")
    covered = old.get_model("users", "AntenneDepartment")
    est = Antenne.objects.create(name="Île-de-France Est", contact_email="est@example.org")
    reunion = Antenne.objects.create(name="La Réunion", contact_email="reunion@example.org")
    covered.objects.create(antenne=est, department="93")
    covered.objects.create(antenne=reunion, department="974")
    young = {
        "93": young_person(old, "a@example.org", "93").pk,
        "974": young_person(old, "b@example.org", "974").pk,
        "69": young_person(old, "c@example.org", "69").pk,
    }
    mentors = {
        "93": mentor(old, "d@example.org", "93").pk,
        "69": mentor(old, "e@example.org", "69").pk,
    }

    new = migrate(AFTER)

    Mentee = new.get_model("mentees", "Mentee")
    Mentor = new.get_model("mentors", "Mentor")
    assert {dep: Mentee.objects.get(pk=pk).antenne_id for dep, pk in young.items()} == {
        "93": est.pk,
        "974": reunion.pk,
        "69": None,
    }
    assert {dep: Mentor.objects.get(pk=pk).antenne_id for dep, pk in mentors.items()} == {
        "93": est.pk,
        "69": None,
    }
