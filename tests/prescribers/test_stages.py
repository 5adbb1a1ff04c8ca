"""The stage a prescriber sees: from the registration's status and the pairs, nothing more."""

import pytest

from matching.enums import MentorshipStatus
from mentorat.demo.factories import MenteeFactory, ReferralFactory
from prescribers.enums import Stage
from prescribers.models import Referral
from prescribers.stages import path_steps, with_stage
from tests.matching.factories import MentorshipFactory
from users.enums import RegistrationStatus

pytestmark = pytest.mark.django_db


def stage_of(referral) -> str:
    return with_stage(Referral.objects.filter(pk=referral.pk)).get().stage


def referral_of(mentee):
    return ReferralFactory(mentee=mentee, registered_at=mentee.created_at)


def test_a_young_person_who_has_not_registered_yet_is_referred():
    assert stage_of(ReferralFactory()) == Stage.REFERRED


@pytest.mark.parametrize(
    "status", [RegistrationStatus.PENDING_REVIEW, RegistrationStatus.AWAITING_GUARDIAN_CONSENT]
)
def test_a_registration_awaiting_review_or_consent_is_registered(status):
    assert stage_of(referral_of(MenteeFactory(status=status))) == Stage.REGISTERED


def test_an_approved_registration_without_a_pair_is_approved():
    assert stage_of(referral_of(MenteeFactory(approved=True))) == Stage.APPROVED


def test_a_rejected_registration_is_not_retained():
    assert stage_of(referral_of(MenteeFactory(rejected=True))) == Stage.NOT_RETAINED


def test_a_proposed_pair_is_matched_and_a_started_one_active():
    proposed = MentorshipFactory(status=MentorshipStatus.PROPOSED, mentee__approved=True)
    active = MentorshipFactory(active=True, mentee__approved=True)

    assert stage_of(referral_of(proposed.mentee)) == Stage.MATCHED
    assert stage_of(referral_of(active.mentee)) == Stage.ACTIVE


def test_a_closed_pair_is_ended_unless_a_new_one_is_active():
    closed = MentorshipFactory(closed=True, mentee__approved=True)
    referral = referral_of(closed.mentee)
    assert stage_of(referral) == Stage.ENDED

    MentorshipFactory(active=True, mentee=closed.mentee)

    assert stage_of(referral) == Stage.ACTIVE


def test_a_declined_proposal_leaves_the_young_person_approved():
    declined = MentorshipFactory(status=MentorshipStatus.DECLINED, mentee__approved=True)
    assert stage_of(referral_of(declined.mentee)) == Stage.APPROVED


def test_the_stage_of_many_referrals_is_one_query(django_assert_num_queries):
    for _ in range(3):
        referral_of(MentorshipFactory(active=True, mentee__approved=True).mentee)
        ReferralFactory()
    with django_assert_num_queries(1):
        stages = sorted(r.stage for r in with_stage(Referral.objects.all()))
    assert stages == [Stage.ACTIVE] * 3 + [Stage.REFERRED] * 3


def test_the_path_marks_the_steps_done_current_and_to_come():
    steps = path_steps(Stage.MATCHED)
    assert [step["label"] for step in steps] == [
        "Orienté",
        "Inscrit",
        "Validé",
        "En binôme",
        "Actif",
        "Terminé",
    ]
    assert [step["state"] for step in steps] == ["done"] * 3 + ["current"] + ["todo"] * 2
    # A registration not retained stops at « inscrit ».
    assert [step["state"] for step in path_steps(Stage.NOT_RETAINED)][:3] == [
        "done",
        "current",
        "todo",
    ]
