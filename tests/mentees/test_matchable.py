import datetime

import pytest

from mentees.ages import age_on
from mentees.models import Mentee
from tests.mentees.factories import MenteeFactory

pytestmark = pytest.mark.django_db


def test_a_minor_without_guardian_consent_is_never_matchable():
    MenteeFactory(minor=True, approved=True)
    assert not Mentee.objects.matchable().exists()


def test_a_minor_with_guardian_consent_and_approval_is_matchable():
    mentee = MenteeFactory(minor=True, approved=True, with_consent=True)
    assert list(Mentee.objects.matchable()) == [mentee]


def test_an_approved_adult_is_matchable_and_an_unapproved_one_is_not():
    adult = MenteeFactory(approved=True)
    MenteeFactory()
    MenteeFactory(rejected=True)
    assert list(Mentee.objects.matchable()) == [adult]


def test_minors_are_counted_on_the_given_day():
    mentee = MenteeFactory(minor=True, birth_date=datetime.date(2009, 6, 1))
    assert list(Mentee.objects.minors(today=datetime.date(2027, 5, 31))) == [mentee]
    assert not Mentee.objects.minors(today=datetime.date(2027, 6, 1)).exists()


@pytest.mark.parametrize(
    ("birth_date", "day", "age"),
    [
        (datetime.date(2008, 2, 29), datetime.date(2026, 2, 28), 17),
        (datetime.date(2008, 2, 29), datetime.date(2026, 3, 1), 18),
        (datetime.date(2000, 5, 10), datetime.date(2026, 5, 9), 25),
        (datetime.date(2000, 5, 10), datetime.date(2026, 5, 10), 26),
    ],
)
def test_age_counts_completed_years(birth_date, day, age):
    assert age_on(birth_date, day) == age
