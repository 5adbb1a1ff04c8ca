"""The life of a proposal in the service layer: proposed by a coordinator, answered by both
members, or started directly by a coordinator."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from matching.enums import MentorshipStatus, Response, Side
from matching.models import Mentorship
from matching.selectors import mentees_awaiting_mentor, pair_evaluation
from matching.services import (
    MatchingError,
    mentorship_activate,
    mentorship_propose,
    mentorship_respond,
)
from tests.matching.factories import MentorshipFactory
from tests.mentees.factories import MenteeFactory
from tests.mentors.factories import MentorFactory
from tests.users.factories import UserFactory
from users.enums import HelpTopic

pytestmark = pytest.mark.django_db


@pytest.fixture
def answer(django_capture_on_commit_callbacks):
    """Answers as a member would, running the e-mails queued on commit."""

    def answer(mentorship, side, *, accept=True, reason=""):
        with django_capture_on_commit_callbacks(execute=True):
            return mentorship_respond(
                mentorship=mentorship, side=side, accept=accept, reason=reason
            )

    return answer


def subjects_to(mailoutbox, address):
    return [message.subject for message in mailoutbox if address in message.to]


# Proposing


def test_a_proposal_records_who_proposed_it_when_and_the_score_and_explanation_of_that_moment():
    mentee = MenteeFactory(approved=True, needs=[HelpTopic.ALTERNANCE])
    mentor = MentorFactory(approved=True, help_topics=[HelpTopic.ALTERNANCE])
    coordinator = UserFactory(coordinator=True)
    _, expected = pair_evaluation(mentee=mentee, mentor=mentor)
    moment = timezone.now().replace(microsecond=0)

    with time_machine.travel(moment, tick=False):
        mentorship = mentorship_propose(mentee=mentee, mentor=mentor, proposed_by=coordinator)
    # Later changes to the mentor's profile must not rewrite why the pair was proposed.
    mentor.help_topics = [HelpTopic.ORIENTATION]
    mentor.save()

    mentorship.refresh_from_db()
    assert mentorship.status == MentorshipStatus.PROPOSED
    assert mentorship.proposed_by == coordinator
    assert mentorship.proposed_at == moment
    assert mentorship.score == expected.score
    assert mentorship.explanation == expected.explanation()
    assert {"label": "aide à trouver une alternance : oui", "ok": True} in mentorship.explanation
    assert mentorship.mentor_response == mentorship.mentee_response == Response.PENDING


def test_a_proposal_breaking_a_hard_constraint_is_refused_in_french_and_creates_nothing():
    mentee = MenteeFactory(approved=True)
    mentor = MentorFactory()  # registration not validated yet

    with pytest.raises(MatchingError) as refused:
        mentorship_propose(mentee=mentee, mentor=mentor, proposed_by=UserFactory(coordinator=True))

    assert refused.value.reasons == ["l'inscription du mentor n'est pas validée"]
    assert "Binôme impossible : l'inscription du mentor n'est pas validée" in str(refused.value)
    assert not Mentorship.objects.exists()


def test_a_refused_proposal_gives_every_reason_at_once():
    mentee = MenteeFactory(minor=True, approved=True)  # no guardian consent
    mentor = MentorFactory(approved=True, accepts_minors=False)

    with pytest.raises(MatchingError) as refused:
        mentorship_propose(mentee=mentee, mentor=mentor, proposed_by=UserFactory(coordinator=True))

    assert refused.value.reasons == [
        "le jeune est mineur et son représentant légal n'a pas donné son accord",
        "le jeune est mineur et le mentor n'accepte pas les mineurs",
    ]
    assert not Mentorship.objects.exists()


def test_a_proposal_emails_both_members(django_capture_on_commit_callbacks, mailoutbox):
    mentee = MenteeFactory(approved=True)
    mentor = MentorFactory(approved=True)

    with django_capture_on_commit_callbacks(execute=True):
        mentorship_propose(mentee=mentee, mentor=mentor, proposed_by=UserFactory(coordinator=True))

    assert subjects_to(mailoutbox, mentor.user.email) == [
        "Mentorat AJE : un binôme vous est proposé"
    ]
    assert subjects_to(mailoutbox, mentee.user.email) == ["Mentorat AJE : un mentor t'est proposé"]


# Answering


def test_the_first_acceptance_keeps_the_pair_waiting_for_the_other_member(answer, mailoutbox):
    mentorship = MentorshipFactory()

    answered = answer(mentorship, Side.MENTOR)

    assert answered.status == MentorshipStatus.PROPOSED
    assert answered.mentor_response == Response.ACCEPTED
    assert answered.mentor_responded_at is not None
    assert answered.mentee_response == Response.PENDING
    assert answered.started_on is None
    assert mailoutbox == []


def test_when_both_accept_the_pair_starts_today_and_both_are_told(answer, mailoutbox):
    mentorship = MentorshipFactory()
    answer(mentorship, Side.MENTEE)

    answered = answer(mentorship, Side.MENTOR)

    assert answered.status == MentorshipStatus.ACTIVE
    assert answered.started_on == timezone.localdate()
    assert answered.mentor_response == answered.mentee_response == Response.ACCEPTED
    assert subjects_to(mailoutbox, mentorship.mentor.user.email) == [
        "Mentorat AJE : votre binôme commence"
    ]
    assert subjects_to(mailoutbox, mentorship.mentee.user.email) == [
        "Mentorat AJE : ton binôme commence"
    ]


def test_a_decline_records_the_reason_and_frees_the_mentor_and_the_young_person(answer):
    mentor = MentorFactory(approved=True, capacity=1)
    mentorship = MentorshipFactory(mentor=mentor)
    assert mentorship.mentee not in mentees_awaiting_mentor()

    answered = answer(mentorship, Side.MENTEE, accept=False, reason="  Je préfère le week-end. ")

    assert answered.status == MentorshipStatus.DECLINED
    assert answered.mentee_response == Response.DECLINED
    assert answered.decline_reason == "Jeune : Je préfère le week-end."
    assert mentorship.mentee in mentees_awaiting_mentor()
    # The mentor's only slot is free again: another young person can be proposed.
    other = mentorship_propose(
        mentee=MenteeFactory(approved=True), mentor=mentor, proposed_by=mentorship.proposed_by
    )
    assert other.status == MentorshipStatus.PROPOSED


def test_a_decline_emails_the_coordinator_who_proposed_the_pair(answer, mailoutbox):
    mentorship = MentorshipFactory()

    answer(mentorship, Side.MENTOR, accept=False, reason="Pas disponible ce trimestre")

    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == [mentorship.proposed_by.email]
    assert message.subject == "Mentorat AJE : une proposition de binôme a été refusée"
    assert "Mentor : Pas disponible ce trimestre" in message.body


@pytest.mark.parametrize("reason", ["", "   "])
def test_declining_without_a_reason_is_refused(answer, mailoutbox, reason):
    mentorship = MentorshipFactory()

    with pytest.raises(MatchingError) as refused:
        answer(mentorship, Side.MENTEE, accept=False, reason=reason)

    assert refused.value.reasons == ["indiquez pourquoi vous refusez cette proposition"]
    mentorship.refresh_from_db()
    assert mentorship.status == MentorshipStatus.PROPOSED
    assert mentorship.mentee_response == Response.PENDING
    assert mailoutbox == []


def test_answering_twice_is_refused(answer):
    mentorship = MentorshipFactory()
    answer(mentorship, Side.MENTOR)

    with pytest.raises(MatchingError) as refused:
        answer(mentorship, Side.MENTOR, accept=False, reason="Finalement non")

    assert refused.value.reasons == ["vous avez déjà répondu à cette proposition"]
    mentorship.refresh_from_db()
    assert mentorship.mentor_response == Response.ACCEPTED
    assert mentorship.status == MentorshipStatus.PROPOSED


def test_a_pair_declined_by_one_member_no_longer_takes_the_other_ones_answer(answer):
    mentorship = MentorshipFactory()
    answer(mentorship, Side.MENTOR, accept=False, reason="Pas disponible")

    with pytest.raises(MatchingError) as refused:
        answer(mentorship, Side.MENTEE)

    assert refused.value.reasons == ["cette proposition n'attend plus de réponse"]
    mentorship.refresh_from_db()
    assert mentorship.status == MentorshipStatus.DECLINED
    assert mentorship.mentee_response == Response.PENDING


def test_the_history_names_the_member_who_answered(answer):
    mentorship = MentorshipFactory()

    answer(mentorship, Side.MENTEE)

    last = mentorship.history.latest()
    assert last.history_user == mentorship.mentee.user
    assert last.history_change_reason == "Réponse du jeune"


# A coordinator starts the pair


def test_a_coordinator_activates_a_pair_directly_and_records_who_introduced_them(
    django_capture_on_commit_callbacks, mailoutbox
):
    mentorship = MentorshipFactory()
    coordinator = UserFactory(coordinator=True)
    referent = UserFactory(staff=True)
    kick_off = timezone.localdate() - datetime.timedelta(days=3)

    with django_capture_on_commit_callbacks(execute=True):
        activated = mentorship_activate(
            mentorship=mentorship,
            activated_by=coordinator,
            introduced_by=referent,
            started_on=kick_off,
        )

    activated.refresh_from_db()
    assert activated.status == MentorshipStatus.ACTIVE
    assert activated.started_on == kick_off
    assert activated.activated_by == coordinator
    assert activated.introduced_by == referent
    assert activated.history.latest().history_user == coordinator
    assert sorted(address for message in mailoutbox for address in message.to) == sorted(
        [mentorship.mentor.user.email, mentorship.mentee.user.email]
    )


def test_a_direct_activation_starts_today_by_default():
    activated = mentorship_activate(
        mentorship=MentorshipFactory(), activated_by=UserFactory(coordinator=True)
    )

    assert activated.started_on == timezone.localdate()


def test_a_start_date_in_the_future_is_refused():
    mentorship = MentorshipFactory()

    with pytest.raises(MatchingError) as refused:
        mentorship_activate(
            mentorship=mentorship,
            activated_by=UserFactory(coordinator=True),
            started_on=timezone.localdate() + datetime.timedelta(days=1),
        )

    assert refused.value.reasons == ["la date de début ne peut pas être dans le futur"]
    mentorship.refresh_from_db()
    assert mentorship.status == MentorshipStatus.PROPOSED


@pytest.mark.parametrize("trait", ["active", "declined", "closed"])
def test_only_a_proposed_pair_can_be_activated(trait):
    mentorship = MentorshipFactory(**{trait: True})

    with pytest.raises(MatchingError) as refused:
        mentorship_activate(mentorship=mentorship, activated_by=UserFactory(coordinator=True))

    assert refused.value.reasons == ["seul un binôme proposé peut être activé"]


def test_accepting_is_refused_when_a_hard_constraint_now_blocks_the_pair():
    from matching.enums import MentorshipStatus, Response, Side
    from matching.services import MatchingError, mentorship_respond
    from tests.matching.factories import MentorshipFactory
    from users.enums import RegistrationStatus

    mentorship = MentorshipFactory()
    type(mentorship.mentor).objects.filter(pk=mentorship.mentor.pk).update(
        status=RegistrationStatus.REJECTED
    )

    with pytest.raises(MatchingError, match="l'inscription du mentor n'est pas validée"):
        mentorship_respond(mentorship=mentorship, side=Side.MENTEE, accept=True)

    mentorship.refresh_from_db()
    assert mentorship.status == MentorshipStatus.PROPOSED
    assert mentorship.mentee_response == Response.PENDING


def test_accepting_a_proposal_that_holds_the_mentors_last_slot_is_allowed():
    from matching.enums import MentorshipStatus, Side
    from matching.services import mentorship_respond
    from tests.matching.factories import MentorshipFactory
    from tests.mentors.factories import MentorFactory

    mentor = MentorFactory(approved=True, capacity=1, postal_code="93200", department="93")
    mentorship = MentorshipFactory(
        mentor=mentor, mentee__postal_code="93200", mentee__department="93"
    )

    mentorship_respond(mentorship=mentorship, side=Side.MENTOR, accept=True)
    mentorship_respond(mentorship=mentorship, side=Side.MENTEE, accept=True)

    mentorship.refresh_from_db()
    assert mentorship.status == MentorshipStatus.ACTIVE
