"""Two antennes and the national programme, each with the same people, for the tests of the
dashboard, the funders' report, the exports and the staff home by antenne. Every row of a
place is of that place (the young person's and the mentor's antenne), so that what one place
shows can be told from the others by its names and ids."""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from evaluations.enums import Moment, QuestionKind, ResponseStatus
from evaluations.models import Answer, Questionnaire, Response
from matching.enums import CloseReason
from mentorat.demo.factories import OrganisationFactory, PrescriberFactory, ReferralFactory
from tests.antennes.factories import make_antenne
from tests.matching.factories import MentorshipFactory
from tests.mentees.factories import MenteeFactory
from tests.mentors.factories import MentorFactory
from tests.sessions.factories import SessionFactory
from tests.users.factories import UserFactory

# A Monday in June 2026, noon in Paris: the year's pairs started since 1 January.
NOW = datetime.datetime(2026, 6, 15, 10, 0, tzinfo=datetime.UTC)
TODAY = datetime.date(2026, 6, 15)


@dataclass
class Place:
    """One antenne's people (or the national programme's, `antenne` None)."""

    antenne: object
    name: str
    pairs: list = field(default_factory=list)
    sessions: list = field(default_factory=list)
    waiting: list = field(default_factory=list)
    referent: object = None

    @property
    def antenne_id(self):
        return self.antenne.pk if self.antenne else None


def _answered(pair, *, start: int, end: int) -> None:
    """The young person's start and end questionnaires, one scale question answered."""
    questionnaire = Questionnaire.objects.current().get()
    question = questionnaire.questions.filter(kind=QuestionKind.SCALE).order_by("order").first()
    for moment, value in [(Moment.START, start), (Moment.END, end)]:
        response = Response.objects.create(
            mentorship=pair,
            moment=moment,
            questionnaire=questionnaire,
            status=ResponseStatus.SUBMITTED,
            submitted_at=timezone.now() - datetime.timedelta(days=3),
        )
        Answer.objects.create(response=response, question=question, scale_value=value)


def populate(place: Place, *, postal_code: str, size: int = 1) -> Place:
    """`size` times: a young person waiting for a mentor; an active pair started this year
    with a session; a pair closed this year (started last year), its questionnaires answered;
    a mentor to review; a young person referred by an organisation of the place's
    département. Its référent follows every mentor of the place."""
    antenne = place.antenne
    department = postal_code[:2]
    if place.referent is None:
        place.referent = UserFactory(staff=True, first_name="Rita", last_name=f"Réf {place.name}")
    person = {"antenne": antenne, "postal_code": postal_code}
    for index in range(size):
        place.waiting.append(MenteeFactory(approved=True, **person))
        pair = MentorshipFactory(
            active=True,
            started_on=TODAY - datetime.timedelta(days=30 + index),
            mentee__antenne=antenne,
            mentee__postal_code=postal_code,
            mentor__antenne=antenne,
            mentor__postal_code=postal_code,
            mentor__referent=place.referent,
        )
        session = SessionFactory(mentorship=pair, held_on=TODAY - datetime.timedelta(days=5))
        place.sessions.append(session)
        closed = MentorshipFactory(
            closed=True,
            started_on=datetime.date(2025, 10, 1),
            ended_on=TODAY - datetime.timedelta(days=10),
            close_reason=CloseReason.OBJECTIVES_ACHIEVED,
            mentee__antenne=antenne,
            mentee__postal_code=postal_code,
            mentor__antenne=antenne,
            mentor__postal_code=postal_code,
            mentor__referent=place.referent,
        )
        _answered(closed, start=2, end=4 if antenne else 3)
        place.pairs += [pair, closed]
        MentorFactory(**person)
        organisation = OrganisationFactory(
            name=f"Mission Locale {place.name} {index + 1}", department=department
        )
        ReferralFactory(
            prescriber=PrescriberFactory(organisation=organisation),
            created_at=NOW - datetime.timedelta(days=2),
        )
    return place


def build(size: int = 1) -> tuple[Place, Place, Place]:
    """Lyon (69, a target of 10 pairs a year), Marseille (13, no target) and the national
    programme (93), `size` rounds of people each."""
    lyon = Place(make_antenne("Lyon", ["69"], target_pairs_per_year=10), "Lyon")
    marseille = Place(make_antenne("Marseille", ["13"]), "Marseille")
    national = Place(None, "Seine-Saint-Denis")
    populate(lyon, postal_code="69003", size=size)
    populate(marseille, postal_code="13001", size=size)
    populate(national, postal_code="93200", size=size)
    return lyon, marseille, national
