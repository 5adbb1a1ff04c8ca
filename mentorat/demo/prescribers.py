"""The demo's prescriber: a Mission Locale adviser who referred the demo young person (now
registered) and another young person who has not completed the registration yet."""

import datetime

from django.contrib.auth.models import Group
from django.utils import timezone

from mentees.models import Mentee, PriorityPublic
from prescribers.enums import OrganisationKind
from prescribers.models import Organisation, Prescriber, Referral
from users.models import User
from users.roles import PRESCRIBERS_GROUP

from .factories import UserFactory

DEMO_ORGANISATION = "Mission Locale de Saint-Denis"


def seed_demo_prescriber(*, email: str, mentee_email: str, password_hash: str) -> Prescriber:
    """Idempotent: the prescriber, their organisation and their two referrals, once."""
    existing = Prescriber.objects.filter(user__email__iexact=email).first()
    if existing is not None:
        return existing
    organisation, _ = Organisation.objects.get_or_create(
        name=DEMO_ORGANISATION,
        defaults={"kind": OrganisationKind.MISSION_LOCALE, "department": "93"},
    )
    user = User.objects.filter(email__iexact=email).first() or UserFactory(
        email=email, first_name="Sonia", last_name="Ferreira", password=password_hash
    )
    user.groups.add(Group.objects.get_or_create(name=PRESCRIBERS_GROUP)[0])
    prescriber = Prescriber.objects.create(
        user=user, organisation=organisation, job_title="Conseillère d'insertion"
    )
    now = timezone.now()
    mentee = Mentee.objects.filter(user__email__iexact=mentee_email).select_related("user").first()
    if mentee is not None:
        referral = Referral.objects.create(
            prescriber=prescriber,
            organisation=organisation,
            first_name=mentee.user.first_name,
            last_name=mentee.user.last_name,
            email=mentee.user.email,
            phone=mentee.phone,
            birth_date=mentee.birth_date,
            reason="Cherche une alternance, sans réseau professionnel.",
            created_at=mentee.created_at - datetime.timedelta(days=2),
            mentee=mentee,
            registered_at=mentee.created_at,
        )
        referral.publics.set(PriorityPublic.objects.filter(code="MISSION_LOCALE"))
    waiting = Referral.objects.create(
        prescriber=prescriber,
        organisation=organisation,
        first_name="Lina",
        last_name="Haddad",
        email="lina.haddad@demo.mentorat.fr",
        birth_date=now.date().replace(year=now.year - 19, month=3, day=14),
        reason="Décrochage après le bac, souhaite découvrir des métiers.",
        created_at=now - datetime.timedelta(days=5),
    )
    waiting.publics.set(PriorityPublic.objects.filter(code__in=["QPV", "MISSION_LOCALE"]))
    return prescriber
