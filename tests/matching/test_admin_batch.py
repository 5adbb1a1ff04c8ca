"""Batch matching from the admin: start it for the selected young people or for all those
awaiting a mentor, follow its progress, review the optimal pairs with their explanation, untick
some, and create the others."""

import re

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core import mail
from django.urls import reverse

from matching.enums import BatchStatus, MentorshipStatus
from matching.models import MatchingBatch, Mentorship
from tests.matching.factories import MentorshipFactory
from tests.mentees.factories import MenteeFactory
from tests.mentors.factories import MentorFactory
from users.enums import Language

pytestmark = pytest.mark.django_db

MENTEES = reverse("admin:mentees_mentee_changelist")
START = reverse("admin:matching_matchingbatch_start")
BATCHES = reverse("admin:matching_matchingbatch_changelist")
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>")
UNMATCHED = (
    "aucun mentor disponible ne remplit les conditions (lieu, mineurs, genre, disponibilités)"
)


def result_url(batch):
    return reverse("admin:matching_matchingbatch_result", args=[batch.pk])


def confirm_url(batch):
    return reverse("admin:matching_matchingbatch_confirm", args=[batch.pk])


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


def awaiting_mentee(**kwargs):
    return MenteeFactory(approved=True, postal_code="93200", **kwargs)


def local_mentor(**kwargs):
    return MentorFactory(approved=True, postal_code="93200", **kwargs)


@pytest.fixture
def programme():
    """Three young people a mentor can take, and a minor nobody here may accompany."""
    return {
        "mentees": [awaiting_mentee() for _ in range(3)],
        "minor": awaiting_mentee(minor=True, with_consent=True),
        "mentors": [local_mentor(capacity=2), local_mentor(capacity=1)],
    }


def start_all(client, capture):
    with capture(execute=True):
        response = client.post(START)
    return response, MatchingBatch.objects.latest("created_at")


def test_the_start_page_counts_who_awaits_and_who_has_room(admin_client, programme):
    MentorshipFactory(mentor=programme["mentors"][1], active=True)  # now full

    response = admin_client.get(START)

    assert response.context["awaiting"] == 4
    assert response.context["mentors_with_room"] == 1
    assert "4 jeune(s) attendent un mentor ; 1 mentor(s) validé(s)" in response.content.decode()
    assert not MatchingBatch.objects.exists()


def test_the_young_people_list_links_to_the_batch_matching_of_everyone_waiting(admin_client):
    html = admin_client.get(MENTEES).content.decode()
    assert f'<a href="{START}">Apparier tous les jeunes en attente</a>' in html


def test_a_coordinator_matches_everyone_waiting_unticks_a_pair_and_creates_the_others(
    admin_client, admin_user, programme, django_capture_on_commit_callbacks
):
    response, batch = start_all(admin_client, django_capture_on_commit_callbacks)

    assert response.status_code == 302
    assert response.url == result_url(batch)
    assert batch.created_by == admin_user
    assert batch.mentee_ids is None
    assert batch.status == BatchStatus.DONE

    page = admin_client.get(result_url(batch))
    rows = page.context["rows"]
    assert {row.mentee for row in rows} == set(programme["mentees"])
    assert {row.mentor for row in rows} <= set(programme["mentors"])
    [(minor, reason, priority)] = page.context["unmatched"]
    assert (minor, reason) == (programme["minor"], UNMATCHED)
    assert priority.months is not None
    html = page.content.decode()
    assert html.count('name="pair"') == 3
    assert html.count(" checked>") == 3
    assert f"compatibilité totale {sum(row.score for row in rows)}" in html
    assert "même département (93)" in html
    assert f"{programme['minor']}</a> : {UNMATCHED}" in html
    assert 'value="Créer les binômes cochés"' in html
    assert not INLINE_SCRIPT.search(html)

    kept, unticked = rows[:2], rows[2]
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = admin_client.post(
            confirm_url(batch), {"pair": [row.value for row in kept]}, follow=True
        )

    created = Mentorship.objects.all()
    assert {(pair.mentee, pair.mentor) for pair in created} == {
        (row.mentee, row.mentor) for row in kept
    }
    assert not created.filter(mentee=unticked.mentee).exists()
    assert {pair.status for pair in created} == {MentorshipStatus.PROPOSED}
    assert {pair.proposed_by for pair in created} == {admin_user}
    assert {pair.score for pair in created} == {row.score for row in kept}
    assert len(mail.outbox) == 4
    assert messages_of(confirmed) == [
        "2 binôme(s) créé(s) ; les mentors et les jeunes sont prévenus par e-mail."
    ]
    batch.refresh_from_db()
    assert batch.confirmed_at is not None
    html = confirmed.content.decode()
    assert "Lot confirmé le" in html
    assert 'value="Créer les binômes cochés"' not in html


def test_a_confirmed_batch_cannot_be_confirmed_twice(
    admin_client, programme, django_capture_on_commit_callbacks
):
    _, batch = start_all(admin_client, django_capture_on_commit_callbacks)
    pairs = [row.value for row in admin_client.get(result_url(batch)).context["rows"]]
    admin_client.post(confirm_url(batch), {"pair": pairs[:1]}, follow=True)

    response = admin_client.post(confirm_url(batch), {"pair": pairs}, follow=True)

    assert Mentorship.objects.count() == 1
    assert messages_of(response) == ["Ce lot a déjà été confirmé : ses binômes ont déjà été créés."]


def test_a_pair_that_became_impossible_since_the_computation_is_refused_with_its_reason(
    admin_client, programme, django_capture_on_commit_callbacks
):
    _, batch = start_all(admin_client, django_capture_on_commit_callbacks)
    rows = admin_client.get(result_url(batch)).context["rows"]
    # Meanwhile a coordinator paired one of these young people by hand.
    taken = rows[0]
    MentorshipFactory(mentee=taken.mentee, mentor=local_mentor())

    response = admin_client.post(
        confirm_url(batch), {"pair": [row.value for row in rows]}, follow=True
    )

    assert messages_of(response) == [
        "2 binôme(s) créé(s) ; les mentors et les jeunes sont prévenus par e-mail.",
        f"{taken.mentee} et {taken.mentor} : Binôme impossible : le jeune a déjà un binôme "
        "proposé ou actif.",
    ]


def test_confirming_with_nothing_ticked_creates_nothing_and_keeps_the_batch_open(
    admin_client, programme, django_capture_on_commit_callbacks
):
    _, batch = start_all(admin_client, django_capture_on_commit_callbacks)

    response = admin_client.post(confirm_url(batch), {}, follow=True)

    assert messages_of(response) == ["Aucun binôme coché : rien n'a été créé."]
    assert not Mentorship.objects.exists()
    batch.refresh_from_db()
    assert batch.confirmed_at is None


def test_forged_pairs_outside_the_computed_ones_are_ignored(
    admin_client, programme, django_capture_on_commit_callbacks
):
    _, batch = start_all(admin_client, django_capture_on_commit_callbacks)
    outsider = awaiting_mentee()

    admin_client.post(
        confirm_url(batch), {"pair": [f"{outsider.pk}-{programme['mentors'][0].pk}", "x-y"]}
    )

    assert not Mentorship.objects.exists()


def test_the_action_matches_only_the_selected_young_people(
    admin_client, programme, django_capture_on_commit_callbacks
):
    chosen = programme["mentees"][0]
    not_validated = MenteeFactory(postal_code="93200")

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            MENTEES,
            {"action": "match_selected", ACTION_CHECKBOX_NAME: [chosen.pk, not_validated.pk]},
        )

    batch = MatchingBatch.objects.get()
    assert response.url == result_url(batch)
    assert sorted(batch.mentee_ids) == sorted([chosen.pk, not_validated.pk])
    page = admin_client.get(result_url(batch))
    assert [row.mentee for row in page.context["rows"]] == [chosen]
    assert page.context["unmatched"] == []
    assert page.context["left_out"] == [not_validated]
    assert "Jeunes sélectionnés non pris en compte" in page.content.decode()
    assert "seuls ceux qui attendent un mentor sont pris en compte" in messages_of(page)[0]


def test_the_action_is_offered_on_the_young_people_list(admin_client):
    awaiting_mentee()
    html = admin_client.get(MENTEES).content.decode()
    assert "Appariement automatique des jeunes sélectionnés" in html


@pytest.mark.parametrize("status", [BatchStatus.PENDING, BatchStatus.RUNNING])
def test_a_batch_being_computed_shows_its_progress_and_reloads_from_an_external_script(
    admin_client, admin_user, status
):
    batch = MatchingBatch.objects.create(created_by=admin_user, status=status, progress=40)

    response = admin_client.get(result_url(batch))

    html = response.content.decode()
    assert 'data-refresh-seconds="2"' in html
    assert "admin/matching/refresh.js" in html
    assert 'http-equiv="refresh"' not in html
    assert '<progress id="batch-progress" max="100" value="40">' in html
    assert "40 %" in html
    assert 'name="pair"' not in html
    assert not INLINE_SCRIPT.search(html)


def test_a_computed_batch_stops_refreshing(
    admin_client, programme, django_capture_on_commit_callbacks
):
    _, batch = start_all(admin_client, django_capture_on_commit_callbacks)
    html = admin_client.get(result_url(batch)).content.decode()
    assert "refresh.js" not in html


def test_a_failed_batch_says_so(admin_client, admin_user):
    batch = MatchingBatch.objects.create(
        created_by=admin_user, status=BatchStatus.FAILED, error="délai dépassé"
    )

    html = admin_client.get(result_url(batch)).content.decode()

    assert "Le calcul a échoué : délai dépassé." in html
    assert "refresh.js" not in html


def test_a_batch_still_computing_cannot_be_confirmed(admin_client, admin_user, programme):
    batch = MatchingBatch.objects.create(created_by=admin_user)
    pair = f"{programme['mentees'][0].pk}-{programme['mentors'][0].pk}"

    response = admin_client.post(confirm_url(batch), {"pair": [pair]}, follow=True)

    assert messages_of(response) == ["Ce lot n'est pas encore calculé : attendez la fin du calcul."]
    assert not Mentorship.objects.exists()


def test_the_batch_list_links_each_batch_to_its_result_page(admin_client, admin_user):
    batch = MatchingBatch.objects.create(created_by=admin_user)

    html = admin_client.get(BATCHES).content.decode()
    response = admin_client.get(reverse("admin:matching_matchingbatch_change", args=[batch.pk]))

    assert str(batch) in html
    assert response.url == result_url(batch)


@pytest.mark.parametrize("size", [3, 15])
def test_the_batch_result_page_costs_the_same_queries_whatever_its_size(
    admin_client, django_assert_num_queries, django_capture_on_commit_callbacks, size
):
    for _ in range(size):
        awaiting_mentee()
        local_mentor(capacity=1)
    # Nobody can meet them: listed as unmatched, from the same query as the paired ones.
    for _ in range(size):
        awaiting_mentee(minor=True, with_consent=True, languages=[Language.ARABIC])
    _, batch = start_all(admin_client, django_capture_on_commit_callbacks)

    # session, user, the verified second-factor device, the batch with who started it, the
    # young people (paired and unmatched) with their users, the mentors with their users.
    with django_assert_num_queries(6):
        response = admin_client.get(result_url(batch))
    assert len(response.context["rows"]) == size
    assert len(response.context["unmatched"]) == size


def test_each_unmatched_young_person_links_to_their_matching_page(
    admin_client, programme, django_capture_on_commit_callbacks
):
    _, batch = start_all(admin_client, django_capture_on_commit_callbacks)

    html = admin_client.get(result_url(batch)).content.decode()

    minor_page = reverse("admin:mentees_mentee_matching", args=[programme["minor"].pk])
    assert f'<a href="{minor_page}">{programme["minor"]}</a> : {UNMATCHED}' in html


def test_the_counts_say_what_the_confirmation_created(
    admin_client, programme, django_capture_on_commit_callbacks
):
    _, batch = start_all(admin_client, django_capture_on_commit_callbacks)
    before = admin_client.get(result_url(batch))
    rows = before.context["rows"]
    assert "3 binôme(s), compatibilité totale" in before.content.decode()
    assert before.context["created_count"] is None

    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(confirm_url(batch), {"pair": [row.value for row in rows[:2]]})
    after = admin_client.get(result_url(batch))

    assert after.context["created_count"] == 2
    assert after.context["not_created_count"] == 1
    assert [row.created for row in after.context["rows"]] == [True, True, False]
    html = after.content.decode()
    assert "3 binôme(s) calculé(s) : 2 créé(s), 1 non créé(s)" in html
    assert '<th scope="col">Créé ?</th>' in html
    assert 'name="pair"' not in html


@pytest.mark.parametrize("size", [3, 15])
def test_a_confirmed_batch_s_page_costs_the_same_queries_whatever_its_size(
    admin_client, django_assert_num_queries, django_capture_on_commit_callbacks, size
):
    for _ in range(size):
        awaiting_mentee()
        local_mentor(capacity=1)
    _, batch = start_all(admin_client, django_capture_on_commit_callbacks)
    pairs = [row.value for row in admin_client.get(result_url(batch)).context["rows"]]
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(confirm_url(batch), {"pair": pairs})

    # session, user, the verified second-factor device, the batch with who started it, the
    # young people with their users, the mentors with their users, the pairs it created.
    with django_assert_num_queries(7):
        response = admin_client.get(result_url(batch))
    assert response.context["created_count"] == size


def test_a_batch_is_named_by_its_start_in_paris_time(admin_user):
    import datetime

    batch = MatchingBatch.objects.create(
        created_by=admin_user,
        created_at=datetime.datetime(2026, 7, 1, 22, 15, tzinfo=datetime.UTC),
    )
    assert str(batch) == "Lot du 02/07/2026 à 00:15"
