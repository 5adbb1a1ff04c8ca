"""Who sees which pair: `mentorships_visible_to` is where every page that takes a pair (or
anything in it) starts, so each role is checked against the same set of pairs."""

import pytest
from django.contrib.auth.models import AnonymousUser, Group

from matching.selectors import mentorships_visible_to
from tests.matching.factories import MentorshipFactory
from tests.mentors.factories import MentorFactory
from tests.users.factories import UserFactory
from users.roles import COORDINATORS_GROUP

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme():
    """Two mentors followed by two référents; the first mentor has an active pair, a closed
    one and a proposal, the second an active pair."""
    referent = UserFactory(staff=True)
    other_referent = UserFactory(staff=True)
    mentor = MentorFactory(approved=True, capacity=3, referent=referent)
    other_mentor = MentorFactory(approved=True, referent=other_referent)
    active = MentorshipFactory(active=True, mentor=mentor)
    closed = MentorshipFactory(closed=True, mentor=mentor)
    proposed = MentorshipFactory(mentor=mentor)
    elsewhere = MentorshipFactory(active=True, mentor=other_mentor)
    return {
        "referent": referent,
        "other_referent": other_referent,
        "mentor": mentor,
        "active": active,
        "closed": closed,
        "proposed": proposed,
        "elsewhere": elsewhere,
        "all": {active, closed, proposed, elsewhere},
        "first mentor's": {active, closed, proposed},
    }


def visible(user) -> set:
    return set(mentorships_visible_to(user))


def test_a_mentor_sees_their_own_pairs_whatever_their_status(programme):
    assert visible(programme["mentor"].user) == programme["first mentor's"]


def test_a_young_person_sees_only_their_own_pair(programme):
    assert visible(programme["active"].mentee.user) == {programme["active"]}


def test_a_young_person_still_sees_their_closed_pair(programme):
    assert visible(programme["closed"].mentee.user) == {programme["closed"]}


def test_the_mentors_referent_sees_every_pair_of_the_mentors_they_follow(programme):
    assert visible(programme["referent"]) == programme["first mentor's"]


def test_another_referent_sees_only_the_pairs_of_their_own_mentors(programme):
    assert visible(programme["other_referent"]) == {programme["elsewhere"]}


def test_a_staff_member_following_no_mentor_sees_no_pair(programme):
    assert visible(UserFactory(staff=True)) == set()


def test_a_referent_who_left_the_staff_no_longer_sees_the_mentors_pairs(programme):
    referent = programme["referent"]
    referent.is_staff = False
    referent.save()

    assert visible(referent) == set()


def test_a_coordinator_sees_every_pair(programme):
    assert visible(UserFactory(coordinator=True)) == programme["all"]


def test_a_staff_member_in_the_coordinators_group_sees_every_pair(programme):
    user = UserFactory(staff=True)
    user.groups.add(Group.objects.get_or_create(name=COORDINATORS_GROUP)[0])

    assert visible(user) == programme["all"]


def test_membership_of_the_coordinators_group_without_staff_status_gives_nothing(programme):
    user = UserFactory()
    user.groups.add(Group.objects.get_or_create(name=COORDINATORS_GROUP)[0])

    assert visible(user) == set()


@pytest.mark.parametrize("role", ["mentor", "young person", "referent", "coordinator"])
def test_an_inactive_account_sees_no_pair(programme, role):
    user = {
        "mentor": programme["mentor"].user,
        "young person": programme["active"].mentee.user,
        "referent": programme["referent"],
        "coordinator": UserFactory(coordinator=True),
    }[role]
    user.is_active = False
    user.save()

    assert visible(user) == set()


def test_an_anonymous_visitor_sees_no_pair(programme):
    assert visible(AnonymousUser()) == set()


def test_a_registered_person_without_a_pair_sees_none(programme):
    assert visible(UserFactory()) == set()


def test_the_visible_pairs_chain_with_the_programme_rules(programme):
    # The spaces narrow the visible pairs further (active ones, compliance) in SQL.
    pairs = mentorships_visible_to(programme["referent"]).active().with_compliance()

    assert list(pairs) == [programme["active"]]


def test_involving_keeps_the_pairs_of_a_member_on_either_side(programme):
    from matching.models import Mentorship

    mentee_user = programme["active"].mentee.user

    assert (
        set(Mentorship.objects.involving(programme["mentor"].user)) == programme["first mentor's"]
    )
    assert set(Mentorship.objects.involving(mentee_user)) == {programme["active"]}
    # A référent follows pairs without being a member of any.
    assert not Mentorship.objects.involving(programme["referent"]).exists()
    assert not Mentorship.objects.involving(AnonymousUser()).exists()
