"""The closure interview (« entretien de fin ») of a closed pair: written by its mentor's
référent or a coordinator through a keyword-only service, one per pair with its history,
from a page reached from the référent's home and the closed pair's page; French errors beside
the fields and the input kept; nobody else finds the page."""

import datetime

import pytest
from django.urls import reverse

from evaluations.enums import InterviewWith
from evaluations.interviews import InterviewError, closure_interview_record
from evaluations.models import ClosureInterview
from matching.enums import CloseReason
from tests.matching.factories import MentorshipFactory
from tests.users.staff import login_staff, make_coordinator, make_referent

pytestmark = pytest.mark.django_db

STARTED, ENDED = datetime.date(2025, 3, 3), datetime.date(2025, 10, 15)
HELD = datetime.date(2025, 10, 20)


@pytest.fixture
def referent():
    return make_referent(first_name="Rémi")


@pytest.fixture
def closed(referent):
    return MentorshipFactory(
        closed=True,
        started_on=STARTED,
        ended_on=ENDED,
        close_reason=CloseReason.UNREACHABLE,
        mentor__referent=referent,
    )


def record(pair, by, **kwargs):
    values = {"held_on": HELD, "held_with": InterviewWith.BOTH, "notes": "Bon bilan."} | kwargs
    return closure_interview_record(mentorship=pair, recorded_by=by, **values)


# --- The service


def test_the_referent_records_then_corrects_one_interview_kept_in_its_history(closed, referent):
    first = record(closed, referent, held_with=InterviewWith.MENTOR)
    coordinator = make_coordinator()
    second = record(closed, coordinator, notes="  Le jeune a déménagé.  ")

    assert first.pk == second.pk
    interview = ClosureInterview.objects.get(mentorship=closed)
    assert (interview.held_with, interview.notes) == (InterviewWith.BOTH, "Le jeune a déménagé.")
    assert interview.recorded_by == coordinator
    versions = list(interview.history.order_by("history_id"))
    assert [v.held_with for v in versions] == [InterviewWith.MENTOR, InterviewWith.BOTH]
    assert [v.history_user for v in versions] == [referent, coordinator]


@pytest.mark.parametrize("traits", [{"active": True}, {}], ids=["active", "proposed"])
def test_only_a_closed_pair_has_a_closure_interview(referent, traits):
    pair = MentorshipFactory(mentor__referent=referent, **traits)

    with pytest.raises(InterviewError) as refused:
        record(pair, referent)

    assert refused.value.errors == {None: "L'entretien de fin se note une fois le binôme terminé."}
    assert not ClosureInterview.objects.exists()


def test_another_referent_or_a_member_may_not_record_it(closed):
    for somebody in (make_referent(), closed.mentor.user, closed.mentee.user):
        with pytest.raises(InterviewError):
            record(closed, somebody)
    assert not ClosureInterview.objects.exists()


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"held_on": None}, "held_on", "Indiquez la date de l'entretien."),
        (
            {"held_on": datetime.date(2999, 1, 1)},
            "held_on",
            "La date de l'entretien ne peut pas être dans le futur.",
        ),
        (
            {"held_on": datetime.date(2025, 3, 2)},
            "held_on",
            "La date de l'entretien ne peut pas précéder le début du mentorat (03/03/2025).",
        ),
        ({"held_with": "voisin"}, "held_with", "Choisissez avec qui l'entretien a eu lieu."),
        (
            {"notes": "x" * 4001},
            "notes",
            "Les notes ne peuvent pas dépasser 4000 caractères (4001 saisis).",
        ),
    ],
)
def test_bad_input_is_refused_in_french_beside_its_field(closed, referent, values, field, message):
    with pytest.raises(InterviewError) as refused:
        record(closed, referent, **values)

    assert refused.value.errors == {field: message}


# --- The page


def page(pair):
    return reverse("admin:closure_interview", args=[pair.pk])


def test_the_referent_reaches_it_from_their_home_and_records_it(client, closed, referent):
    login_staff(client, referent)
    home = client.get(reverse("admin:referent_home")).content.decode()
    assert page(closed) in home
    assert "Noter l'entretien de fin" in home

    form = client.get(page(closed))
    assert form.status_code == 200
    sent = client.post(
        page(closed), {"held_on": "2025-10-20", "held_with": "mentee", "notes": "Bilan fait."}
    )

    assert sent.status_code == 302
    interview = ClosureInterview.objects.get(mentorship=closed)
    assert (interview.held_on, interview.held_with) == (HELD, InterviewWith.MENTEE)
    again = client.get(page(closed)).content.decode()
    assert "Bilan fait." in again and "Historique" in again
    assert "Voir l'entretien de fin" in client.get(reverse("admin:referent_home")).content.decode()


def test_a_refused_form_shows_french_errors_beside_the_fields_and_keeps_the_input(
    client, closed, referent
):
    login_staff(client, referent)

    refused = client.post(
        page(closed), {"held_on": "2999-01-01", "held_with": "", "notes": "Mes notes gardées."}
    )

    assert refused.status_code == 400
    html = refused.content.decode()
    assert "Choisissez avec qui l&#x27;entretien a eu lieu." in html
    assert 'id="id_held_with_error"' in html
    assert "Mes notes gardées." in html
    assert 'value="2999-01-01"' in html
    # The date is the service's to refuse once the form is whole.
    refused = client.post(page(closed), {"held_on": "2999-01-01", "held_with": "both"})
    html = refused.content.decode()
    assert "La date de l&#x27;entretien ne peut pas être dans le futur." in html
    assert 'id="id_held_on_error"' in html
    assert not ClosureInterview.objects.exists()


def test_the_closed_pairs_page_links_staff_to_the_interview(client, closed, referent):
    login_staff(client, referent)

    html = client.get(reverse("spaces:pair", args=[closed.pk])).content.decode()

    assert page(closed) in html


def test_other_referents_find_nothing_and_an_active_pair_has_no_interview_page(
    client, closed, referent
):
    login_staff(client, make_referent())
    assert client.get(page(closed)).status_code == 404
    active = MentorshipFactory(active=True, mentor__referent=referent)
    login_staff(client, referent)
    assert client.get(page(active)).status_code == 404
    login_staff(client, make_coordinator())
    assert client.get(page(closed)).status_code == 200
