import datetime

import pytest
from django.test import override_settings
from django.utils import timezone

from mentors.models import Mentor
from tests.mentors.factories import MentorFactory, ScreeningRecordFactory

pytestmark = pytest.mark.django_db


def test_a_mentor_who_accepts_minors_without_a_screening_record_is_not_cleared():
    mentor = MentorFactory(accepts_minors=True, approved=True)
    assert not mentor.is_cleared_for_minors()
    assert not Mentor.objects.cleared_for_minors().exists()


def test_a_mentor_with_a_valid_screening_record_is_cleared_for_minors():
    mentor = MentorFactory(for_minors=True, approved=True)
    assert mentor.is_cleared_for_minors()
    assert list(Mentor.objects.cleared_for_minors()) == [mentor]


def test_a_screened_mentor_who_does_not_accept_minors_is_not_cleared():
    mentor = MentorFactory(accepts_minors=False)
    ScreeningRecordFactory(mentor=mentor)
    assert not mentor.is_cleared_for_minors()


@override_settings(SCREENING_VALIDITY_DAYS=365)
def test_an_outdated_screening_record_no_longer_clears_the_mentor():
    today = timezone.localdate()
    mentor = MentorFactory(accepts_minors=True)
    ScreeningRecordFactory(mentor=mentor, checked_on=today - datetime.timedelta(days=366))
    assert not mentor.is_cleared_for_minors(today=today)
    ScreeningRecordFactory(mentor=mentor, checked_on=today - datetime.timedelta(days=365))
    assert mentor.is_cleared_for_minors(today=today)


def test_a_screening_record_cannot_be_dated_in_the_future():
    from django.core.exceptions import ValidationError

    record = ScreeningRecordFactory.build(
        mentor=MentorFactory(accepts_minors=True),
        checked_on=timezone.localdate() + datetime.timedelta(days=1),
    )
    with pytest.raises(ValidationError) as error:
        record.full_clean()
    assert "ne peut pas être future" in str(error.value)
