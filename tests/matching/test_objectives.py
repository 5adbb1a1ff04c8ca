"""Objectives in the service layer: set by the two members of an active pair, each with a
title, updated by either member, every change kept with its author."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from matching.enums import MentorshipStatus, ObjectiveStatus
from matching.models import Mentorship, Objective
from matching.services import PairRuleError, objective_create, objective_update
from mentors.models import Mentor
from tests.matching.factories import MentorshipFactory
from tests.users.factories import UserFactory

pytestmark = pytest.mark.django_db

MOMENT = datetime.datetime(2026, 3, 16, 18, 30, tzinfo=datetime.UTC)


@pytest.fixture
def pair():
    return MentorshipFactory(active=True, started_on=datetime.date(2026, 1, 5))


@pytest.fixture
def objective(pair):
    return objective_create(
        mentorship=pair, title="Trouver une alternance", author=pair.mentee.user
    )


def update(objective, author, **changes):
    fields = {
        "title": objective.title,
        "description": objective.description,
        "status": objective.status,
        **changes,
    }
    return objective_update(objective=objective, author=author, **fields)


# Creating


@pytest.mark.parametrize("member", ["mentor", "mentee"])
def test_either_member_sets_an_objective_which_starts_open(pair, member):
    author = getattr(pair, member).user

    with time_machine.travel(MOMENT, tick=False):
        objective = objective_create(
            mentorship=pair,
            title="  Préparer les entretiens  ",
            description="  Simulations avec le mentor. ",
            author=author,
        )

    objective.refresh_from_db()
    assert objective.mentorship == pair
    assert objective.title == "Préparer les entretiens"
    assert objective.description == "Simulations avec le mentor."
    assert objective.status == ObjectiveStatus.OPEN
    assert objective.created_by == author
    assert objective.created_at == objective.status_changed_at == MOMENT


def test_the_creation_is_in_the_history_with_its_author(pair, objective):
    record = objective.history.get()

    assert record.history_type == "+"
    assert record.history_user == pair.mentee.user


@pytest.mark.parametrize("title", ["", "   "])
def test_an_objective_needs_a_title(pair, title):
    with pytest.raises(PairRuleError) as refused:
        objective_create(mentorship=pair, title=title, author=pair.mentor.user)

    assert refused.value.errors == {"title": "Donnez un titre à l'objectif."}
    assert not Objective.objects.exists()


def test_a_title_too_long_is_refused_in_french_not_by_the_database(pair):
    with pytest.raises(PairRuleError) as refused:
        objective_create(mentorship=pair, title="x" * 201, author=pair.mentor.user)

    assert refused.value.errors == {"title": "Le titre ne peut pas dépasser 200 caractères."}


def test_a_description_too_long_is_refused_beside_the_title_error(pair):
    with pytest.raises(PairRuleError) as refused:
        objective_create(mentorship=pair, title="", description="x" * 1001, author=pair.mentor.user)

    assert set(refused.value.errors) == {"title", "description"}


def test_a_title_of_exactly_200_characters_is_accepted(pair):
    objective = objective_create(mentorship=pair, title="x" * 200, author=pair.mentor.user)

    assert len(objective.title) == 200


@pytest.mark.parametrize(
    "traits",
    [{}, {"declined": True}, {"closed": True, "ended_on": datetime.date(2026, 2, 1)}],
    ids=["proposed", "declined", "closed"],
)
def test_objectives_are_set_only_during_an_active_mentoring(traits):
    pair = MentorshipFactory(**traits)

    with pytest.raises(PairRuleError) as refused:
        objective_create(mentorship=pair, title="Trouver un stage", author=pair.mentor.user)

    assert refused.value.errors == {None: "Les objectifs se fixent pendant le mentorat."}
    assert not Objective.objects.exists()


def outsiders(pair) -> dict:
    referent = UserFactory(staff=True)
    Mentor.objects.filter(pk=pair.mentor.pk).update(referent=referent)
    return {
        "référent": referent,
        "coordinator": UserFactory(coordinator=True),
        "other mentor": MentorshipFactory(active=True).mentor.user,
    }


@pytest.mark.parametrize("who", ["référent", "coordinator", "other mentor"])
def test_only_the_two_members_set_objectives(pair, who):
    author = outsiders(pair)[who]

    with pytest.raises(PairRuleError) as refused:
        objective_create(mentorship=pair, title="Trouver un stage", author=author)

    assert refused.value.errors == {None: "Seuls les membres du binôme fixent ses objectifs."}


# Updating


@pytest.mark.parametrize("member", ["mentor", "mentee"])
def test_either_member_updates_an_objective(pair, objective, member):
    author = getattr(pair, member).user

    update(objective, author, title="Signer un contrat d'alternance", description="En BTS SIO.")

    objective.refresh_from_db()
    assert objective.title == "Signer un contrat d'alternance"
    assert objective.description == "En BTS SIO."


def test_a_status_change_records_when_it_happened(pair, objective):
    created = objective.status_changed_at

    with time_machine.travel(MOMENT, tick=False):
        update(objective, pair.mentor.user, status=ObjectiveStatus.IN_PROGRESS)

    objective.refresh_from_db()
    assert objective.status == ObjectiveStatus.IN_PROGRESS
    assert objective.status_changed_at == MOMENT != created


def test_editing_the_text_alone_keeps_the_date_of_the_last_status_change(pair, objective):
    before = objective.status_changed_at

    with time_machine.travel(MOMENT, tick=False):
        update(objective, pair.mentor.user, description="Dans le numérique.")

    objective.refresh_from_db()
    assert objective.status_changed_at == before


def test_every_change_is_kept_in_the_history_with_its_author(pair, objective):
    update(objective, pair.mentor.user, status=ObjectiveStatus.IN_PROGRESS)
    update(objective, pair.mentee.user, status=ObjectiveStatus.ACHIEVED)

    history = list(objective.history.order_by("history_date", "history_id"))
    assert [(record.status, record.history_user) for record in history] == [
        (ObjectiveStatus.OPEN, pair.mentee.user),
        (ObjectiveStatus.IN_PROGRESS, pair.mentor.user),
        (ObjectiveStatus.ACHIEVED, pair.mentee.user),
    ]


def test_an_update_needs_a_title_and_changes_nothing_when_refused(pair, objective):
    with pytest.raises(PairRuleError) as refused:
        update(objective, pair.mentor.user, title=" ", status=ObjectiveStatus.ACHIEVED)

    assert refused.value.errors == {"title": "Donnez un titre à l'objectif."}
    objective.refresh_from_db()
    assert objective.status == ObjectiveStatus.OPEN
    assert objective.history.count() == 1


def test_an_unknown_status_is_refused_in_french(pair, objective):
    with pytest.raises(PairRuleError) as refused:
        update(objective, pair.mentor.user, status="done")

    assert refused.value.errors == {"status": "Choisissez l'état de l'objectif."}


def test_the_objectives_of_a_closed_pair_no_longer_change(pair, objective):
    Mentorship.objects.filter(pk=pair.pk).update(status=MentorshipStatus.CLOSED)

    with pytest.raises(PairRuleError) as refused:
        update(objective, pair.mentor.user, status=ObjectiveStatus.ACHIEVED)

    assert refused.value.errors == {
        None: "Ce mentorat est terminé : ses objectifs ne changent plus."
    }


@pytest.mark.parametrize("who", ["référent", "coordinator", "other mentor"])
def test_only_the_two_members_update_objectives(pair, objective, who):
    author = outsiders(pair)[who]

    with pytest.raises(PairRuleError):
        update(objective, author, status=ObjectiveStatus.ABANDONED)

    objective.refresh_from_db()
    assert objective.status == ObjectiveStatus.OPEN


def test_an_update_starts_from_the_stored_objective_not_a_stale_copy(pair, objective):
    stale = Objective.objects.get(pk=objective.pk)
    update(objective, pair.mentor.user, status=ObjectiveStatus.IN_PROGRESS)

    with time_machine.travel(timezone.now() + datetime.timedelta(days=1), tick=False):
        # The stale copy still says "open": asking for "in progress" again is no change.
        objective_update(
            objective=stale,
            title=stale.title,
            description="",
            status=ObjectiveStatus.IN_PROGRESS,
            author=pair.mentee.user,
        )

    assert objective.history.count() == 3
    objective.refresh_from_db()
    assert objective.history.first().status_changed_at == objective.status_changed_at
    assert objective.history.all()[1].status_changed_at == objective.status_changed_at
