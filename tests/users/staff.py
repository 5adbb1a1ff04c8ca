"""Staff users in their roles, for the tests of roles and scope, and their logins (with the
second factor where it is required)."""

from importlib import import_module

from django.apps import apps
from django.contrib.auth.models import Group
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.users.factories import UserFactory
from users.antennes import AntenneMembership
from users.enums import AntenneRole
from users.roles import COORDINATORS_GROUP, REFERENTS_GROUP
from users.two_factor import second_factor_required

# The data migrations that create the staff groups and grant their permissions, in their
# order: put back after a transactional test flushed them. tests/users/test_staff_groups.py
# fails when a migration that grants permissions is missing here.
GROUP_MIGRATIONS = [
    ("users.migrations.0002_staff_groups", "create_groups"),
    ("users.migrations.0004_coordinators_recover_accounts", "grant_recovery"),
    ("users.migrations.0008_coordinators_remove_authenticator_devices", "move_to_proxy"),
    ("users.migrations.0012_coordinators_owed_emails", "grant"),
    ("users.migrations.0014_coordinators_antennes", "grant"),
    ("mentees.migrations.0005_priority_publics_permissions", "grant"),
    ("mentors.migrations.0008_training_permissions", "give"),
    ("evaluations.migrations.0007_closure_questionnaires", "grant_interview_permissions"),
    ("prescribers.migrations.0002_prescribers_group_and_permissions", "grant"),
]


def staff_groups():
    """The staff groups with their permissions (GROUP_MIGRATIONS), put back when a
    transactional test elsewhere flushed them."""
    if Group.objects.filter(name__in=[COORDINATORS_GROUP, REFERENTS_GROUP]).count() < 2:
        for module, function in GROUP_MIGRATIONS:
            getattr(import_module(module), function)(apps, None)
    return Group.objects.get(name=COORDINATORS_GROUP), Group.objects.get(name=REFERENTS_GROUP)


def make_referent(**kwargs):
    user = UserFactory(staff=True, **kwargs)
    user.groups.add(staff_groups()[1])
    return user


def make_coordinator(**kwargs):
    """A coordinator with an enrolled authenticator app (their second factor is required)."""
    user = UserFactory(staff=True, **kwargs)
    user.groups.add(staff_groups()[0])
    confirmed_device(user)
    return user


def confirmed_device(user):
    """The person's authenticator app, already enrolled."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="Téléphone", confirmed=True)


def current_code(device) -> str:
    return f"{totp(device.bin_key, step=device.step, digits=device.digits):0{device.digits}d}"


def login_staff(client, user):
    """Log in as after the password and, where the second factor is required, the code: the
    session then holds the device as django_otp.login stores it."""
    client.force_login(user)
    if second_factor_required(user):
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = confirmed_device(user).persistent_id
        session.save()
    return client


def make_antenne_coordinator(antenne, **kwargs):
    """A coordinator of one antenne: the coordinators' group and a place in its team."""
    user = make_coordinator(**kwargs)
    AntenneMembership.objects.create(antenne=antenne, user=user, role=AntenneRole.COORDINATOR)
    return user


def make_antenne_referent(antenne, **kwargs):
    user = make_referent(**kwargs)
    AntenneMembership.objects.create(antenne=antenne, user=user, role=AntenneRole.REFERENT)
    return user
