"""The e-mails of a proposal: each member gets the signed link of their own side and the
explanation of the match; subjects carry no personal data; every e-mail has a text and an
HTML version."""

import re

import pytest
from django.urls import reverse

from matching.enums import Side
from matching.links import mentorship_from_token
from matching.services import mentorship_propose, mentorship_respond
from tests.matching.factories import MentorshipFactory
from tests.mentees.factories import MenteeFactory
from tests.mentors.factories import MentorFactory
from tests.users.factories import UserFactory
from users.enums import HelpTopic, Sector

pytestmark = pytest.mark.django_db

LINK = re.compile(r"http://testserver/binomes/reponse/([^/\s\"]+)/")


@pytest.fixture
def proposal(django_capture_on_commit_callbacks, mailoutbox):
    """A pair proposed through the service, with the e-mails it sent."""
    mentee = MenteeFactory(
        approved=True,
        user__first_name="Yanis",
        user__last_name="Zerrouki",
        civility="m",
        needs=[HelpTopic.ALTERNANCE],
    )
    mentor = MentorFactory(
        approved=True,
        user__first_name="Sophie",
        user__last_name="Lemoine",
        job_title="Cheffe de projet",
        employer="Orange",
        help_topics=[HelpTopic.ALTERNANCE],
    )
    with django_capture_on_commit_callbacks(execute=True):
        mentorship = mentorship_propose(
            mentee=mentee, mentor=mentor, proposed_by=UserFactory(coordinator=True)
        )
    return mentorship


def email_to(mailoutbox, user):
    [message] = [message for message in mailoutbox if message.to == [user.email]]
    return message


def html_of(message):
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return html


def personal_data(mentorship):
    mentor, mentee = mentorship.mentor, mentorship.mentee
    return [
        mentor.user.first_name,
        mentor.user.last_name,
        mentor.user.email,
        mentor.employer,
        mentee.user.first_name,
        mentee.user.last_name,
        mentee.user.email,
        mentee.department,
    ]


@pytest.mark.parametrize("side", [Side.MENTOR, Side.MENTEE])
def test_each_member_gets_the_signed_link_of_their_own_side(proposal, mailoutbox, side):
    member = proposal.mentor if side == Side.MENTOR else proposal.mentee

    message = email_to(mailoutbox, member.user)

    for body in (message.body, html_of(message)):
        tokens = set(LINK.findall(body))
        assert len(tokens) == 1
        mentorship, signed_side = mentorship_from_token(tokens.pop())
        assert mentorship == proposal
        assert signed_side == side


@pytest.mark.parametrize("side", [Side.MENTOR, Side.MENTEE])
def test_the_proposal_tells_members_what_the_pair_shares_never_the_staff_explanation(
    django_capture_on_commit_callbacks, mailoutbox, side
):
    mentee = MenteeFactory(
        approved=True,
        needs=[HelpTopic.ALTERNANCE, HelpTopic.SELF_CONFIDENCE],
        sectors_of_interest=[Sector.IT],
    )
    mentor = MentorFactory(
        approved=True,
        help_topics=[HelpTopic.ALTERNANCE],
        sector=Sector.IT,
        department=mentee.department,
    )
    with django_capture_on_commit_callbacks(execute=True):
        proposal = mentorship_propose(
            mentee=mentee, mentor=mentor, proposed_by=UserFactory(coordinator=True)
        )
    assert {"label": "aide à la confiance en soi : non", "ok": False} in proposal.explanation
    member = mentor if side == Side.MENTOR else mentee

    message = email_to(mailoutbox, member.user)

    for body in (message.body, html_of(message)):
        assert "Pourquoi ce binôme" in body
        assert "Accompagnement possible pour : trouver une alternance" in body
        assert "Secteur en commun : informatique, numérique" in body
        assert f"Même département : {mentee.department}" in body
        assert "confiance en soi" not in body
        assert "✗" not in body and "✓" not in body
        assert " : non" not in body and " : oui" not in body
        assert "http://testserver" + reverse("matching:my_proposals") in body


def test_the_mentor_reads_about_the_young_person_and_the_young_person_about_the_mentor(
    proposal, mailoutbox
):
    to_mentor = email_to(mailoutbox, proposal.mentor.user)
    to_mentee = email_to(mailoutbox, proposal.mentee.user)

    assert "Bonjour Sophie," in to_mentor.body
    assert "Nous vous proposons d'accompagner Yanis, étudiant (" in to_mentor.body
    assert "Bonjour Yanis," in to_mentee.body
    assert "Nous te proposons un mentor : Sophie, Cheffe de projet" in to_mentee.body
    # Surnames and contacts wait until both have accepted.
    assert "Zerrouki" not in to_mentor.body
    assert "Lemoine" not in to_mentee.body
    assert proposal.mentee.user.email not in to_mentor.body


def test_the_start_email_gives_each_member_the_others_contact(
    proposal, django_capture_on_commit_callbacks, mailoutbox
):
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        mentorship_respond(mentorship=proposal, side=Side.MENTOR, accept=True)
        mentorship_respond(mentorship=proposal, side=Side.MENTEE, accept=True)

    to_mentor = email_to(mailoutbox, proposal.mentor.user)
    to_mentee = email_to(mailoutbox, proposal.mentee.user)
    assert proposal.mentee.user.email in to_mentor.body
    assert proposal.mentee.user.email in html_of(to_mentor)
    assert proposal.mentor.user.email in to_mentee.body
    assert proposal.mentor.user.email in html_of(to_mentee)


def test_the_decline_email_takes_the_coordinator_to_the_pair_in_the_admin(
    django_capture_on_commit_callbacks, mailoutbox
):
    mentorship = MentorshipFactory()

    with django_capture_on_commit_callbacks(execute=True):
        mentorship_respond(
            mentorship=mentorship, side=Side.MENTEE, accept=False, reason="Trop loin"
        )

    [message] = mailoutbox
    admin_url = "http://testserver" + reverse(
        "admin:matching_mentorship_change", args=[mentorship.pk]
    )
    for body in (message.body, html_of(message)):
        assert "Jeune : Trop loin" in body
        assert admin_url in body


def test_no_subject_carries_personal_data(proposal, django_capture_on_commit_callbacks, mailoutbox):
    declined = MentorshipFactory()
    with django_capture_on_commit_callbacks(execute=True):
        mentorship_respond(mentorship=proposal, side=Side.MENTOR, accept=True)
        mentorship_respond(mentorship=proposal, side=Side.MENTEE, accept=True)
        mentorship_respond(mentorship=declined, side=Side.MENTOR, accept=False, reason="Non")

    assert {message.subject for message in mailoutbox} == {
        "Mentorat AJE : un binôme vous est proposé",
        "Mentorat AJE : un mentor t'est proposé",
        "Mentorat AJE : votre binôme commence",
        "Mentorat AJE : ton binôme commence",
        "Mentorat AJE : une proposition de binôme a été refusée",
    }
    for message in mailoutbox:
        for value in personal_data(proposal) + personal_data(declined):
            assert value not in message.subject


def test_the_html_version_escapes_what_people_typed(django_capture_on_commit_callbacks, mailoutbox):
    mentee = MenteeFactory(approved=True, user__first_name="<b>Léa</b>")
    with django_capture_on_commit_callbacks(execute=True):
        mentorship_propose(
            mentee=mentee, mentor=MentorFactory(approved=True), proposed_by=UserFactory(staff=True)
        )

    html = html_of(email_to(mailoutbox, mentee.user))
    assert "&lt;b&gt;Léa&lt;/b&gt;" in html
    assert "<b>Léa" not in html
