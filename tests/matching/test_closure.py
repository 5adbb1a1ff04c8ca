"""Closing a pair: « Objectifs atteints » only after 6 months and with every objective settled,
the other reasons at any time, a valid end date, and what closing does to the mentor's slot,
the young person's place in the queue and the history."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from matching.enums import CloseReason, MentorshipStatus, ObjectiveStatus
from matching.models import Mentorship, Objective
from matching.selectors import mentees_awaiting_mentor, pair_evaluation, suggest_mentors
from matching.services import MatchingError, PairRuleError, mentorship_close, mentorship_propose
from tests.matching.factories import MentorshipFactory
from tests.mentees.factories import MenteeFactory
from tests.mentors.factories import MentorFactory
from tests.users.factories import UserFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 16)
NOON = datetime.datetime(2026, 3, 16, 12, tzinfo=timezone.get_default_timezone())
SIX_MONTHS_AGO = datetime.date(2025, 9, 16)
OTHER_REASONS = [reason for reason in CloseReason if reason != CloseReason.OBJECTIVES_ACHIEVED]


@pytest.fixture(autouse=True)
def today():
    # The service reads the clock for the default end date and the "not in the future" rule.
    with time_machine.travel(NOON, tick=False):
        yield TODAY


@pytest.fixture
def coordinator():
    return UserFactory(coordinator=True)


def pair_with(*statuses, started_on=SIX_MONTHS_AGO, **fields) -> Mentorship:
    pair = MentorshipFactory(active=True, started_on=started_on, **fields)
    for status in statuses:
        Objective.objects.create(
            mentorship=pair, title=f"Objectif {status}", status=status, created_by=pair.mentor.user
        )
    return pair


def close(pair, closed_by, reason=CloseReason.OBJECTIVES_ACHIEVED, **kwargs) -> Mentorship:
    return mentorship_close(mentorship=pair, reason=reason, closed_by=closed_by, **kwargs)


def refusal(pair, closed_by, reason=CloseReason.OBJECTIVES_ACHIEVED, **kwargs) -> dict:
    """The errors of a refused closure, after checking the pair was left untouched."""
    history = pair.history.count()
    with pytest.raises(PairRuleError) as refused:
        close(pair, closed_by, reason, **kwargs)
    pair.refresh_from_db()
    assert pair.status == MentorshipStatus.ACTIVE
    assert pair.history.count() == history
    return refused.value.errors


# « Objectifs atteints »: six months


def test_objectives_achieved_is_refused_at_six_months_minus_a_day(coordinator):
    pair = pair_with(ObjectiveStatus.ACHIEVED, started_on=SIX_MONTHS_AGO + datetime.timedelta(1))

    errors = refusal(pair, coordinator)

    assert list(errors) == ["reason"]
    assert errors["reason"].startswith(
        "« Objectifs atteints » n'est possible qu'après 6 mois de mentorat (commencé le 17/09/2025)"
    )


def test_objectives_achieved_is_accepted_at_exactly_six_months(coordinator):
    pair = pair_with(ObjectiveStatus.ACHIEVED)

    closed = close(pair, coordinator)

    assert closed.status == MentorshipStatus.CLOSED
    assert closed.ended_on == TODAY


def test_the_six_months_are_counted_up_to_the_end_date_not_today(coordinator):
    pair = pair_with(ObjectiveStatus.ACHIEVED, started_on=datetime.date(2025, 6, 1))

    errors = refusal(pair, coordinator, ended_on=datetime.date(2025, 11, 30))
    closed = close(pair, coordinator, ended_on=datetime.date(2025, 12, 1))

    assert "6 mois" in errors["reason"]
    assert closed.ended_on == datetime.date(2025, 12, 1)


def test_a_pair_started_on_the_31st_may_close_on_the_last_day_six_months_later(coordinator):
    pair = pair_with(ObjectiveStatus.ACHIEVED, started_on=datetime.date(2025, 8, 31))

    closed = close(pair, coordinator, ended_on=datetime.date(2026, 2, 28))

    assert closed.status == MentorshipStatus.CLOSED


# « Objectifs atteints »: every objective settled


@pytest.mark.parametrize("pending", [ObjectiveStatus.OPEN, ObjectiveStatus.IN_PROGRESS])
def test_objectives_achieved_is_refused_while_an_objective_is_open_or_in_progress(
    coordinator, pending
):
    pair = pair_with(ObjectiveStatus.ACHIEVED, pending, started_on=datetime.date(2024, 1, 1))

    errors = refusal(pair, coordinator)

    assert errors == {
        "reason": "Des objectifs sont encore à commencer ou en cours : mettez-les à jour avant "
        "de clôturer pour « Objectifs atteints »."
    }


def test_abandoned_objectives_do_not_block_objectives_achieved(coordinator):
    pair = pair_with(ObjectiveStatus.ACHIEVED, ObjectiveStatus.ABANDONED)

    assert close(pair, coordinator).close_reason == CloseReason.OBJECTIVES_ACHIEVED


@pytest.mark.parametrize(
    "statuses", [[], [ObjectiveStatus.ABANDONED]], ids=["no objective", "only abandoned"]
)
def test_objectives_achieved_needs_at_least_one_achieved_objective(coordinator, statuses):
    pair = pair_with(*statuses)

    errors = refusal(pair, coordinator)

    assert errors["reason"].startswith("Aucun objectif n'est marqué comme atteint")


def test_objectives_achieved_is_accepted_exactly_when_the_pair_is_ready_to_close(coordinator):
    ready = pair_with(ObjectiveStatus.ACHIEVED)
    early = pair_with(ObjectiveStatus.ACHIEVED, started_on=SIX_MONTHS_AGO + datetime.timedelta(1))
    pending = pair_with(ObjectiveStatus.ACHIEVED, ObjectiveStatus.OPEN)

    assert list(Mentorship.objects.ready_to_close()) == [ready]
    close(ready, coordinator)
    for pair in (early, pending):
        refusal(pair, coordinator)


# The other reasons


@pytest.mark.parametrize("reason", OTHER_REASONS)
def test_the_other_reasons_are_allowed_at_any_time_with_objectives_pending(coordinator, reason):
    pair = pair_with(ObjectiveStatus.OPEN, started_on=TODAY - datetime.timedelta(days=1))

    closed = close(pair, coordinator, reason, comment="Déménagement à l'étranger.")

    assert closed.status == MentorshipStatus.CLOSED
    assert closed.close_reason == reason


@pytest.mark.parametrize("comment", ["", "   \n"])
def test_other_needs_a_comment(coordinator, comment):
    pair = pair_with()

    errors = refusal(pair, coordinator, CloseReason.OTHER, comment=comment)

    assert errors == {"comment": "Précisez la raison de la fin du mentorat."}


def test_an_unknown_reason_is_refused_in_french(coordinator):
    errors = refusal(pair_with(), coordinator, "fin_de_saison")

    assert errors == {"reason": "Choisissez la raison de la fin du mentorat."}


# The end date


def test_the_end_date_cannot_be_in_the_future(coordinator):
    errors = refusal(
        pair_with(), coordinator, CloseReason.UNREACHABLE, ended_on=TODAY + datetime.timedelta(1)
    )

    assert errors == {"ended_on": "La date de fin ne peut pas être dans le futur."}


def test_the_end_date_cannot_precede_the_start(coordinator):
    pair = pair_with()

    errors = refusal(
        pair,
        coordinator,
        CloseReason.UNREACHABLE,
        ended_on=SIX_MONTHS_AGO - datetime.timedelta(1),
    )

    assert errors == {"ended_on": "La date de fin ne peut pas précéder le début du mentorat."}


def test_a_pair_may_end_on_the_day_it_started(coordinator):
    pair = pair_with(started_on=TODAY)

    assert close(pair, coordinator, CloseReason.MENTEE_WITHDREW).ended_on == TODAY


def test_every_error_is_reported_at_once_beside_its_field(coordinator):
    pair = pair_with(started_on=TODAY - datetime.timedelta(days=30))

    errors = refusal(pair, coordinator, CloseReason.OTHER, ended_on=TODAY + datetime.timedelta(1))

    assert set(errors) == {"ended_on", "comment"}


# Only active pairs


@pytest.mark.parametrize(
    "traits",
    [{}, {"declined": True}, {"closed": True, "ended_on": TODAY}],
    ids=["proposed", "declined", "closed"],
)
def test_only_an_active_pair_can_be_closed(coordinator, traits):
    pair = MentorshipFactory(**traits)
    status = pair.status

    with pytest.raises(PairRuleError) as refused:
        close(pair, coordinator, CloseReason.UNREACHABLE)

    assert refused.value.errors == {None: "Seul un binôme actif peut être clôturé."}
    pair.refresh_from_db()
    assert pair.status == status


def test_a_pair_read_before_another_closed_it_cannot_be_closed_twice(coordinator):
    pair = pair_with(ObjectiveStatus.ACHIEVED)
    stale = Mentorship.objects.get(pk=pair.pk)
    close(pair, coordinator)

    with pytest.raises(PairRuleError):
        close(stale, coordinator, CloseReason.OTHER, comment="Doublon")

    stale.refresh_from_db()
    assert stale.close_reason == CloseReason.OBJECTIVES_ACHIEVED


# What closing records


def test_closing_records_who_why_when_and_the_comment(coordinator):
    pair = pair_with(ObjectiveStatus.ACHIEVED)

    close(pair, coordinator, CloseReason.UNREACHABLE, comment="  Plus de réponse depuis mai.  ")

    pair.refresh_from_db()
    assert pair.status == MentorshipStatus.CLOSED
    assert pair.closed_by == coordinator
    assert pair.close_reason == CloseReason.UNREACHABLE
    assert pair.close_comment == "Plus de réponse depuis mai."
    assert pair.ended_on == TODAY


def test_the_history_records_the_closure_with_its_author_and_reason(coordinator):
    pair = pair_with(ObjectiveStatus.ACHIEVED)

    close(pair, coordinator)

    latest, before = pair.history.all()[:2]
    assert (before.status, latest.status) == (MentorshipStatus.ACTIVE, MentorshipStatus.CLOSED)
    assert latest.history_user == coordinator
    assert latest.history_change_reason == "Clôture : Objectifs atteints"


# The mentor's slot and the young person's place in the queue


@pytest.fixture
def full_mentor():
    """A mentor whose only slot is taken by an active pair."""
    mentor = MentorFactory(approved=True, capacity=1)
    return mentor, pair_with(mentor=mentor, started_on=TODAY - datetime.timedelta(days=30))


def test_closing_frees_the_mentors_slot_for_another_young_person(coordinator, full_mentor):
    mentor, pair = full_mentor
    newcomer = MenteeFactory(approved=True)
    full = "le mentor n'a plus de place (1 binôme(s) pour 1 place(s))"
    assert full in pair_evaluation(mentee=newcomer, mentor=mentor)[0]
    assert mentor not in [s.mentor for s in suggest_mentors(mentee=newcomer)]

    close(pair, coordinator, CloseReason.MENTEE_WITHDREW)

    assert pair_evaluation(mentee=newcomer, mentor=mentor)[0] == []
    assert [s.mentor for s in suggest_mentors(mentee=newcomer)] == [mentor]
    assert mentorship_propose(mentee=newcomer, mentor=mentor, proposed_by=coordinator).is_open


def test_rematch_needed_puts_the_young_person_back_in_the_queue_with_the_history_kept(
    coordinator, full_mentor
):
    _, pair = full_mentor
    mentee = pair.mentee
    assert mentee not in mentees_awaiting_mentor()

    close(pair, coordinator, CloseReason.REMATCH_NEEDED)

    assert mentee in mentees_awaiting_mentor()
    assert list(Mentorship.objects.filter(mentee=mentee)) == [pair]
    assert Mentorship.objects.get(pk=pair.pk).status == MentorshipStatus.CLOSED


def test_after_a_rematch_the_same_mentor_is_never_proposed_again(coordinator, full_mentor):
    mentor, pair = full_mentor
    other = MentorFactory(approved=True)
    close(pair, coordinator, CloseReason.REMATCH_NEEDED)

    reasons, _ = pair_evaluation(mentee=pair.mentee, mentor=mentor)

    assert reasons == ["ces deux personnes ont déjà formé un binôme, aujourd'hui terminé"]
    assert [s.mentor for s in suggest_mentors(mentee=pair.mentee)] == [other]
    with pytest.raises(MatchingError):
        mentorship_propose(mentee=pair.mentee, mentor=mentor, proposed_by=coordinator)
    rematch = mentorship_propose(mentee=pair.mentee, mentor=other, proposed_by=coordinator)
    assert set(Mentorship.objects.filter(mentee=pair.mentee)) == {pair, rematch}
