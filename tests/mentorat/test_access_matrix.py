"""Who may open what: every URL pattern of the project, found in the URL configuration, for
every role (access_world.ROLES), against the table of access_rules.py. A new URL without a
rule, or a rule left for a URL that is gone, fails here."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from matching.enums import Response as Answer
from matching.models import Mentorship
from mentors.models import Exchange
from sessions.models import FollowUp

from .access_matrix import (
    answer,
    rule_for,
    rule_key,
    rule_keys,
    url_for,
    without_code_answer,
    written_rule_for,
)
from .access_patterns import discover
from .access_rules import WITHOUT_CODE, WITHOUT_CODE_ANSWER
from .access_world import (
    PRESCRIBER_ROLES,
    PRESCRIBER_WITHOUT_CODE,
    ROLES,
    STAFF_WITHOUT_CODE,
    WRITTEN_ROLES,
    build_world,
)

ROUTES = discover()
CASES = [
    pytest.param(route, role, id=f"{rule_key(route)}-{role}")
    for route in ROUTES
    if rule_for(route) is not None
    for role in ROLES
]
# Nobody outside the pair, nor a coordinator before their code, may be shown its members.
OUTSIDERS = {"other_mentor", "other_mentee", "other_referent", STAFF_WITHOUT_CODE}
# Prescribers are outsiders to the pair: the world's referral is another young person.
OUTSIDERS |= set(PRESCRIBER_ROLES)
# And so is the coordinator of another antenne.
OUTSIDERS.add("other_antenne_coordinator")


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once for the module, in a transaction rolled back at its end; each test runs in
    a savepoint of it (pytest-django's `db`), so what a request writes is undone too."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


def test_every_url_pattern_has_a_rule():
    missing = sorted(rule_key(route) for route in ROUTES if rule_for(route) is None)
    assert not missing, f"URL patterns without an access rule in access_rules.py: {missing}"


def test_every_rule_is_for_an_existing_url_pattern():
    stale = sorted((rule_keys() | set(WITHOUT_CODE)) - {rule_key(route) for route in ROUTES})
    assert not stale, f"Access rules for URL patterns that no longer exist: {stale}"


def test_every_rule_answers_for_every_role():
    routes = [route for route in ROUTES if rule_for(route) is not None]
    assert routes
    wrong = [
        rule_key(route)
        for route in routes
        if len(written_rule_for(rule_key(route)).expected()) != len(WRITTEN_ROLES)
        or len(rule_for(route).expected()) != len(ROLES)
    ]
    assert not wrong, f"Rules without exactly one answer per role: {wrong}"


@pytest.mark.django_db
@pytest.mark.parametrize(("route", "role"), CASES)
def test_access(world, route, role):
    rule = rule_for(route)
    url = url_for(route, rule, world)
    response = world.client(role).get(url)
    expected = rule.expected()[ROLES.index(role)]
    assert answer(response) == expected, f"GET {url} as {role}: {response.status_code}"
    if role in OUTSIDERS and not getattr(response, "streaming", False):
        # Whatever they are shown (a 404, their own list, a public page), nothing of the pair.
        body = response.content.decode(errors="replace")
        leaked = [trace for trace in world.owner_traces() if trace in body]
        assert not leaked, f"GET {url} as {role} shows {leaked}"


# POST-only endpoints: somebody else's POST changes nothing.


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", "login"),
        ("referent", "404"),
        ("other_mentor", "404"),
        ("other_mentee", "404"),
        ("other_referent", "404"),
        ("coordinator", "404"),
        (STAFF_WITHOUT_CODE, "code"),
    ],
)
def test_it_refuses_an_answer_to_a_proposal_from_anybody_but_its_members(world, role, expected):
    url = reverse("matching:respond", args=[world.proposal.pk])
    prefix = f"binome-{world.proposal.pk}"
    data = {f"{prefix}-decision": "accept", f"{prefix}-reason": ""}
    response = world.client(role).post(url, data)
    assert answer(response) == expected
    proposal = Mentorship.objects.get(pk=world.proposal.pk)
    assert (proposal.mentor_response, proposal.mentee_response) == (
        Answer.PENDING,
        Answer.PENDING,
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", "admin"),
        ("mentor", "admin"),
        ("other_referent", "404"),
        ("coordinator", "404"),
        (STAFF_WITHOUT_CODE, "code"),
    ],
)
def test_it_refuses_a_follow_up_from_the_referent_home_of_another_referent(world, role, expected):
    session = world.objects["session"]
    url = reverse("admin:referent_follow_up", args=[session.pk])
    data = {f"s{session.pk}-comment": "Intrusion", f"s{session.pk}-reviewed": "on"}
    response = world.client(role).post(url, data)
    assert answer(response) == expected
    assert FollowUp.objects.get(session=session).comment != "Intrusion"


@pytest.mark.django_db
def test_it_refuses_an_exchange_naming_another_referents_mentor(world):
    url = reverse("admin:referent_exchange")
    data = {
        "mentors": [world.pair.mentor.pk],
        "happened_on": "2026-01-05",
        "kind": "call",
        "note": "Intrusion",
    }
    response = world.client("other_referent").post(url, data)
    assert response.status_code == 400
    assert not Exchange.objects.filter(note="Intrusion").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["referent", "other_referent"])
@pytest.mark.parametrize(
    ("name", "target", "field", "other"),
    [
        ("admin:mentees_mentee_propose", "mentee", "mentor", "mentor"),
        ("admin:mentors_mentor_propose", "mentor", "mentee", "mentee"),
    ],
)
def test_it_refuses_a_proposal_from_a_referent(world, role, name, target, field, other):
    pairs = Mentorship.objects.count()
    free = {"mentor": world.other_pair.mentor, "mentee": world.proposal.mentee}
    url = reverse(name, args=[world.objects[target].pk])
    response = world.client(role).post(url, {field: free[other].pk})
    assert response.status_code == 403
    assert Mentorship.objects.count() == pairs


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["referent", "other_referent"])
def test_it_refuses_the_confirmation_of_a_batch_from_a_referent(world, role):
    batch = world.objects["batch"]
    url = reverse("admin:matching_matchingbatch_confirm", args=[batch.pk])
    response = world.client(role).post(url, {"pair": [f"{world.proposal.mentee.pk}:1"]})
    assert response.status_code == 403
    batch.refresh_from_db()
    assert batch.confirmed_at is None


# The coordinator who typed the password but not yet the code: no page, no POST.

WRITES = ("INSERT", "UPDATE", "DELETE")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "route",
    [
        route
        for route in ROUTES
        if rule_for(route) is not None
        and without_code_answer(rule_key(route)) == WITHOUT_CODE_ANSWER
    ],
    ids=rule_key,
)
@pytest.mark.parametrize("role", [STAFF_WITHOUT_CODE, PRESCRIBER_WITHOUT_CODE])
def test_a_post_without_the_code_is_sent_to_the_code_page_and_writes_nothing(world, route, role):
    url = url_for(route, rule_for(route), world)
    with CaptureQueriesContext(connection) as queries:
        response = world.client(role).post(url, {"comment": "Intrusion"})
    assert answer(response) == "code"
    writes = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(WRITES)]
    assert not writes, f"POST {url} without the code wrote: {writes}"


@pytest.mark.django_db
def test_a_follow_up_posted_without_the_code_changes_nothing(world):
    session = world.objects["session"]
    before = FollowUp.objects.filter(session=session).values().get()

    response = world.client(STAFF_WITHOUT_CODE).post(
        reverse("sessions:follow_up", args=[session.pk]),
        {"reviewed": "on", "comment": "Intrusion"},
    )

    assert answer(response) == "code"
    assert FollowUp.objects.filter(session=session).values().get() == before


@pytest.mark.django_db
def test_the_pair_page_without_the_code_shows_nothing_of_the_pair(world):
    response = world.client(STAFF_WITHOUT_CODE).get(
        reverse("spaces:pair", args=[world.pair.pk]), follow=True
    )

    assert response.redirect_chain[-1][0].startswith(reverse("two_factor_verify") + "?next=")
    body = response.content.decode()
    assert not [trace for trace in world.owner_traces() if trace in body]
