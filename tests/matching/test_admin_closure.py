"""Closing a pair from the admin (« Clôturer le binôme »), and the programme's rhythm in the
pairs' list: columns and filters from `with_compliance`, in a constant number of queries."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from matching.enums import CloseReason, ComplianceState, MentorshipStatus, ObjectiveStatus
from matching.models import Mentorship, Objective
from matching.rules import minimum_start_for
from matching.selectors import mentees_awaiting_mentor
from tests.matching.factories import MentorshipFactory
from tests.spaces.actors import actors_of, assert_redirected_to_login, client_as, parametrize_actors
from tests.utils import assert_error_tied_to_field

pytestmark = pytest.mark.django_db

PAIRS = reverse("admin:matching_mentorship_changelist")
ADMIN_LOGIN = reverse("admin:login")


def days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def close_url(mentorship) -> str:
    return reverse("admin:matching_mentorship_close", args=[mentorship.pk])


def change_url(mentorship) -> str:
    return reverse("admin:matching_mentorship_change", args=[mentorship.pk])


def active_pair(*, started_on=None, **kwargs):
    return MentorshipFactory(active=True, started_on=started_on or days_ago(30), **kwargs)


def six_months_ago() -> datetime.date:
    # The latest start that has lasted the minimum today: on the last day of a month it is the
    # last day of the month 6 months back (29 February → 31 August), not plain subtraction.
    return minimum_start_for(timezone.localdate())


def objective(mentorship, status):
    return Objective.objects.create(
        mentorship=mentorship, title="Objectif", status=status, created_by=mentorship.mentor.user
    )


def close_form(**overrides):
    return {
        "reason": CloseReason.MENTEE_WITHDREW,
        "ended_on": timezone.localdate().isoformat(),
        "comment": "",
        **overrides,
    }


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


# --- Who reaches the closure page


@parametrize_actors
def test_only_coordinators_open_the_closure_page(client, actor):
    mentorship = active_pair()
    user = actors_of(mentorship)[actor]

    response = client_as(client, user).get(close_url(mentorship))

    if actor == "coordinator":
        assert response.status_code == 200
    elif actor in ("other_staff", "referent"):
        # Staff without the matching permission: the admin lets them in, the page does not.
        assert response.status_code == 403
    else:
        assert_redirected_to_login(response, ADMIN_LOGIN)


@parametrize_actors
def test_only_coordinators_close_a_pair(client, actor):
    mentorship = active_pair()
    user = actors_of(mentorship)[actor]

    client_as(client, user).post(close_url(mentorship), close_form())

    mentorship.refresh_from_db()
    expected = MentorshipStatus.CLOSED if actor == "coordinator" else MentorshipStatus.ACTIVE
    assert mentorship.status == expected


def test_an_unknown_pair_is_a_404(admin_client):
    assert admin_client.get(reverse("admin:matching_mentorship_close", args=[999])).status_code == (
        404
    )


# --- The button and the page


def test_an_active_pairs_page_offers_to_close_it(admin_client):
    active = active_pair()
    proposed = MentorshipFactory()

    assert close_url(active) in admin_client.get(change_url(active)).content.decode()
    assert close_url(proposed) not in admin_client.get(change_url(proposed)).content.decode()


def test_a_pair_that_is_not_active_cannot_be_closed(admin_client):
    proposed = MentorshipFactory()

    response = admin_client.get(close_url(proposed), follow=True)

    assert "Seul un binôme actif peut être clôturé." in messages_of(response)
    response = admin_client.post(close_url(proposed), close_form())
    assert "Seul un binôme actif peut être clôturé." in response.content.decode()
    proposed.refresh_from_db()
    assert proposed.status == MentorshipStatus.PROPOSED


def test_the_closure_page_offers_every_reason_and_today_as_end_date(admin_client):
    mentorship = active_pair()

    response = admin_client.get(close_url(mentorship))

    html = response.content.decode()
    for value, label in CloseReason.choices:
        assert f'value="{value}"' in html
        assert label in html.replace("&#x27;", "'")
    assert f'value="{timezone.localdate().isoformat()}"' in html
    assert "<legend" in html
    assert 'for="id_ended_on"' in html
    assert 'for="id_comment"' in html


# --- Closing


def test_a_coordinator_closes_a_pair_the_young_person_withdrew_from(admin_client, admin_user):
    mentorship = active_pair()

    response = admin_client.post(
        close_url(mentorship),
        close_form(ended_on=days_ago(2).isoformat(), comment="Déménagement"),
    )

    assert response.status_code == 302
    assert response.url == change_url(mentorship)
    mentorship.refresh_from_db()
    assert mentorship.status == MentorshipStatus.CLOSED
    assert mentorship.close_reason == CloseReason.MENTEE_WITHDREW
    assert mentorship.ended_on == days_ago(2)
    assert mentorship.close_comment == "Déménagement"
    assert mentorship.closed_by == admin_user
    last = mentorship.history.latest()
    assert last.history_change_reason == "Clôture : Le jeune a arrêté"
    assert last.history_user == admin_user


def test_rematch_needed_puts_the_young_person_back_in_the_queue(admin_client):
    mentorship = active_pair()
    assert mentorship.mentee not in mentees_awaiting_mentor()

    admin_client.post(close_url(mentorship), close_form(reason=CloseReason.REMATCH_NEEDED))

    assert mentorship.mentee in mentees_awaiting_mentor()


def test_objectives_achieved_before_six_months_is_refused_beside_the_reason(admin_client):
    mentorship = active_pair(started_on=six_months_ago() + datetime.timedelta(days=1))
    objective(mentorship, ObjectiveStatus.ACHIEVED)

    response = admin_client.post(
        close_url(mentorship),
        close_form(reason=CloseReason.OBJECTIVES_ACHIEVED, comment="Très belle réussite"),
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "n&#x27;est possible qu&#x27;après 6 mois" in html
    assert 'id="id_reason_error"' in html
    assert 'aria-describedby="id_reason_error"' in html
    # What the coordinator chose and typed is still there.
    assert re.search(r'value="objectives_achieved"[^>]*checked', html)
    assert "Très belle réussite" in html
    mentorship.refresh_from_db()
    assert mentorship.status == MentorshipStatus.ACTIVE


def test_objectives_achieved_after_six_months_closes_a_pair_whose_objectives_are_met(
    admin_client,
):
    mentorship = active_pair(started_on=six_months_ago())
    objective(mentorship, ObjectiveStatus.ACHIEVED)
    objective(mentorship, ObjectiveStatus.ABANDONED)

    response = admin_client.post(
        close_url(mentorship), close_form(reason=CloseReason.OBJECTIVES_ACHIEVED)
    )

    assert response.status_code == 302
    mentorship.refresh_from_db()
    assert mentorship.status == MentorshipStatus.CLOSED
    assert mentorship.close_reason == CloseReason.OBJECTIVES_ACHIEVED


def test_objectives_achieved_is_refused_while_an_objective_is_in_progress(admin_client):
    mentorship = active_pair(started_on=six_months_ago() - datetime.timedelta(days=30))
    objective(mentorship, ObjectiveStatus.ACHIEVED)
    objective(mentorship, ObjectiveStatus.IN_PROGRESS)

    response = admin_client.post(
        close_url(mentorship), close_form(reason=CloseReason.OBJECTIVES_ACHIEVED)
    )

    assert "Des objectifs sont encore à commencer ou en cours" in response.content.decode()
    mentorship.refresh_from_db()
    assert mentorship.status == MentorshipStatus.ACTIVE


def test_another_reason_needs_a_comment_beside_its_field(admin_client):
    mentorship = active_pair()

    response = admin_client.post(close_url(mentorship), close_form(reason=CloseReason.OTHER))

    html = response.content.decode()
    assert "Précisez la raison de la fin du mentorat." in html
    assert_error_tied_to_field(html, "comment")
    mentorship.refresh_from_db()
    assert mentorship.status == MentorshipStatus.ACTIVE


def test_an_end_date_in_the_future_is_refused_beside_the_date(admin_client):
    mentorship = active_pair()
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()

    response = admin_client.post(
        close_url(mentorship), close_form(ended_on=tomorrow, comment="Gardé")
    )

    html = response.content.decode()
    assert "La date de fin ne peut pas être dans le futur." in html
    assert_error_tied_to_field(html, "ended_on")
    assert f'value="{tomorrow}"' in html
    assert "Gardé" in html


def test_an_end_date_before_the_start_is_refused(admin_client):
    mentorship = active_pair(started_on=days_ago(10))

    response = admin_client.post(
        close_url(mentorship), close_form(ended_on=days_ago(11).isoformat())
    )

    assert "La date de fin ne peut pas précéder le début du mentorat." in response.content.decode()


def test_a_missing_reason_is_asked_for(admin_client):
    mentorship = active_pair()

    response = admin_client.post(close_url(mentorship), close_form(reason=""))

    assert "Choisissez la raison de la fin du mentorat." in response.content.decode()
    mentorship.refresh_from_db()
    assert mentorship.status == MentorshipStatus.ACTIVE


# --- The rhythm in the pairs' list


def test_the_list_shows_the_rhythm_of_each_active_pair(admin_client):
    mentorship = active_pair(
        started_on=days_ago(100),
        last_session_on=days_ago(46),
        last_qualifying_session_on=days_ago(46),
    )
    mentorship.qualifying_sessions = 2
    mentorship.save()

    response = admin_client.get(PAIRS)

    html = response.content.decode()
    due = days_ago(46) + datetime.timedelta(days=45)
    assert '<td class="field-compliance_display">En retard</td>' in html
    assert f'<td class="field-next_meeting_due_display">{due:%d/%m/%Y}</td>' in html
    assert '<td class="field-qualifying_sessions">2</td>' in html
    assert '<td class="field-months_elapsed_display">3</td>' in html


def test_a_proposed_pair_has_no_rhythm_in_the_list(admin_client):
    MentorshipFactory()

    html = admin_client.get(PAIRS).content.decode()

    assert '<td class="field-compliance_display">—</td>' in html
    assert '<td class="field-next_meeting_due_display">—</td>' in html


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        (ComplianceState.OVERDUE, "overdue"),
        (ComplianceState.DUE_SOON, "due_soon"),
        (ComplianceState.ON_TRACK, "on_track"),
    ],
)
def test_the_list_filters_by_rhythm(admin_client, state, expected):
    pairs = {
        "overdue": active_pair(
            started_on=days_ago(100),
            last_session_on=days_ago(46),
            last_qualifying_session_on=days_ago(46),
        ),
        "due_soon": active_pair(
            started_on=days_ago(100),
            last_session_on=days_ago(45),
            last_qualifying_session_on=days_ago(45),
        ),
        "on_track": active_pair(
            started_on=days_ago(100),
            last_session_on=days_ago(37),
            last_qualifying_session_on=days_ago(37),
        ),
    }
    MentorshipFactory()  # proposed: no rhythm

    response = admin_client.get(PAIRS, {"rythme": state})

    assert list(response.context["cl"].result_list) == [pairs[expected]]


def test_coordinators_find_the_pairs_ready_to_close(admin_client):
    ready = active_pair(
        started_on=six_months_ago(),
        last_session_on=days_ago(3),
        last_qualifying_session_on=days_ago(3),
    )
    objective(ready, ObjectiveStatus.ACHIEVED)
    too_early = active_pair(started_on=six_months_ago() + datetime.timedelta(days=1))
    objective(too_early, ObjectiveStatus.ACHIEVED)
    pending = active_pair(started_on=six_months_ago())
    objective(pending, ObjectiveStatus.ACHIEVED)
    objective(pending, ObjectiveStatus.OPEN)

    response = admin_client.get(PAIRS, {"pret_a_cloturer": "oui"})

    assert list(response.context["cl"].result_list) == [ready]
    # Said in words, not with an icon whose text is « True ».
    assert '<td class="field-ready_to_close_display">oui</td>' in response.content.decode()
    others = admin_client.get(PAIRS, {"pret_a_cloturer": "non"}).context["cl"].result_list
    assert set(others) == {too_early, pending}
    assert "Prêt à clôturer" in admin_client.get(change_url(ready)).content.decode()


def test_the_ready_to_close_column_says_what_ready_to_close_says():
    today = timezone.localdate()
    ready = active_pair(started_on=six_months_ago())
    objective(ready, ObjectiveStatus.ACHIEVED)
    objective(ready, ObjectiveStatus.ABANDONED)
    too_early = active_pair(started_on=six_months_ago() + datetime.timedelta(days=1))
    objective(too_early, ObjectiveStatus.ACHIEVED)
    pending = active_pair(started_on=six_months_ago())
    objective(pending, ObjectiveStatus.ACHIEVED)
    objective(pending, ObjectiveStatus.IN_PROGRESS)
    abandoned = active_pair(started_on=six_months_ago())
    objective(abandoned, ObjectiveStatus.ABANDONED)
    active_pair(started_on=six_months_ago())  # no objective
    closed = active_pair(started_on=six_months_ago())
    objective(closed, ObjectiveStatus.ACHIEVED)
    Mentorship.objects.filter(pk=closed.pk).update(status=MentorshipStatus.CLOSED)
    MentorshipFactory()  # proposed

    flags = dict(
        Mentorship.objects.with_ready_to_close(today=today).values_list("pk", "is_ready_to_close")
    )

    expected = set(Mentorship.objects.ready_to_close(today=today).values_list("pk", flat=True))
    assert expected == {ready.pk}
    assert {pk for pk, flag in flags.items() if flag} == expected
    assert len(flags) == Mentorship.objects.count()


def test_coordinators_find_the_active_pairs_without_objectives(admin_client):
    without = active_pair()
    with_one = active_pair()
    objective(with_one, ObjectiveStatus.OPEN)
    MentorshipFactory()

    response = admin_client.get(PAIRS, {"objectifs": "aucun"})

    assert list(response.context["cl"].result_list) == [without]


@pytest.mark.parametrize("size", [1, 10])
def test_the_list_with_its_rhythm_costs_the_same_queries_whatever_its_size(
    admin_client, django_assert_max_num_queries, size
):
    for index in range(size):
        pair = active_pair(started_on=days_ago(60 + index), last_session_on=days_ago(10 + index))
        objective(pair, ObjectiveStatus.ACHIEVED)
    # session, user, the verified second-factor device, filtered count (no total count), the
    # page of pairs (with their rhythm, objectives counts and ready-to-close flag annotated,
    # both persons' users and the coordinator who proposed them joined), the date hierarchy's
    # dates.
    with django_assert_max_num_queries(7):
        response = admin_client.get(PAIRS)

    assert len(response.context["cl"].result_list) == size
    assert Mentorship.objects.count() == size


def test_a_closed_pairs_page_and_its_history_show_how_it_ended(admin_client):
    mentorship = active_pair()
    admin_client.post(
        close_url(mentorship), close_form(reason=CloseReason.OTHER, comment="Départ à l'étranger")
    )

    page = admin_client.get(change_url(mentorship)).content.decode()
    history = admin_client.get(
        reverse("admin:matching_mentorship_history", args=[mentorship.pk])
    ).content.decode()

    assert "Autre raison" in page
    assert "Départ à l&#x27;étranger" in page
    assert close_url(mentorship) not in page
    assert "Clôture : Autre raison" in history
    record = mentorship.history.latest()
    version = reverse(
        "admin:matching_mentorship_simple_history", args=[mentorship.pk, record.history_id]
    )
    assert admin_client.get(version).status_code == 200
