"""A mentor's free slots, stated once (matching.capacity) and read by every page."""

import pytest

from matching.capacity import HAS_FREE_SLOT, with_free_slots
from mentors.models import Mentor
from tests.matching.factories import MentorshipFactory
from tests.mentors.factories import MentorFactory

pytestmark = pytest.mark.django_db


def test_free_slots_are_the_capacity_less_the_proposed_and_active_pairs():
    mentor = MentorFactory(approved=True, capacity=3)
    MentorshipFactory(mentor=mentor)
    MentorshipFactory(mentor=mentor, active=True)
    MentorshipFactory(mentor=mentor, closed=True)

    annotated = with_free_slots(Mentor.objects.filter(pk=mentor.pk)).get()

    assert (annotated.open_pairs, annotated.free_slots) == (2, 1)
    assert with_free_slots(Mentor.objects.all()).filter(HAS_FREE_SLOT).get() == mentor


def test_a_capacity_lowered_under_the_open_pairs_leaves_no_slot_not_a_negative_one():
    mentor = MentorFactory(approved=True, capacity=2)
    MentorshipFactory(mentor=mentor, active=True)
    MentorshipFactory(mentor=mentor, active=True)
    Mentor.objects.filter(pk=mentor.pk).update(capacity=1)

    annotated = with_free_slots(Mentor.objects.filter(pk=mentor.pk)).get()

    assert annotated.free_slots == 0
    assert not with_free_slots(Mentor.objects.all()).filter(HAS_FREE_SLOT).exists()
