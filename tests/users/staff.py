"""Staff users in their roles, for the tests of roles and scope."""

from importlib import import_module

from django.apps import apps
from django.contrib.auth.models import Group

from tests.users.factories import UserFactory
from users.roles import COORDINATORS_GROUP, REFERENTS_GROUP


def staff_groups():
    """The groups of users/0002 (a transactional test elsewhere may have flushed them)."""
    if Group.objects.filter(name__in=[COORDINATORS_GROUP, REFERENTS_GROUP]).count() < 2:
        import_module("users.migrations.0002_staff_groups").create_groups(apps, None)
    return Group.objects.get(name=COORDINATORS_GROUP), Group.objects.get(name=REFERENTS_GROUP)


def make_referent(**kwargs):
    user = UserFactory(staff=True, **kwargs)
    user.groups.add(staff_groups()[1])
    return user


def make_coordinator(**kwargs):
    user = UserFactory(staff=True, **kwargs)
    user.groups.add(staff_groups()[0])
    return user
