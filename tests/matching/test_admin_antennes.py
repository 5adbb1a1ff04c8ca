"""The matching tools of the admin for the antennes: an antenne coordinator matches, proposes,
starts, activates, closes and batches only within their antenne (404 elsewhere, the national
programme included), the young person's page widens the search to the neighbouring antennes,
and a national coordinator batches one antenne or all of them."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from matching.enums import BatchStatus, MentorshipStatus
from matching.models import MatchingBatch, MatchingWeights, Mentorship
from mentees.models import Mentee
from tests.antennes.factories import make_antenne
from tests.matching.factories import MentorshipFactory
from tests.mentees.factories import MenteeFactory
from tests.mentors.factories import MentorFactory
from tests.users.staff import login_staff, make_antenne_coordinator, make_coordinator

pytestmark = pytest.mark.django_db

START = reverse("admin:matching_matchingbatch_start")
BATCHES = reverse("admin:matching_matchingbatch_changelist")
# Lyon (69) borders the Ain (01); Marseille (13) borders neither.
LYON, AIN, MARSEILLE = "69003", "01000", "13001"


@pytest.fixture
def antennes():
    return {
        "lyon": make_antenne("Lyon", ["69"]),
        "ain": make_antenne("Ain", ["01"]),
        "marseille": make_antenne("Marseille", ["13"]),
    }


@pytest.fixture
def lyon_client(client, antennes):
    return login_staff(client, make_antenne_coordinator(antennes["lyon"]))


@pytest.fixture
def national_client(client):
    return login_staff(client, make_coordinator())


def young_person(antenne, postal_code=LYON, **fields):
    return MenteeFactory(approved=True, postal_code=postal_code, antenne=antenne, **fields)


def mentor(antenne, postal_code=LYON, **fields):
    return MentorFactory(approved=True, postal_code=postal_code, antenne=antenne, **fields)


def matching_page(person, **params):
    opts = person._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_matching", args=[person.pk])
    return f"{url}?voisines=1" if params.get("widened") else url


def propose_from_mentee(mentee):
    return reverse("admin:mentees_mentee_propose", args=[mentee.pk])


def propose_from_mentor(mentor):
    return reverse("admin:mentors_mentor_propose", args=[mentor.pk])


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


# --- 404 outside the antenne, on every matching view


def people_of(antenne, postal_code):
    """A young person, a mentor, a proposed and an active pair and a computed batch of one
    antenne (None: the national programme; its batch is the national one)."""
    mentee = young_person(antenne, postal_code)
    a_mentor = mentor(antenne, postal_code, capacity=3)
    return {
        "mentee": mentee,
        "mentor": a_mentor,
        "proposed": MentorshipFactory(mentee=young_person(antenne, postal_code), mentor=a_mentor),
        "active": MentorshipFactory(
            mentee=young_person(antenne, postal_code), mentor=a_mentor, active=True
        ),
        "batch": MatchingBatch.objects.create(
            created_by=make_coordinator(),
            antenne=antenne,
            status=BatchStatus.DONE,
            result={"proposals": [], "unmatched": []},
        ),
    }


def matching_requests(people, own):
    """(method, url, data) of every matching view for `people`; `own` are the coordinator's
    own antenne's, for the other side of a proposal."""
    return {
        "mentee-page": ("get", matching_page(people["mentee"]), {}),
        "mentor-page": ("get", matching_page(people["mentor"]), {}),
        "propose-for-the-mentee": (
            "post",
            propose_from_mentee(people["mentee"]),
            {"mentor": own["mentor"].pk},
        ),
        "propose-their-mentor": (
            "post",
            propose_from_mentee(own["mentee"]),
            {"mentor": people["mentor"].pk},
        ),
        "propose-their-mentor-widened": (
            "post",
            propose_from_mentee(own["mentee"]),
            {"mentor": people["mentor"].pk, "voisines": "1"},
        ),
        "propose-for-the-mentor": (
            "post",
            propose_from_mentor(people["mentor"]),
            {"mentee": own["mentee"].pk},
        ),
        "propose-their-mentee": (
            "post",
            propose_from_mentor(own["mentor"]),
            {"mentee": people["mentee"].pk},
        ),
        "activate-get": (
            "get",
            reverse("admin:matching_mentorship_activate", args=[people["proposed"].pk]),
            {},
        ),
        "activate-post": (
            "post",
            reverse("admin:matching_mentorship_activate", args=[people["proposed"].pk]),
            {"started_on": "2026-01-05"},
        ),
        "close-get": (
            "get",
            reverse("admin:matching_mentorship_close", args=[people["active"].pk]),
            {},
        ),
        "close-post": (
            "post",
            reverse("admin:matching_mentorship_close", args=[people["active"].pk]),
            {"reason": "other", "ended_on": "2026-01-05", "comment": "Déménagement."},
        ),
        "batch-result": (
            "get",
            reverse("admin:matching_matchingbatch_result", args=[people["batch"].pk]),
            {},
        ),
        "batch-confirm": (
            "post",
            reverse("admin:matching_matchingbatch_confirm", args=[people["batch"].pk]),
            {"pair": "1-1"},
        ),
        "batch-change": (
            "get",
            reverse("admin:matching_matchingbatch_change", args=[people["batch"].pk]),
            {},
        ),
        "batch-history": (
            "get",
            reverse("admin:matching_matchingbatch_history", args=[people["batch"].pk]),
            {},
        ),
    }


VIEWS = [
    "mentee-page",
    "mentor-page",
    "propose-for-the-mentee",
    "propose-their-mentor",
    "propose-their-mentor-widened",
    "propose-for-the-mentor",
    "propose-their-mentee",
    "activate-get",
    "activate-post",
    "close-get",
    "close-post",
    "batch-result",
    "batch-confirm",
    "batch-change",
    "batch-history",
]


@pytest.mark.parametrize("elsewhere", ["marseille", "national"])
@pytest.mark.parametrize("view", VIEWS)
def test_an_antenne_coordinator_gets_a_404_outside_their_antenne(
    lyon_client, antennes, elsewhere, view
):
    own = people_of(antennes["lyon"], LYON)
    other = (
        people_of(antennes["marseille"], MARSEILLE)
        if elsewhere == "marseille"
        else people_of(None, "71000")
    )
    pairs_before = set(Mentorship.objects.values_list("pk", "status"))
    method, url, data = matching_requests(other, own)[view]

    response = getattr(lyon_client, method)(url, data)

    assert response.status_code == 404
    # Nothing was proposed, started or closed.
    assert set(Mentorship.objects.values_list("pk", "status")) == pairs_before
    assert not MatchingBatch.objects.filter(confirmed_at__isnull=False).exists()


@pytest.mark.parametrize("view", VIEWS)
def test_an_antenne_coordinator_reaches_every_matching_view_of_their_antenne(
    lyon_client, antennes, view
):
    own = people_of(antennes["lyon"], LYON)
    # The other side of each proposal is of their antenne too.
    method, url, data = matching_requests(own, people_of(antennes["lyon"], LYON))[view]

    response = getattr(lyon_client, method)(url, data)

    assert response.status_code in (200, 302)


def test_an_antenne_coordinator_lists_their_antenne_s_batches_only(
    lyon_client, antennes, admin_user
):
    own = MatchingBatch.objects.create(created_by=admin_user, antenne=antennes["lyon"])
    MatchingBatch.objects.create(created_by=admin_user, antenne=antennes["marseille"])
    MatchingBatch.objects.create(created_by=admin_user)

    response = lyon_client.get(BATCHES)

    assert list(response.context["cl"].result_list) == [own]


def test_a_national_coordinator_lists_every_batch_with_its_antenne(
    national_client, antennes, admin_user
):
    MatchingBatch.objects.create(created_by=admin_user, antenne=antennes["lyon"])
    MatchingBatch.objects.create(created_by=admin_user)

    response = national_client.get(BATCHES)

    assert len(response.context["cl"].result_list) == 2
    html = response.content.decode()
    assert '<td class="field-antenne_display">Lyon</td>' in html
    assert '<td class="field-antenne_display">toutes</td>' in html


# --- « Élargir aux antennes voisines »


@pytest.fixture
def around_lyon(antennes):
    """A young person of Lyon and mentors of Lyon, of the Ain (a neighbour), of Marseille and
    of the national programme, all named « Dupont » for the hand search."""
    return {
        "mentee": young_person(antennes["lyon"]),
        "lyon": mentor(antennes["lyon"], user__last_name="Dupont"),
        "ain": mentor(antennes["ain"], AIN, user__last_name="Dupont"),
        "marseille": mentor(antennes["marseille"], MARSEILLE, user__last_name="Dupont"),
        "national": mentor(None, user__last_name="Dupont"),
    }


def suggested(response):
    return {suggestion.mentor for suggestion in response.context["matching"]["suggestions"]}


def test_the_suggestions_are_the_antenne_s_and_the_page_offers_to_widen(lyon_client, around_lyon):
    page = matching_page(around_lyon["mentee"])

    response = lyon_client.get(page)

    assert suggested(response) == {around_lyon["lyon"]}
    html = response.content.decode()
    assert "Mentors de l&#x27;antenne Lyon seulement (même antenne)." in html
    assert f'<a href="{page}?voisines=1#suggestions">Élargir aux antennes voisines</a>' in html
    facts = {fact.label: fact.value for fact in response.context["facts"]}
    assert facts["Antenne"] == "Lyon"


def test_the_widened_page_adds_the_neighbouring_antennes_mentors(lyon_client, around_lyon):
    page = matching_page(around_lyon["mentee"])

    response = lyon_client.get(page, {"voisines": "1"})

    assert suggested(response) == {around_lyon["lyon"], around_lyon["ain"]}
    html = response.content.decode()
    assert (
        "Recherche élargie aux antennes voisines : mentors de l&#x27;antenne Lyon et de "
        "l&#x27;antenne Ain."
    ) in html
    assert f'<a href="{page}#suggestions">Revenir aux seuls mentors de l&#x27;antenne Lyon</a>' in (
        html
    )
    assert "antenne Ain" in html
    # Each proposal goes through the widened rule.
    assert html.count('<input type="hidden" name="voisines" value="1">') == 3  # 2 + search


def test_a_widened_proposal_creates_the_pair_across_antennes(lyon_client, around_lyon):
    mentee, neighbour = around_lyon["mentee"], around_lyon["ain"]

    response = lyon_client.post(
        propose_from_mentee(mentee), {"mentor": neighbour.pk, "voisines": "1"}
    )

    assert response.status_code == 302
    assert response.url == matching_page(mentee, widened=True)
    pair = Mentorship.objects.get()
    assert (pair.mentee, pair.mentor, pair.status) == (
        mentee,
        neighbour,
        MentorshipStatus.PROPOSED,
    )


def test_a_national_coordinator_s_proposal_across_antennes_is_refused_unless_widened(
    national_client, around_lyon
):
    mentee, neighbour = around_lyon["mentee"], around_lyon["ain"]

    response = national_client.post(propose_from_mentee(mentee), {"mentor": neighbour.pk})

    assert response.url == matching_page(mentee)
    assert messages_of(national_client.get(response.url)) == [
        "Binôme impossible : le mentor appartient à une autre antenne (Ain)."
    ]
    assert not Mentorship.objects.exists()


def test_why_not_this_mentor_names_the_other_antenne(national_client, around_lyon):
    response = national_client.get(matching_page(around_lyon["mentee"]), {"mentor_q": "Dupont"})

    results = {result.mentor: result.reasons for result in response.context["matching"]["results"]}
    assert results == {
        around_lyon["lyon"]: [],
        around_lyon["ain"]: ["le mentor appartient à une autre antenne (Ain)"],
        around_lyon["marseille"]: ["le mentor appartient à une autre antenne (Marseille)"],
        around_lyon["national"]: ["le mentor appartient au programme national (sans antenne)"],
    }
    assert "Le mentor appartient à une autre antenne (Ain)" in response.content.decode()


def test_widened_why_not_this_mentor_says_an_antenne_is_not_a_neighbour(
    national_client, around_lyon
):
    response = national_client.get(
        matching_page(around_lyon["mentee"]), {"mentor_q": "Dupont", "voisines": "1"}
    )

    results = {result.mentor: result.reasons for result in response.context["matching"]["results"]}
    assert results[around_lyon["ain"]] == []
    assert results[around_lyon["marseille"]] == [
        "le mentor appartient à une antenne qui n'est pas voisine (Marseille)"
    ]


def test_an_antenne_coordinator_s_search_finds_their_antenne_s_mentors_only(
    lyon_client, around_lyon
):
    page = matching_page(around_lyon["mentee"])

    narrow = lyon_client.get(page, {"mentor_q": "Dupont"})
    widened = lyon_client.get(page, {"mentor_q": "Dupont", "voisines": "1"})

    assert [r.mentor for r in narrow.context["matching"]["results"]] == [around_lyon["lyon"]]
    assert {r.mentor for r in widened.context["matching"]["results"]} == {
        around_lyon["lyon"],
        around_lyon["ain"],
    }


def test_a_young_person_without_suggestion_is_offered_the_widened_search(lyon_client, antennes):
    mentee = young_person(antennes["lyon"])
    mentor(antennes["ain"], AIN)

    html = lyon_client.get(matching_page(mentee)).content.decode()

    assert "Aucun mentor disponible ne remplit les conditions (même antenne, place libre" in html
    assert f'<a href="{matching_page(mentee)}?voisines=1#suggestions">' in html


# --- Batches per antenne


@pytest.fixture
def waiting(antennes):
    """Awaiting a mentor: two young people in Lyon, one in Marseille, one national; a mentor
    with room in Lyon and one in the national programme."""
    return {
        "lyon": [young_person(antennes["lyon"]) for _ in range(2)],
        "marseille": young_person(antennes["marseille"], MARSEILLE),
        "national": young_person(None, "71000"),
        "mentors": [mentor(antennes["lyon"]), mentor(None, "71000")],
    }


def test_the_national_start_page_counts_each_antenne(national_client, waiting):
    response = national_client.get(START)

    counts = {(c.name, c.awaiting, c.mentors_with_room) for c in response.context["counts"]}
    assert counts == {
        ("Ain", 0, 0),
        ("Lyon", 2, 1),
        ("Marseille", 1, 0),
        ("Programme national (sans antenne)", 1, 1),
    }
    html = response.content.decode()
    assert "4 jeune(s) attendent un mentor ; 2 mentor(s) validé(s)" in html
    assert "Toutes les antennes (chacune avec ses mentors) et le programme national" in html


@pytest.mark.parametrize(("choice", "expected"), [("lyon", "lyon"), ("", None)])
def test_a_national_coordinator_starts_a_batch_of_one_antenne_or_of_all(
    national_client, antennes, waiting, django_capture_on_commit_callbacks, choice, expected
):
    posted = {"antenne": antennes[choice].pk if choice else ""}
    with django_capture_on_commit_callbacks(execute=True):
        response = national_client.post(START, posted)

    batch = MatchingBatch.objects.get()
    assert response.url == reverse("admin:matching_matchingbatch_result", args=[batch.pk])
    assert batch.antenne == (antennes[expected] if expected else None)
    proposed = {p["mentee_id"] for p in batch.result["proposals"]}
    if expected:
        assert proposed <= {mentee.pk for mentee in waiting["lyon"]}
        assert "de l'antenne Lyon." in national_client.get(response.url).content.decode()
    else:
        # Each antenne within itself: Lyon's mentor takes Lyon's, the national one the national.
        assert waiting["national"].pk in proposed
        assert waiting["marseille"].pk not in proposed
        assert "toutes antennes" in national_client.get(response.url).content.decode()


def test_an_unknown_antenne_is_refused_with_a_message(national_client, waiting):
    response = national_client.post(START, {"antenne": "999999"})

    assert response.status_code == 200
    assert "Choisissez une antenne de la liste." in response.content.decode()
    assert not MatchingBatch.objects.exists()


def test_an_antenne_coordinator_s_batch_is_always_their_antenne_s(
    lyon_client, antennes, waiting, django_capture_on_commit_callbacks
):
    page = lyon_client.get(START)
    assert [c.name for c in page.context["counts"]] == ["Lyon"]
    assert page.context["form"] is None
    assert "Antenne Lyon : 2 jeune(s) attendent un mentor ; 1 mentor(s)" in page.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        lyon_client.post(START, {"antenne": antennes["marseille"].pk})

    batch = MatchingBatch.objects.get()
    assert batch.antenne == antennes["lyon"]
    considered = {p["mentee_id"] for p in batch.result["proposals"]} | {
        pk for pk, _ in batch.result["unmatched"]
    }
    assert considered == {mentee.pk for mentee in waiting["lyon"]}


def test_the_selected_young_people_are_batched_in_the_antenne_coordinator_s_antenne(
    lyon_client, antennes, waiting, django_capture_on_commit_callbacks
):
    selected = [waiting["lyon"][0].pk, waiting["marseille"].pk]
    with django_capture_on_commit_callbacks(execute=True):
        lyon_client.post(
            reverse("admin:mentees_mentee_changelist"),
            {"action": "match_selected", ACTION_CHECKBOX_NAME: selected},
        )

    batch = MatchingBatch.objects.get()
    assert batch.antenne == antennes["lyon"]
    considered = {p["mentee_id"] for p in batch.result["proposals"]} | {
        pk for pk, _ in batch.result["unmatched"]
    }
    assert waiting["marseille"].pk not in considered


@pytest.mark.parametrize("extra_antennes", [0, 5])
def test_the_start_page_costs_the_same_queries_whatever_the_number_of_antennes(
    national_client, django_assert_num_queries, waiting, extra_antennes
):
    for index in range(extra_antennes):
        antenne = make_antenne(f"Antenne {index}", [f"{30 + index}"])
        young_person(antenne, f"{30 + index}000")
    national_client.get(START)  # the scope and permissions read once, as any first page

    # session, user, the verified second-factor device, their permissions (two), their groups
    # and antenne (the scope), the antennes, who awaits by antenne, who has room by antenne,
    # whether the second factor is required (two, users.two_factor, as on any admin page of a
    # coordinator who is no superuser), the antennes of the choice.
    with django_assert_num_queries(12):
        response = national_client.get(START)
    assert len(response.context["counts"]) == 4 + extra_antennes


# --- Query counts of the matching page


@pytest.mark.parametrize("size", [3, 15])
@pytest.mark.parametrize("widened", [False, True])
def test_the_antenne_coordinator_s_matching_page_costs_the_same_whatever_the_data(
    lyon_client, antennes, django_assert_num_queries, size, widened
):
    MatchingWeights.load()
    mentee = young_person(antennes["lyon"])
    for index in range(size):
        mentor(antennes["lyon"])
        mentor(antennes["ain"], AIN)
        mentor(antennes["marseille"], MARSEILLE)
        make_antenne(f"Antenne {size}-{index}", [f"{30 + index}"])
    ContentType.objects.get_for_model(Mentee)
    params = {"voisines": "1"} if widened else {}

    # session, user, the verified second-factor device, their permissions (two), their groups
    # and antenne (the scope), the young person with their user, antenne, wait and rematch,
    # their priority publics; the weights row, [widened: the neighbouring antennes,] whether
    # the second factor is required (two, users.two_factor, as on any admin page of a
    # coordinator who is no superuser), the young person's open pair (exists), the
    # candidates' scoring columns, the ten best mentors with their users, antennes and open
    # pairs.
    with django_assert_num_queries(14 + widened):
        response = lyon_client.get(matching_page(mentee), params)
    assert len(response.context["matching"]["suggestions"]) == min(size * (2 if widened else 1), 10)
