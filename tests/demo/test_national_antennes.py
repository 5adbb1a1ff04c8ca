"""The national data set's antennes (issue 17: `make bench` with 40 antennes): they cover every
département once, each with its contacts, target and coordinator; the people join the antenne
of their département, the référents the antenne of their mentors. The small data set has a
few antennes and leaves the other départements to the national programme."""

from io import StringIO

import pytest
from django.core.management import call_command

from mentees.models import Mentee
from mentorat.demo.antennes import DEMO_ANTENNES
from mentorat.demo.national import NATIONAL_DOMAIN, NATIONAL_MENTEES
from mentorat.demo.national_antennes import (
    NATIONAL_ANTENNE_SPECS,
    NATIONAL_ANTENNES,
    SMALL_ANTENNES,
    seed_national_antennes,
)
from mentorat.demo.programme import REFERENT_PREFIX
from mentors.models import Mentor
from users.antennes import Antenne, AntenneDepartment, AntenneMembership
from users.enums import AntenneRole
from users.geography import DEPARTMENT_NAMES
from users.models import User
from users.scopes import staff_scope

pytestmark = pytest.mark.django_db

NATIONAL = f"@{NATIONAL_DOMAIN}"


@pytest.fixture
def tiny_programme():
    call_command("seed_demo", scale="national", mentees=60, mentors=30, stdout=StringIO())


def forty_antennes(*, pairs_scale: float = 60 / NATIONAL_MENTEES) -> int:
    """The national scale's antennes over the tiny programme (its 60 young people)."""
    return seed_national_antennes(
        count=NATIONAL_ANTENNES, email_domain=NATIONAL_DOMAIN, pairs_scale=pairs_scale
    )


def routed_as_registrations_are():
    for model in (Mentor, Mentee):
        for person in model.objects.filter(user__email__endswith=NATIONAL):
            assert person.antenne == Antenne.objects.for_department(person.department), person


def test_the_40_antennes_cover_every_departement_once():
    # The demo's three and the national list: 40, every département in exactly one.
    covered = [code for _, codes, _ in NATIONAL_ANTENNE_SPECS for code in codes]
    assert len(NATIONAL_ANTENNE_SPECS) + 3 == NATIONAL_ANTENNES
    assert len(covered) == len(set(covered))
    demo = {code for antenne in DEMO_ANTENNES for code in antenne["departments"]}
    assert set(covered) | demo == set(DEPARTMENT_NAMES)
    assert not set(covered) & demo


def test_a_small_data_set_has_a_few_antennes_and_leaves_the_rest_national(tiny_programme):
    assert Antenne.objects.count() == SMALL_ANTENNES
    routed_as_registrations_are()
    assert Mentee.objects.filter(user__email__endswith=NATIONAL, antenne=None).exists()


def test_at_national_scale_every_person_is_in_the_antenne_of_their_departement(tiny_programme):
    created = forty_antennes()

    assert created == NATIONAL_ANTENNES - SMALL_ANTENNES
    assert Antenne.objects.count() == NATIONAL_ANTENNES
    assert AntenneDepartment.objects.count() == len(DEPARTMENT_NAMES)
    routed_as_registrations_are()
    assert not Mentee.objects.filter(antenne=None).exists()


def test_each_antenne_has_its_contacts_its_target_and_a_coordinator_of_its_own(tiny_programme):
    forty_antennes()

    for antenne in Antenne.objects.all():
        assert antenne.contact_email and antenne.target_pairs_per_year, antenne
        coordinators = AntenneMembership.objects.filter(
            antenne=antenne, role=AntenneRole.COORDINATOR
        )
        assert coordinators.count() == 1, antenne
        scope = staff_scope(coordinators.get().user)
        assert scope.antenne_scoped and scope.antenne_id == antenne.pk


def test_the_biggest_antennes_have_the_biggest_targets(tiny_programme):
    forty_antennes(pairs_scale=1)

    by_size = sorted(Antenne.objects.all(), key=lambda antenne: -antenne.mentees.count())
    assert by_size[0].target_pairs_per_year >= by_size[-1].target_pairs_per_year


def test_each_referent_is_in_the_antenne_of_all_their_mentors(tiny_programme):
    referents = User.objects.filter(
        email__startswith=f"{REFERENT_PREFIX}-", email__endswith=NATIONAL
    )
    assert referents.exists()

    for referent in referents:
        antennes = set(Mentor.objects.filter(referent=referent).values_list("antenne", flat=True))
        membership = AntenneMembership.objects.filter(user=referent).first()
        assert len(antennes) == 1, referent
        if antennes == {None}:
            assert membership is None
        else:
            assert membership.role == AntenneRole.REFERENT
            assert {membership.antenne_id} == antennes


def test_seeding_again_changes_no_antenne_and_no_team(tiny_programme):
    forty_antennes()
    antennes = list(Antenne.objects.values_list("pk", "name", "target_pairs_per_year"))
    teams = list(AntenneMembership.objects.values_list("user", "antenne", "role"))

    call_command("seed_demo", scale="national", mentees=60, mentors=30, stdout=StringIO())
    forty_antennes()

    assert list(Antenne.objects.values_list("pk", "name", "target_pairs_per_year")) == antennes
    assert list(AntenneMembership.objects.values_list("user", "antenne", "role")) == teams
