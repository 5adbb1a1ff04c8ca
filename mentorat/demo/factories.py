"""The factories of the demo programme (seed_demo builds it with them) and of the test suite,
which imports them from here: the product never depends on its tests."""

import datetime

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from mentees.ages import years_before
from mentees.enums import Situation
from mentees.models import Mentee, PriorityMark, PriorityPublic
from mentors.enums import TrainingKind
from mentors.models import Mentor, ScreeningRecord, TrainingRegistration, TrainingSession
from users.enums import Availability, HelpTopic, Language, MeetingMode, RegistrationStatus, Sector
from users.geography import department_from_postal_code
from users.models import User

DEFAULT_PASSWORD = "mentorat-demo-2026"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["email"]
        skip_postgeneration_save = True

    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    email = factory.Sequence(lambda n: f"personne{n}@example.org")
    password = factory.django.Password(DEFAULT_PASSWORD)

    class Params:
        staff = factory.Trait(is_staff=True)
        coordinator = factory.Trait(is_staff=True, is_superuser=True)
        without_password = factory.Trait(password="!")


def born_years_ago(years: int) -> datetime.date:
    """A birth date that makes somebody `years` old today, half a year past their birthday."""
    return years_before(timezone.localdate(), years) - datetime.timedelta(days=180)


class PriorityPublicFactory(DjangoModelFactory):
    """A public by its code: the seeded one when it exists (mentees/0003)."""

    class Meta:
        model = PriorityPublic
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"PUBLIC_{n}")
    label = factory.LazyAttribute(lambda o: f"Public {o.code}")
    question = factory.LazyAttribute(lambda o: f"Je fais partie du public {o.code}")
    order = 100


class MenteeFactory(DjangoModelFactory):
    class Meta:
        model = Mentee
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    civility = factory.Iterator(["mme", "m"])
    phone = "+33698765432"
    postal_code = factory.Iterator(["93200", "93100", "75019", "69008", "13015"])
    department = factory.LazyAttribute(lambda o: department_from_postal_code(o.postal_code))
    meeting_mode = MeetingMode.BOTH
    availability = factory.LazyFunction(lambda: [Availability.WEEKDAY_EVENING])
    languages = factory.LazyFunction(lambda: [Language.FRENCH])
    birth_date = factory.LazyFunction(lambda: born_years_ago(20))
    situation = Situation.ETUDIANT
    school_or_structure = "Université Paris 8"
    needs = factory.LazyFunction(lambda: [HelpTopic.ALTERNANCE])
    sectors_of_interest = factory.LazyFunction(lambda: [Sector.IT])
    goals = "Trouver une alternance dans le numérique."
    status = RegistrationStatus.PENDING_REVIEW

    class Params:
        approved = factory.Trait(status=RegistrationStatus.APPROVED)
        rejected = factory.Trait(
            status=RegistrationStatus.REJECTED, rejection_reason="Hors du territoire couvert."
        )
        minor = factory.Trait(
            birth_date=factory.LazyFunction(lambda: born_years_ago(16)),
            situation=Situation.LYCEEN,
            guardian_name="Nadia Haddad",
            guardian_email=factory.Sequence(lambda n: f"parent{n}@example.org"),
            guardian_phone="+33611223344",
        )
        under_15 = factory.Trait(
            minor=True,
            birth_date=factory.LazyFunction(lambda: born_years_ago(13)),
            situation=Situation.COLLEGIEN,
            status=RegistrationStatus.AWAITING_GUARDIAN_CONSENT,
        )
        with_consent = factory.Trait(guardian_consent_at=factory.LazyFunction(timezone.now))
        # Declared by the young person (a post-generation value cannot come from a trait).
        priority = factory.Trait(
            mission_locale_name="Mission Locale de Saint-Denis",
            qpv_mark=factory.RelatedFactory(
                "mentorat.demo.factories.PriorityMarkFactory", "mentee", public__code="QPV"
            ),
            mission_locale_mark=factory.RelatedFactory(
                "mentorat.demo.factories.PriorityMarkFactory",
                "mentee",
                public__code="MISSION_LOCALE",
            ),
            no_network_mark=factory.RelatedFactory(
                "mentorat.demo.factories.PriorityMarkFactory", "mentee", public__code="SANS_RESEAU"
            ),
        )

    @factory.post_generation
    def publics(obj, create, extracted, **kwargs):
        """`publics=["QPV", "ASE"]`: the priority publics the young person declared, by code;
        `publics__confirmed_by=<staff>` has them confirmed too."""
        if not create or not extracted:
            return
        confirmed_by = kwargs.get("confirmed_by")
        PriorityMark.objects.bulk_create(
            PriorityMark(
                mentee=obj,
                public=PriorityPublicFactory(code=code),
                declared_at=obj.created_at,
                confirmed_at=obj.created_at if confirmed_by else None,
                confirmed_by=confirmed_by,
            )
            for code in extracted
        )


class PriorityMarkFactory(DjangoModelFactory):
    """A public the young person declared (not confirmed yet)."""

    class Meta:
        model = PriorityMark

    mentee = factory.SubFactory(MenteeFactory)
    public = factory.SubFactory(PriorityPublicFactory)
    declared_at = factory.LazyAttribute(lambda o: o.mentee.created_at)


class MentorFactory(DjangoModelFactory):
    class Meta:
        model = Mentor
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    civility = factory.Iterator(["mme", "m"])
    phone = "+33612345678"
    postal_code = factory.Iterator(["93200", "75011", "69003", "13001", "59000"])
    department = factory.LazyAttribute(lambda o: department_from_postal_code(o.postal_code))
    meeting_mode = MeetingMode.BOTH
    availability = factory.LazyFunction(lambda: [Availability.WEEKDAY_EVENING])
    languages = factory.LazyFunction(lambda: [Language.FRENCH])
    employer = factory.Faker("company", locale="fr_FR")
    job_title = factory.Faker("job", locale="fr_FR")
    sector = Sector.IT
    years_of_experience = 10
    help_topics = factory.LazyFunction(lambda: [HelpTopic.ORIENTATION, HelpTopic.ALTERNANCE])
    sectors_to_share = factory.LazyFunction(lambda: [Sector.IT])
    capacity = 2
    accepts_minors = False
    motivation = "Transmettre ce que j'ai appris."
    charter_version = "2026-01"
    charter_accepted_at = factory.LazyFunction(timezone.now)
    status = RegistrationStatus.PENDING_REVIEW

    class Params:
        approved = factory.Trait(status=RegistrationStatus.APPROVED)
        rejected = factory.Trait(
            status=RegistrationStatus.REJECTED, rejection_reason="Profil hors programme."
        )
        for_minors = factory.Trait(
            accepts_minors=True,
            screening=factory.RelatedFactory(
                "mentorat.demo.factories.ScreeningRecordFactory", factory_related_name="mentor"
            ),
        )


class ScreeningRecordFactory(DjangoModelFactory):
    class Meta:
        model = ScreeningRecord

    mentor = factory.SubFactory(MentorFactory, accepts_minors=True)
    document = "Extrait de casier judiciaire (bulletin n° 3)"
    checked_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))
    checked_by = factory.SubFactory(UserFactory, staff=True)


class TrainingSessionFactory(DjangoModelFactory):
    """An initial training three weeks ahead, in person, 12 seats."""

    class Meta:
        model = TrainingSession

    kind = TrainingKind.INITIAL
    title = "Formation initiale des mentors"
    starts_at = factory.LazyFunction(
        lambda: (
            timezone.now().replace(minute=0, second=0, microsecond=0) + datetime.timedelta(days=21)
        )
    )
    duration_minutes = 180
    place = "Maison des associations, 12 rue des Lilas, Montreuil"
    capacity = 12

    class Params:
        past = factory.Trait(
            starts_at=factory.LazyFunction(
                lambda: (
                    timezone.now().replace(minute=0, second=0, microsecond=0)
                    - datetime.timedelta(days=14)
                )
            )
        )
        workshop = factory.Trait(kind=TrainingKind.WORKSHOP, title="Atelier de bonnes pratiques")


class TrainingRegistrationFactory(DjangoModelFactory):
    """A seat; `attended=True` on a `session__past=True` is a mentor trained."""

    class Meta:
        model = TrainingRegistration

    session = factory.SubFactory(TrainingSessionFactory)
    mentor = factory.SubFactory(MentorFactory, approved=True)


# --- Prescribers (prescribers/): organisations, their accounts, the young people they refer.


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = "prescribers.Organisation"

    name = factory.Sequence(lambda n: f"Mission Locale n° {n}")
    kind = "mission_locale"
    department = "93"


class PrescriberFactory(DjangoModelFactory):
    """A prescriber's account, in the prescribers' group (prescribers/0002 creates it)."""

    class Meta:
        model = "prescribers.Prescriber"
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    job_title = "Conseillère d'insertion"

    @factory.post_generation
    def in_group(obj, create, extracted, **kwargs):
        if create:
            from django.contrib.auth.models import Group

            from users.roles import PRESCRIBERS_GROUP

            obj.user.groups.add(Group.objects.get_or_create(name=PRESCRIBERS_GROUP)[0])


class ReferralFactory(DjangoModelFactory):
    class Meta:
        model = "prescribers.Referral"

    prescriber = factory.SubFactory(PrescriberFactory)
    organisation = factory.LazyAttribute(lambda o: o.prescriber.organisation)
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    email = factory.Sequence(lambda n: f"oriente{n}@example.org")
    phone = "+33612345678"
    birth_date = factory.LazyFunction(lambda: born_years_ago(19))
    reason = "Sans réseau pour trouver une alternance."
