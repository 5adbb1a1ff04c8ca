"""The funders' report (« bilan ») on a hand-built programme with fixed dates: every figure
below is counted by hand from the fixture's table, for the first half of 2025.

    pair  mentor  started     ended       reason            young person (born, civility, dép.)
    A     M1      2025-02-10  —                             2009-03-01 mme 93  QPV✓ ASE
    B     M2      2025-03-15  2025-05-20  mentee_withdrew   2008-03-16 —   69  QPV
    C     M3      2024-09-01  —                             2000-01-01 m   971
    D     M5      2025-07-05  —                             2001-05-05 mme 93  QPV
    E     M4      2024-06-30  2025-01-15  objectives        1999-06-06 m   75
    F     M1      2024-11-20  2025-02-01  unreachable       2002-02-02 m   75
    G     M6      2024-10-10  2025-04-10  other             2003-03-03 mme 13
    H     M7      2024-10-11  2025-04-10  other             2004-04-04 mme 13

Sessions (minutes): A 2025-03-01 (90), 2025-04-10 (60), 2025-07-02 (90); C 2024-12-01 (90),
2025-01-20 (90), 2025-03-01 (90), 2025-04-10 (120), 2025-05-20 (90).
"""

import datetime

import pytest
import time_machine
from django.utils import timezone

from evaluations.enums import Moment, QuestionKind, ResponseStatus
from evaluations.models import Answer, Questionnaire, Response
from evaluations.selectors import programme_progress
from matching.enums import CloseReason, MentorshipStatus
from matching.models import Mentorship
from matching.rules import expected_sessions, has_lasted_minimum
from mentees.ages import age_on
from mentees.priority import PriorityMark, PriorityPublic
from mentorat.staff.bilan import Period, age_on_start, bilan, lasted_minimum
from tests.matching.factories import MentorshipFactory
from tests.mentees.factories import MenteeFactory
from tests.mentors.factories import MentorFactory
from tests.sessions.factories import SessionFactory
from users.programme import AGE_BANDS, RULES

pytestmark = pytest.mark.django_db

D = datetime.date
FIRST_HALF = Period(start=D(2025, 1, 1), end=D(2025, 6, 30))
SECOND_HALF = Period(start=D(2025, 7, 1), end=D(2025, 12, 31))


def public(code: str) -> PriorityPublic:
    found, _ = PriorityPublic.objects.get_or_create(
        code=code, defaults={"label": f"Public {code}", "question": f"Question {code}"}
    )
    return found


def young(born: D, civility: str, postal_code: str, *publics: str, confirmed=()):
    mentee = MenteeFactory(
        approved=True, birth_date=born, civility=civility, postal_code=postal_code
    )
    for code in publics:
        PriorityMark.objects.create(
            mentee=mentee,
            public=public(code),
            confirmed_at=timezone.now() if code in confirmed else None,
        )
    return mentee


def pair(mentor, mentee, started: D, ended: D | None = None, reason: str = ""):
    if ended is None:
        return MentorshipFactory(active=True, mentor=mentor, mentee=mentee, started_on=started)
    return MentorshipFactory(
        closed=True,
        mentor=mentor,
        mentee=mentee,
        started_on=started,
        ended_on=ended,
        close_reason=reason,
    )


def sessions(mentorship, *held: tuple[D, int]):
    for day, minutes in held:
        SessionFactory(mentorship=mentorship, held_on=day, duration_minutes=minutes)


def build_programme() -> dict:
    m1, m2, m3, m4, m5, m6, m7 = (MentorFactory(approved=True) for _ in range(7))
    pairs = {
        "A": pair(m1, young(D(2009, 3, 1), "mme", "93200", "QPV", "ASE", confirmed={"QPV"}),
                  D(2025, 2, 10)),
        "B": pair(m2, young(D(2008, 3, 16), "", "69008", "QPV"), D(2025, 3, 15), D(2025, 5, 20),
                  CloseReason.MENTEE_WITHDREW),
        "C": pair(m3, young(D(2000, 1, 1), "m", "97110"), D(2024, 9, 1)),
        "D": pair(m5, young(D(2001, 5, 5), "mme", "93100", "QPV"), D(2025, 7, 5)),
        "E": pair(m4, young(D(1999, 6, 6), "m", "75019"), D(2024, 6, 30), D(2025, 1, 15),
                  CloseReason.OBJECTIVES_ACHIEVED),
        "F": pair(m1, young(D(2002, 2, 2), "m", "75011"), D(2024, 11, 20), D(2025, 2, 1),
                  CloseReason.UNREACHABLE),
        "G": pair(m6, young(D(2003, 3, 3), "mme", "13001"), D(2024, 10, 10), D(2025, 4, 10),
                  CloseReason.OTHER),
        "H": pair(m7, young(D(2004, 4, 4), "mme", "13015"), D(2024, 10, 11), D(2025, 4, 10),
                  CloseReason.OTHER),
    }  # fmt: skip
    # Never counted: a proposal and a declined one.
    MentorshipFactory(mentor=m5)
    MentorshipFactory(declined=True, mentor=m2)
    sessions(pairs["A"], (D(2025, 3, 1), 90), (D(2025, 4, 10), 60), (D(2025, 7, 2), 90))
    sessions(
        pairs["C"],
        (D(2024, 12, 1), 90),
        (D(2025, 1, 20), 90),
        (D(2025, 3, 1), 90),
        (D(2025, 4, 10), 120),
        (D(2025, 5, 20), 90),
    )
    return pairs


@pytest.fixture
def programme():
    return build_programme()


def by_label(rows, key="count"):
    return {row["label"]: row[key] for row in rows}


def test_young_people_mentored_are_the_pairs_started_in_the_period(programme):
    mentored = bilan(FIRST_HALF)["mentored"]

    # A and B; C, E, F, G, H started before, D after.
    assert (mentored["pairs"], mentored["young_people"]) == (2, 2)
    assert by_label(mentored["ages"]) == {"11 à 15 ans": 1, "16 à 17 ans": 1, "18 à 25 ans": 0,
                                          "26 à 30 ans": 0}  # fmt: skip
    assert by_label(mentored["sexes"]) == {"Madame": 1, "Monsieur": 0, "Non renseigné": 1}
    # A's pair has not lasted the minimum by the end of June.
    assert mentored["reached_minimum"] == 0


def test_by_public_a_young_person_counts_in_each_of_their_publics(programme):
    data = bilan(FIRST_HALF)
    publics = {row["code"]: row for row in data["publics"]}

    # A is QPV and ASE, B is QPV; D (QPV too) started after the period.
    assert (publics["QPV"]["pairs"], publics["QPV"]["young_people"]) == (2, 2)
    assert publics["QPV"]["confirmed"] == 1
    assert publics["ASE"]["pairs"] == 1
    assert sum(row["pairs"] for row in data["publics"]) == 3 > data["mentored"]["pairs"]
    mentored = data["mentored"]
    assert (mentored["with_public"], mentored["several_publics"]) == (2, 1)
    assert mentored["without_public"] == 0


def test_another_period_counts_its_own_pairs_only(programme):
    data = bilan(SECOND_HALF)

    assert data["mentored"]["pairs"] == 1  # D
    assert {row["code"]: row["pairs"] for row in data["publics"]}["QPV"] == 1
    assert {row["code"]: row["pairs"] for row in data["publics"]}["ASE"] == 0
    # D's young person is 24 on 5 July 2025.
    assert by_label(data["mentored"]["ages"]) == {
        "11 à 15 ans": 0,
        "16 à 17 ans": 0,
        "18 à 25 ans": 1,
        "26 à 30 ans": 0,
    }
    assert data["closures"]["total"] == 0
    assert data["sessions"]["sessions"] == 1  # A's, on 2 July


def test_departements_and_regions(programme):
    places = bilan(FIRST_HALF)["places"]

    assert [(row["code"], row["pairs"]) for row in places["departments"]] == [("69", 1), ("93", 1)]
    assert {row["label"]: row["pairs"] for row in places["regions"]} == {
        "Auvergne-Rhône-Alpes": 1,
        "Île-de-France": 1,
    }


def test_pairs_that_reached_the_minimum_duration_in_the_period(programme):
    # C reached it on 1 March, G on 10 April, the day it closed; H closed a day short of it,
    # F long before, and E reached it in December 2024.
    assert bilan(FIRST_HALF)["minimum_reached"] == 2
    # D and A reach it after the end of 2025, C and G did before the second half.
    assert bilan(SECOND_HALF)["minimum_reached"] == 1  # A, on 10 August


def test_closures_by_reason_and_before_the_minimum(programme):
    closures = bilan(FIRST_HALF)["closures"]

    assert (closures["total"], closures["early"]) == (5, 3)
    assert by_label(closures["reasons"]) == {
        "Objectifs atteints": 1,
        "Le jeune a arrêté": 1,
        "Le mentor a arrêté": 0,
        "Plus de nouvelles": 1,
        "Un autre mentor est nécessaire": 0,
        "Autre raison": 2,
    }
    assert by_label(closures["reasons"], "early")["Autre raison"] == 1  # H, not G
    assert by_label(closures["reasons"], "early")["Objectifs atteints"] == 0


def test_sessions_and_hours_held_in_the_period(programme):
    held = bilan(FIRST_HALF)["sessions"]

    assert held == {"sessions": 6, "qualifying": 5, "minutes": 540, "hours": 9.0, "pairs": 2}


def test_rhythm_over_each_pairs_days_in_the_period(programme):
    rhythm = bilan(FIRST_HALF)["rhythm"]

    # Active in the period: A, B, C, E, F, G, H. E (15 days) and F (31 days) were active less
    # than one interval in it; of the others only C held a qualifying session per interval.
    assert rhythm["pairs"] == 7
    assert (rhythm["measured"], rhythm["too_recent"]) == (5, 2)
    assert (rhythm["kept"], rhythm["missed"]) == (1, 4)
    assert rhythm["share"] == pytest.approx(0.2)


def test_rhythm_expects_what_the_programme_rule_expects(programme):
    """The SQL reading of the windows against matching.rules.expected_sessions."""
    windows = {
        "A": (D(2025, 2, 10), D(2025, 6, 30), 1),
        "B": (D(2025, 3, 15), D(2025, 5, 20), 0),
        "C": (D(2025, 1, 1), D(2025, 6, 30), 4),
        "G": (D(2025, 1, 1), D(2025, 4, 10), 0),
        "H": (D(2025, 1, 1), D(2025, 4, 10), 0),
    }
    kept = sum(held >= expected_sessions(start, end) for start, end, held in windows.values())
    assert bilan(FIRST_HALF)["rhythm"]["kept"] == kept


def test_mentors_active_and_their_retention(programme):
    mentors = bilan(FIRST_HALF)["mentors"]

    # M1, M2, M3, M4, M6 and M7 (M5's pair starts in July); M2 is the only new one; M1 took A
    # after F.
    assert mentors["active"] == 6
    assert (mentors["before"], mentors["new"]) == (5, 1)
    assert (mentors["started"], mentors["again"]) == (2, 1)
    assert mentors["again_share"] == pytest.approx(0.5)


def test_a_mentor_who_starts_their_first_pair_in_the_period_has_not_taken_another():
    mentor = MentorFactory(approved=True)
    pair(mentor, young(D(2005, 1, 1), "m", "93200"), D(2025, 2, 1))
    pair(mentor, young(D(2005, 1, 1), "m", "93200"), D(2025, 2, 1))

    mentors = bilan(FIRST_HALF)["mentors"]

    assert (mentors["active"], mentors["before"], mentors["started"], mentors["again"]) == (
        1,
        0,
        1,
        0,
    )


# --- Self-assessment: the programme's computation, over the period


def _respond(mentorship, moment, value, *, at):
    questionnaire = Questionnaire.objects.current().get()
    question = questionnaire.questions.filter(kind=QuestionKind.SCALE).order_by("order").first()
    with time_machine.travel(at, tick=False):
        response = Response.objects.create(
            mentorship=mentorship,
            moment=moment,
            questionnaire=questionnaire,
            status=ResponseStatus.SUBMITTED,
            submitted_at=timezone.now(),
        )
    Answer.objects.create(response=response, question=question, scale_value=value)


def test_self_assessment_counts_the_end_questionnaires_of_the_period(programme):
    noon = datetime.time(12, tzinfo=datetime.UTC)
    for key, start, end, day in [("G", 2, 4, D(2025, 4, 9)), ("E", 1, 5, D(2024, 12, 20))]:
        _respond(
            programme[key], Moment.START, start, at=datetime.datetime.combine(D(2024, 11, 1), noon)
        )
        _respond(programme[key], Moment.END, end, at=datetime.datetime.combine(day, noon))

    progress = bilan(FIRST_HALF)["progress"]

    assert [(row["pairs"], row["mean_change"]) for row in progress] == [(1, 2.0)]
    assert progress == programme_progress(since=FIRST_HALF.start, until=FIRST_HALF.end)


# --- The SQL readings of the programme's rules


@pytest.mark.parametrize(
    ("started", "ended"),
    [
        (D(2024, 8, 31), D(2025, 2, 28)),  # the end of a shorter month: lasted
        (D(2024, 8, 31), D(2025, 2, 27)),
        (D(2024, 8, 29), D(2025, 2, 28)),
        (D(2023, 8, 31), D(2024, 2, 29)),  # leap year
        (D(2023, 8, 31), D(2024, 2, 28)),
        (D(2023, 8, 29), D(2024, 2, 28)),
        (D(2024, 3, 31), D(2024, 9, 30)),
        (D(2024, 3, 30), D(2024, 9, 29)),
        (D(2024, 3, 30), D(2024, 9, 30)),
        (D(2024, 10, 10), D(2025, 4, 10)),  # exactly
        (D(2024, 10, 11), D(2025, 4, 10)),  # a day short
        (D(2024, 1, 15), D(2025, 1, 14)),  # more than a year
        (D(2024, 12, 31), D(2025, 6, 30)),
        (D(2024, 12, 30), D(2025, 6, 29)),
        (D(2025, 1, 1), D(2025, 1, 1)),
    ],
)
def test_lasted_minimum_reads_the_rule_in_the_database(started, ended):
    closed = MentorshipFactory(closed=True, started_on=started, ended_on=ended)

    in_sql = Mentorship.objects.filter(pk=closed.pk).filter(lasted_minimum()).exists()

    assert in_sql is has_lasted_minimum(started, ended)


@pytest.mark.parametrize(
    ("born", "started"),
    [
        (D(2008, 2, 29), D(2025, 2, 28)),
        (D(2008, 2, 29), D(2025, 3, 1)),
        (D(2009, 3, 1), D(2025, 2, 10)),
        (D(2008, 3, 16), D(2025, 3, 15)),
        (D(2008, 3, 16), D(2025, 3, 16)),
        (D(1995, 12, 31), D(2025, 1, 1)),
    ],
)
def test_age_on_start_reads_the_age_rule_in_the_database(born, started):
    pair = MentorshipFactory(active=True, started_on=started, mentee__birth_date=born)

    age = Mentorship.objects.filter(pk=pair.pk).values_list(age_on_start(), flat=True).get()

    assert age == age_on(born, started)


def test_age_bands_cover_the_programme_ages_once_each():
    ages = [age for low, high in AGE_BANDS for age in range(low, high + 1)]

    assert ages == list(range(RULES.min_age, RULES.max_age + 1))


def test_pairs_never_started_count_nowhere():
    MentorshipFactory()  # proposed
    MentorshipFactory(declined=True)

    data = bilan(FIRST_HALF)

    assert data["mentored"]["pairs"] == data["rhythm"]["pairs"] == data["mentors"]["active"] == 0
    assert Mentorship.objects.filter(status=MentorshipStatus.PROPOSED).count() == 1
