import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mentees.models import Mentee
from tests.antennes.factories import make_antenne
from tests.mentees.factories import MenteeFactory
from tests.users.factories import UserFactory
from tests.users.staff import (
    make_antenne_coordinator,
    make_antenne_referent,
    make_coordinator,
    make_referent,
)
from users.scopes import staff_scope

pytestmark = pytest.mark.django_db


@pytest.fixture
def antennes():
    return make_antenne("Lyon", ["69"]), make_antenne("Lille", ["59"])


def test_a_coordinator_without_an_antenne_is_national(antennes):
    scope = staff_scope(make_coordinator())

    assert scope.national and not scope.antenne_scoped
    assert scope.covers(None) and scope.covers(antennes[0].pk)


def test_a_superuser_is_national_without_a_query():
    user = UserFactory(staff=True, is_superuser=True)

    with CaptureQueriesContext(connection) as queries:
        scope = staff_scope(user)

    assert scope.national
    assert len(queries) == 0


def test_an_antenne_coordinator_covers_their_antenne_only(antennes):
    lyon, lille = antennes
    scope = staff_scope(make_antenne_coordinator(lyon))

    assert scope.antenne_scoped and not scope.national
    assert scope.covers(lyon.pk)
    assert scope.covers(lille.pk, lyon.pk)
    assert not scope.covers(lille.pk)
    assert not scope.covers(None)


def test_the_rows_within_an_antenne_coordinators_scope(antennes):
    lyon, lille = antennes
    ours = MenteeFactory(antenne=lyon)
    MenteeFactory(antenne=lille)
    MenteeFactory(antenne=None)

    scoped = staff_scope(make_antenne_coordinator(lyon)).within(Mentee.objects, "antenne")
    national = staff_scope(make_coordinator()).within(Mentee.objects, "antenne")

    assert list(scoped) == [ours]
    assert national.count() == 3


def test_a_referent_is_no_coordinator_and_sees_no_antenne(antennes):
    lyon, _ = antennes
    MenteeFactory(antenne=lyon)
    scope = staff_scope(make_antenne_referent(lyon))

    assert scope.referent_scoped and scope.antenne_id == lyon.pk
    assert not scope.covers(lyon.pk)
    assert not scope.within(Mentee.objects, "antenne").exists()
    assert staff_scope(make_referent()).antenne_id is None


def test_a_member_has_no_scope():
    scope = staff_scope(UserFactory())

    assert not (scope.coordinator or scope.referent)
    assert not scope.covers(None)


def test_the_scope_is_read_once_per_user_object(antennes):
    user = make_antenne_coordinator(antennes[0])
    staff_scope(user)

    with CaptureQueriesContext(connection) as queries:
        staff_scope(user)

    assert len(queries) == 0
