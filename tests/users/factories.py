"""People, as the demo builds them too (mentorat/demo/factories.py), with the staff roles the
tests need: `coordinator=True` is a member of the real coordinators' group (as the product's
`staff_account_setup` makes one), never a superuser; `superuser=True` is the technical
administrator, for the few tests about the powers only they have."""

import factory
from factory.django import DjangoModelFactory

from mentorat.demo.factories import DEFAULT_PASSWORD
from mentorat.demo.factories import UserFactory as DemoUserFactory
from users.enums import OwedEmailStatus
from users.models import OwedEmail

__all__ = ["DEFAULT_PASSWORD", "OwedEmailFactory", "UserFactory"]


def _join_coordinators(user, create, extracted, **kwargs):
    if not create:
        return
    from tests.users.staff import staff_groups
    from users.services import staff_account_setup

    # The groups come from migrations; a transactional test may have flushed them since.
    staff_groups()
    staff_account_setup(user=user, role="coordinator", invited_by=user)


class UserFactory(DemoUserFactory):
    class Params:
        # Declared again to drop the demo's meaning (a superuser): the role is the group.
        coordinator = factory.Trait(is_staff=True, is_superuser=False)
        superuser = factory.Trait(is_staff=True, is_superuser=True)

    coordinators_group = factory.Maybe(
        "coordinator", yes_declaration=factory.PostGeneration(_join_coordinators)
    )


class OwedEmailFactory(DjangoModelFactory):
    """An outbox row: by default a staff invitation owed to a new account, not sent yet."""

    class Meta:
        model = OwedEmail

    class Params:
        failed = factory.Trait(
            status=OwedEmailStatus.FAILED,
            attempts=2,
            subject="Ton compte sur Mentorat AJE",
            last_error="SMTPRecipientsRefused: 550 5.1.1 <destinataire>: adresse inconnue",
        )

    recipient = factory.SubFactory(UserFactory)
    task = "users.tasks.send_staff_invitation"
    args = factory.LazyAttribute(lambda row: [row.recipient.pk])
