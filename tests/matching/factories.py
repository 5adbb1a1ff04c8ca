import datetime

import factory
from factory.django import DjangoModelFactory

from matching.enums import MentorshipStatus, Response
from matching.models import Mentorship
from tests.mentees.factories import MenteeFactory
from tests.mentors.factories import MentorFactory
from tests.users.factories import UserFactory
from tests.utils import days_ago

# Dates relative to the day the pair is built, never drawn at random: on any day of the year
# an active pair started three weeks ago is on track and short of the minimum duration, and a
# closed pair ran about seven months (past the minimum) and ended a month ago. Sessions
# (tests/sessions/factories.py) are held after these starts.
ACTIVE_SINCE_DAYS = 21
CLOSED_SINCE_DAYS = 30
CLOSED_AFTER_DAYS = 212


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
            started_on=factory.LazyFunction(lambda: days_ago(ACTIVE_SINCE_DAYS)),
        )
        closed = factory.Trait(
            status=MentorshipStatus.CLOSED,
            ended_on=factory.LazyFunction(lambda: days_ago(CLOSED_SINCE_DAYS)),
            # From the end, so that a test giving only the end keeps the start before it.
            started_on=factory.LazyAttribute(
                lambda o: o.ended_on - datetime.timedelta(days=CLOSED_AFTER_DAYS)
            ),
        )
        declined = factory.Trait(
            status=MentorshipStatus.DECLINED,
            mentor_response=Response.DECLINED,
            decline_reason="Mentor : pas disponible ce trimestre",
        )
