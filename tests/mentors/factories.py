import datetime

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from mentors.models import Mentor, ScreeningRecord
from tests.users.factories import UserFactory
from users.enums import Availability, HelpTopic, Language, MeetingMode, RegistrationStatus, Sector
from users.geography import department_from_postal_code


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
                "tests.mentors.factories.ScreeningRecordFactory", factory_related_name="mentor"
            ),
        )


class ScreeningRecordFactory(DjangoModelFactory):
    class Meta:
        model = ScreeningRecord

    mentor = factory.SubFactory(MentorFactory, accepts_minors=True)
    document = "Extrait de casier judiciaire (bulletin n° 3)"
    checked_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))
    checked_by = factory.SubFactory(UserFactory, staff=True)
