"""Members answer a proposal from « Mes propositions » (logged in) or from the signed link of
their e-mail (logged out)."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from matching.enums import MentorshipStatus, Response, Side
from matching.links import MAX_AGE, response_path
from matching.services import mentorship_activate, mentorship_respond
from tests.matching.factories import MentorshipFactory
from tests.mentees.factories import MenteeFactory
from tests.mentors.factories import MentorFactory
from tests.users.factories import UserFactory
from tests.users.staff import login_staff
from tests.utils import assert_error_tied_to_field
from users.enums import HelpTopic, Sector

pytestmark = pytest.mark.django_db

MY_PROPOSALS = reverse("matching:my_proposals")
REASON_REQUIRED = "Le motif est obligatoire pour refuser : quelques mots suffisent."


def field(mentorship, name):
    """A form field's name: each pair's form is prefixed with the pair's id."""
    return f"binome-{mentorship.pk}-{name}"


def answer_data(mentorship, decision, reason=""):
    return {field(mentorship, "decision"): decision, field(mentorship, "reason"): reason}


def respond_url(mentorship):
    return reverse("matching:respond", args=[mentorship.pk])


def logged_in(client, user):
    return login_staff(client, user)


def assert_unanswered(mentorship):
    mentorship.refresh_from_db()
    assert mentorship.status == MentorshipStatus.PROPOSED
    assert mentorship.mentor_response == Response.PENDING
    assert mentorship.mentee_response == Response.PENDING


# « Mes propositions »


def test_my_proposals_asks_to_log_in_first(client):
    response = client.get(MY_PROPOSALS)

    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={MY_PROPOSALS}"


def test_a_mentor_sees_the_young_persons_situation_needs_goals_and_why_they_were_matched(client):
    mentee = MenteeFactory(
        approved=True,
        user__first_name="Yanis",
        user__last_name="Zerrouki",
        civility="mme",
        needs=[HelpTopic.ALTERNANCE, HelpTopic.CV_INTERVIEW],
        goals="Trouver une alternance en cybersécurité.",
    )
    mentorship = MentorshipFactory(
        mentee=mentee,
        explanation=[
            {"label": "aide à trouver une alternance : oui", "ok": True},
            {"label": "aucune langue commune", "ok": False},
        ],
    )

    response = logged_in(client, mentorship.mentor.user).get(MY_PROPOSALS)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Accompagner Yanis" in html
    assert "Zerrouki" not in html  # no surname before the pair starts
    # Agreed with the civility the young person gave.
    assert '<dd class="col-sm-8">Étudiante</dd>' in html
    assert "Trouver une alternance, CV et entretien" in html
    assert "Trouver une alternance en cybersécurité." in html
    assert "Pourquoi ce binôme" in html
    # Members read what the pair shares, never the staff's explanation with its failed criteria.
    assert "Aide à trouver une alternance : oui" not in html
    assert "Aucune langue commune" not in html
    assert f'action="{respond_url(mentorship)}"' in html


def test_a_young_person_sees_the_mentors_job_employer_and_what_they_help_with(client):
    mentor = MentorFactory(
        approved=True,
        user__first_name="Sophie",
        job_title="Cheffe de projet",
        employer="Orange",
        help_topics=[HelpTopic.ORIENTATION, HelpTopic.INTERNSHIP],
        sectors_to_share=[Sector.IT],
    )
    mentorship = MentorshipFactory(mentor=mentor)

    html = logged_in(client, mentorship.mentee.user).get(MY_PROPOSALS).content.decode()

    assert "Ton mentor : Sophie" in html
    assert "Cheffe de projet" in html
    assert "Orange" in html
    assert "Orientation, Trouver un stage" in html
    assert "Informatique, numérique" in html
    assert f'action="{respond_url(mentorship)}"' in html


def test_pairs_awaiting_the_users_answer_come_first_and_the_others_show_their_status(client):
    mentor = MentorFactory(approved=True, capacity=3)
    awaiting = MentorshipFactory(mentor=mentor, mentee__user__first_name="Inès")
    accepted = MentorshipFactory(
        mentor=mentor, mentee__user__first_name="Lucas", mentor_response=Response.ACCEPTED
    )
    active = MentorshipFactory(mentor=mentor, active=True, mentee__user__first_name="Awa")

    response = logged_in(client, mentor.user).get(MY_PROPOSALS)

    assert [p.mentorship for p in response.context["awaiting"]] == [awaiting]
    assert {p.mentorship for p in response.context["others"]} == {accepted, active}
    html = response.content.decode()
    assert html.index("En attente de ma réponse") < html.index("Accompagner Inès")
    assert html.index("Accompagner Inès") < html.index("Mes autres binômes")
    assert "Vous avez accepté cette proposition. Nous attendons la réponse de Lucas." in html
    assert "Ce binôme a commencé le" in html
    assert active.mentee.user.email in html  # contact once the pair has started
    # Only the pair awaiting an answer has a form.
    assert html.count('name="csrfmiddlewaretoken"') == 2  # its form and the logout button


def test_a_staff_user_without_a_registration_sees_an_empty_page(client):
    MentorshipFactory()

    response = logged_in(client, UserFactory(coordinator=True)).get(MY_PROPOSALS)

    assert response.status_code == 200
    assert "Aucune proposition de binôme pour le moment." in (response.content.decode())


def test_the_page_makes_as_many_queries_with_one_pair_as_with_many(
    client, django_assert_num_queries
):
    mentor = MentorFactory(approved=True, capacity=3)
    MentorshipFactory(mentor=mentor)
    logged_in(client, mentor.user)
    # 1. the session, 2. the user, 3. the user's pairs joined with both members and accounts.
    with django_assert_num_queries(3):
        client.get(MY_PROPOSALS)

    MentorshipFactory.create_batch(4, mentor=mentor)
    MentorshipFactory.create_batch(2, mentor=mentor, active=True)
    MentorshipFactory(mentor=mentor, declined=True)
    with django_assert_num_queries(3):
        response = client.get(MY_PROPOSALS)

    assert len(response.context["awaiting"]) + len(response.context["others"]) == 8


# Answering from « Mes propositions »


def test_a_mentor_accepts_from_their_page(client):
    mentorship = MentorshipFactory(mentee__user__first_name="Yanis")

    response = logged_in(client, mentorship.mentor.user).post(
        respond_url(mentorship), answer_data(mentorship, "accept"), follow=True
    )

    assert response.redirect_chain == [(MY_PROPOSALS, 302)]
    assert "Merci, vous avez accepté le binôme avec Yanis." in response.content.decode()
    mentorship.refresh_from_db()
    assert mentorship.mentor_response == Response.ACCEPTED
    assert mentorship.mentee_response == Response.PENDING


def test_the_second_acceptance_starts_the_pair(client, django_capture_on_commit_callbacks):
    mentorship = MentorshipFactory(mentor_response=Response.ACCEPTED)

    with django_capture_on_commit_callbacks(execute=True):
        response = logged_in(client, mentorship.mentee.user).post(
            respond_url(mentorship), answer_data(mentorship, "accept"), follow=True
        )

    assert "ton binôme commence aujourd&#x27;hui" in response.content.decode()
    mentorship.refresh_from_db()
    assert mentorship.status == MentorshipStatus.ACTIVE
    assert mentorship.started_on == timezone.localdate()


def test_a_young_person_declines_with_a_reason(client):
    mentorship = MentorshipFactory()

    response = logged_in(client, mentorship.mentee.user).post(
        respond_url(mentorship),
        answer_data(mentorship, "decline", "Je cherche plutôt dans la santé."),
        follow=True,
    )

    assert "Ton refus est bien enregistré" in response.content.decode()
    mentorship.refresh_from_db()
    assert mentorship.status == MentorshipStatus.DECLINED
    assert mentorship.decline_reason == "Jeune : Je cherche plutôt dans la santé."


def test_declining_without_a_reason_shows_the_error_beside_the_field(client):
    mentorship = MentorshipFactory()

    response = logged_in(client, mentorship.mentor.user).post(
        respond_url(mentorship), answer_data(mentorship, "decline", "   ")
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert REASON_REQUIRED in html
    assert_error_tied_to_field(html, field(mentorship, "reason"))
    assert f'href="#id_{field(mentorship, "reason")}"' in html  # the summary leads to it
    assert_unanswered(mentorship)


def test_a_refused_answer_keeps_what_was_typed(client):
    mentorship = MentorshipFactory()
    too_long = "Je ne suis pas disponible. " * 40  # over the 1,000 characters allowed

    response = logged_in(client, mentorship.mentor.user).post(
        respond_url(mentorship), answer_data(mentorship, "decline", too_long)
    )

    html = response.content.decode()
    assert "Le motif est limité à 1 000 caractères." in html
    assert_error_tied_to_field(html, field(mentorship, "reason"))
    assert too_long.strip() in html
    assert_unanswered(mentorship)


def test_only_the_pair_in_error_shows_the_error(client):
    mentor = MentorFactory(approved=True, capacity=2)
    first, second = MentorshipFactory.create_batch(2, mentor=mentor)

    response = logged_in(client, mentor.user).post(
        respond_url(first), answer_data(first, "decline", "")
    )

    forms = {p.mentorship: p.form for p in response.context["awaiting"]}
    assert forms[first].errors
    assert not forms[second].is_bound


def test_an_answer_without_a_decision_is_refused(client):
    mentorship = MentorshipFactory()

    response = logged_in(client, mentorship.mentor.user).post(
        respond_url(mentorship), {field(mentorship, "decision"): "peut-être"}
    )

    assert "Choisissez « J&#x27;accepte » ou « Je refuse »." in response.content.decode()
    assert_unanswered(mentorship)


def test_someone_elses_pair_cannot_be_answered(client):
    mentorship = MentorshipFactory()
    stranger = MentorFactory(approved=True).user

    response = logged_in(client, stranger).post(
        respond_url(mentorship), answer_data(mentorship, "accept")
    )

    assert response.status_code == 404
    assert_unanswered(mentorship)


def test_the_side_comes_from_the_user_never_from_the_form(client):
    mentorship = MentorshipFactory()

    logged_in(client, mentorship.mentor.user).post(
        respond_url(mentorship), {**answer_data(mentorship, "accept"), "side": Side.MENTEE}
    )

    mentorship.refresh_from_db()
    assert mentorship.mentor_response == Response.ACCEPTED
    assert mentorship.mentee_response == Response.PENDING


def test_a_pair_answered_meanwhile_is_not_answered_again(client):
    mentorship = MentorshipFactory(mentee_response=Response.ACCEPTED)

    response = logged_in(client, mentorship.mentee.user).post(
        respond_url(mentorship), answer_data(mentorship, "decline", "Finalement non"), follow=True
    )

    assert "Tu as accepté cette proposition." in response.content.decode()
    mentorship.refresh_from_db()
    assert mentorship.mentee_response == Response.ACCEPTED
    assert mentorship.status == MentorshipStatus.PROPOSED


def test_the_answer_url_only_takes_a_post(client):
    mentorship = MentorshipFactory()

    response = logged_in(client, mentorship.mentor.user).get(respond_url(mentorship))

    assert response.status_code == 405


# The signed link of the e-mail


def test_opening_the_link_shows_the_proposal_without_answering(client, mailoutbox):
    mentorship = MentorshipFactory(mentor__user__first_name="Sophie", mentor__employer="Orange")

    response = client.get(response_path(mentorship, Side.MENTEE))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Ton mentor : Sophie" in html
    assert "Orange" in html
    assert "Pourquoi ce binôme" in html
    assert f'name="{field(mentorship, "reason")}"' in html
    assert_unanswered(mentorship)
    assert mailoutbox == []


def test_a_young_person_accepts_from_the_link(client):
    mentorship = MentorshipFactory(mentor__user__first_name="Sophie")

    response = client.post(
        response_path(mentorship, Side.MENTEE), answer_data(mentorship, "accept")
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "Merci pour ta réponse" in html
    assert "tu as accepté le binôme avec Sophie" in html
    mentorship.refresh_from_db()
    assert mentorship.mentee_response == Response.ACCEPTED
    assert mentorship.mentor_response == Response.PENDING
    assert mentorship.history.latest().history_user == mentorship.mentee.user


def test_the_link_answers_for_the_side_it_was_sent_to(client):
    mentorship = MentorshipFactory()

    client.post(
        response_path(mentorship, Side.MENTOR),
        {**answer_data(mentorship, "decline", "Pas disponible"), "side": Side.MENTEE},
    )

    mentorship.refresh_from_db()
    assert mentorship.mentor_response == Response.DECLINED
    assert mentorship.mentee_response == Response.PENDING
    assert mentorship.decline_reason == "Mentor : Pas disponible"


def test_both_links_accepted_start_the_pair(client, django_capture_on_commit_callbacks):
    mentorship = MentorshipFactory()
    client.post(response_path(mentorship, Side.MENTOR), answer_data(mentorship, "accept"))

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            response_path(mentorship, Side.MENTEE), answer_data(mentorship, "accept")
        )

    assert "ton binôme commence aujourd&#x27;hui" in response.content.decode()
    mentorship.refresh_from_db()
    assert mentorship.status == MentorshipStatus.ACTIVE


def test_declining_from_the_link_without_a_reason_shows_the_error_beside_the_field(client):
    mentorship = MentorshipFactory()

    response = client.post(
        response_path(mentorship, Side.MENTEE), answer_data(mentorship, "decline")
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert REASON_REQUIRED in html
    assert_error_tied_to_field(html, field(mentorship, "reason"))
    assert_unanswered(mentorship)


def test_an_expired_link_is_refused(client):
    mentorship = MentorshipFactory()
    path = response_path(mentorship, Side.MENTEE)

    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=MAX_AGE + 60)):
        response = client.post(path, answer_data(mentorship, "accept"))

    assert response.status_code == 400
    assert "Ce lien a expiré" in response.content.decode()
    assert_unanswered(mentorship)


def test_a_tampered_link_is_refused(client):
    mentorship = MentorshipFactory()
    other = MentorshipFactory()
    token = response_path(mentorship, Side.MENTEE).rstrip("/").split("/")[-1]
    other_token = response_path(other, Side.MENTEE).rstrip("/").split("/")[-1]
    # Another pair's payload with this pair's signature: the signature no longer matches.
    forged = other_token.split(":")[0] + ":" + ":".join(token.split(":")[1:])

    response = client.post(
        reverse("matching:respond_by_link", args=[forged]), answer_data(other, "accept")
    )

    assert response.status_code == 400
    assert "Ce lien n&#x27;est pas valide" in response.content.decode()
    assert_unanswered(mentorship)
    assert_unanswered(other)


def test_a_link_to_a_deleted_pair_is_refused(client):
    mentorship = MentorshipFactory()
    path = response_path(mentorship, Side.MENTEE)
    mentorship.delete()

    response = client.get(path)

    assert response.status_code == 400
    assert "Ce lien n&#x27;est plus valide." in response.content.decode()


def already_accepted_by_the_young_person(mentorship):
    mentorship_respond(mentorship=mentorship, side=Side.MENTEE, accept=True)
    return "Tu as accepté cette proposition. Nous attendons la réponse de"


def declined_by_the_mentor(mentorship):
    mentorship_respond(mentorship=mentorship, side=Side.MENTOR, accept=False, reason="Non")
    return "Cette proposition n&#x27;a pas abouti"


def activated_by_a_coordinator(mentorship):
    mentorship_activate(
        mentorship=mentorship,
        activated_by=UserFactory(coordinator=True),
        started_on=datetime.date(2026, 3, 2),
    )
    return "Ce binôme a commencé le 2 mars 2026."


@pytest.mark.parametrize(
    "happened",
    [already_accepted_by_the_young_person, declined_by_the_mentor, activated_by_a_coordinator],
)
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_link_to_a_pair_no_longer_awaiting_this_answer_says_so_and_changes_nothing(
    client, happened, method
):
    mentorship = MentorshipFactory()
    with time_machine.travel(datetime.datetime(2026, 3, 10, 12, tzinfo=datetime.UTC)):
        explanation = happened(mentorship)
    mentorship.refresh_from_db()
    before = mentorship.history.count()

    response = getattr(client, method)(
        response_path(mentorship, Side.MENTEE), answer_data(mentorship, "decline", "Non merci")
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "Cette proposition n&#x27;attend plus ta réponse" in html
    assert explanation in html
    assert mentorship.history.count() == before
