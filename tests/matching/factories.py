import factory
from factory.django import DjangoModelFactory

from matching.enums import MentorshipStatus, Response
from matching.models import Mentorship
from tests.mentees.factories import MenteeFactory
from tests.mentors.factories import MentorFactory
from tests.users.factories import UserFactory


class MentorshipFactory(DjangoModelFactory):
    class Meta:
        model = Mentorship
        skip_postgeneration_save = True

    mentor = factory.SubFactory(MentorFactory, approved=True)
    mentee = factory.SubFactory(MenteeFactory, approved=True)
    score = 72
    explanation = factory.LazyFunction(lambda: [{"label": "même département (93)", "ok": True}])
    proposed_by = factory.SubFactory(UserFactory, coordinator=True)
    status = MentorshipStatus.PROPOSED

    class Params:
        active = factory.Trait(
            status=MentorshipStatus.ACTIVE,
            mentor_response=Response.ACCEPTED,
            mentee_response=Response.ACCEPTED,
            started_on=factory.Faker("date_this_year"),
        )
        closed = factory.Trait(
            status=MentorshipStatus.CLOSED,
            started_on=factory.Faker("date_this_year"),
        )
        declined = factory.Trait(
            status=MentorshipStatus.DECLINED,
            mentor_response=Response.DECLINED,
            decline_reason="Mentor : pas disponible ce trimestre",
        )
