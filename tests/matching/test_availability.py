"""Availabilities: when both sides gave some and none is shared, the pair is excluded (a hard
constraint, stated in French wherever a pair is refused), unless the coordinator switches the
rule off on the weights page; the criterion then scores 0. One side that gave none is
« non renseigné »: never a reason to exclude."""

import pytest
from django.urls import reverse

from matching.admin_matching_page import search_mentors
from matching.batch import batch_compute
from matching.compatibility import WEIGHT_NAMES, Weights
from matching.models import MatchingWeights
from matching.selectors import (
    current_weights,
    pair_evaluation,
    suggest_mentees,
    suggest_mentors,
)
from tests.mentees.factories import MenteeFactory
from tests.mentors.factories import MentorFactory
from users.enums import Availability
from users.scopes import StaffScope

pytestmark = pytest.mark.django_db

# A national coordinator's scope: the search reaches every mentor.
NATIONAL_SCOPE = StaffScope(coordinator=True)

DAYTIME = Availability.WEEKDAY_DAYTIME
EVENING = Availability.WEEKDAY_EVENING
WEEKEND = Availability.WEEKEND
NONE_SHARED = "ils n'ont aucune disponibilité en commun"
# Only the availability criterion counts: the score is its fraction, 0 to 100.
ONLY_AVAILABILITY = {name: int(name == "availability") for name in WEIGHT_NAMES}


def young_person(availability):
    return MenteeFactory(approved=True, postal_code="93200", availability=availability)


def mentor(availability):
    return MentorFactory(approved=True, postal_code="93100", availability=availability)


CASES = {
    # name: young person's, mentor's, switch, refusal reasons, availability label, ok, score
    "shared": (
        [EVENING, WEEKEND], [WEEKEND], True,
        [], "disponibilités communes : week-end", True, 50,
    ),
    "none_shared_switch_on": (
        [EVENING], [WEEKEND, DAYTIME], True,
        [NONE_SHARED], "aucune disponibilité commune", False, 0,
    ),
    "none_shared_switch_off": (
        [EVENING], [WEEKEND, DAYTIME], False,
        [], "aucune disponibilité commune", False, 0,
    ),
    "young_person_gave_none": (
        [], [WEEKEND], True,
        [], "disponibilités non renseignées (par le jeune)", None, 0,
    ),
    "mentor_gave_none": (
        [EVENING], [], True,
        [], "disponibilités non renseignées (par le mentor)", None, 0,
    ),
}  # fmt: skip


@pytest.mark.parametrize(
    ("mentee_slots", "mentor_slots", "required", "reasons", "label", "ok", "expected_score"),
    list(CASES.values()),
    ids=list(CASES),
)
def test_a_pair_without_a_common_availability_is_excluded_only_when_required(
    mentee_slots, mentor_slots, required, reasons, label, ok, expected_score
):
    mentee, other = young_person(mentee_slots), mentor(mentor_slots)
    weights = Weights(**ONLY_AVAILABILITY, availability_required=required)

    refused, detail = pair_evaluation(mentee=mentee, mentor=other, weights=weights)

    assert refused == reasons
    assert {"label": label, "ok": ok} in detail.explanation()
    assert detail.score == expected_score
    # The suggestions and the batch apply the same rule as the single pair.
    suggested = [s.mentor for s in suggest_mentors(mentee=mentee, weights=weights)]
    assert suggested == ([] if reasons else [other])
    offered = [s.mentee for s in suggest_mentees(mentor=other, weights=weights)]
    assert offered == ([] if reasons else [mentee])
    proposals = batch_compute(mentee_ids=[mentee.pk], weights=weights).proposals
    assert [(p.mentor_id, p.score) for p in proposals] == (
        [] if reasons else [(other.pk, expected_score)]
    )


def test_the_switch_is_on_by_default_and_read_from_the_weights_page():
    assert MatchingWeights.load().availability_required is True
    assert current_weights().availability_required is True

    MatchingWeights.objects.update(availability_required=False)

    assert current_weights().availability_required is False


def test_why_not_this_mentor_states_the_missing_common_availability():
    mentee = young_person([EVENING])
    MentorFactory(
        approved=True, postal_code="93100", availability=[WEEKEND], employer="Ateliers Dupré"
    )

    results, _ = search_mentors(
        mentee=mentee,
        query="Dupré",
        today=mentee.created_at.date(),
        weights=Weights(),
        scope=NATIONAL_SCOPE,
    )

    assert [result.reasons for result in results] == [[NONE_SHARED]]


def test_the_weights_page_offers_the_switch_with_its_explanation(admin_client):
    MatchingWeights.load()

    response = admin_client.get(reverse("admin:matching_matchingweights_change", args=[1]))

    html = response.content.decode()
    assert 'name="availability_required"' in html
    assert "xiger au moins une disponibilité commune" in html
    assert "n'est jamais proposé" in html
