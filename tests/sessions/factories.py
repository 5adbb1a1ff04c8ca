import datetime

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from matching.enums import Side
from sessions.enums import ObjectivesProgress, SessionFormat, SessionTopic
from sessions.models import FollowUp, PlannedMeeting, Session, SessionEvaluation
from tests.matching.factories import MentorshipFactory
from tests.utils import days_ago


class SessionFactory(DjangoModelFactory):
    """Built straight into the table: tests of the rules call sessions.services instead."""

    class Meta:
        model = Session
        skip_postgeneration_save = True

    mentorship = factory.SubFactory(MentorshipFactory, active=True)
    # A few days ago, and never before the pair started (a test may start it yesterday).
    held_on = factory.LazyAttribute(
        lambda o: max(filter(None, [days_ago(3), o.mentorship.started_on]))
    )
    duration_minutes = 90
    format = SessionFormat.IN_PERSON
    topics = factory.LazyFunction(lambda: [SessionTopic.ORIENTATION])
    summary = "Point sur le projet d'orientation."
    logged_by = factory.LazyAttribute(lambda o: o.mentorship.mentor.user)

    class Params:
        short = factory.Trait(duration_minutes=60)


class SessionEvaluationFactory(DjangoModelFactory):
    class Meta:
        model = SessionEvaluation

    session = factory.SubFactory(SessionFactory)
    side = Side.MENTOR
    rating = 4
    objectives_progress = ObjectivesProgress.SOME
    author = factory.LazyAttribute(
        lambda o: (
            o.session.mentorship.mentor.user
            if o.side == Side.MENTOR
            else o.session.mentorship.mentee.user
        )
    )


class FollowUpFactory(DjangoModelFactory):
    class Meta:
        model = FollowUp

    session = factory.SubFactory(SessionFactory)
    reviewed = True
    reviewed_at = factory.LazyFunction(timezone.now)


class PlannedMeetingFactory(DjangoModelFactory):
    class Meta:
        model = PlannedMeeting

    mentorship = factory.SubFactory(MentorshipFactory, active=True)
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=10))
    place = "Médiathèque Ulysse, Saint-Denis"
    planned_by = factory.LazyAttribute(lambda o: o.mentorship.mentor.user)
