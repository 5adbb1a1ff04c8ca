"""What people are told about their pair: its closure (both members, the mentor's référent, a
minor's guardian; worded by the reason) and, for a minor, the proposed mentor (to the guardian,
who may object through a signed link that declines the proposal and tells the coordinator).
Each e-mail goes once, after the commit, with a text and an HTML version and no personal data
in its subject."""

import datetime
import re

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone

from matching.enums import CloseReason, MentorshipStatus, Response
from matching.links import guardian_objection_path
from matching.services import (
    GUARDIAN_OBJECTION,
    mentorship_close,
    mentorship_propose,
    mentorship_respond,
)
from matching.tasks import send_closure_emails, send_guardian_proposal_email
from reminders.enums import ReminderFrequency
from reminders.models import ReminderPreference
from tests.matching.factories import MentorshipFactory
from tests.mentees.factories import MenteeFactory
from tests.mentors.factories import MentorFactory
from tests.users.factories import UserFactory
from tests.users.staff import make_referent
from users.enums import HelpTopic
from users.programme import RULES

pytestmark = pytest.mark.django_db

NOON = datetime.datetime(2026, 3, 16, 12, tzinfo=timezone.get_default_timezone())
OBJECTION_LINK = re.compile(r"http://testserver(/binomes/opposition/[^/\s\"]+/)")


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(NOON, tick=False):
        yield


def html_of(message) -> str:
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return html


def to(mailoutbox, address):
    return [message for message in mailoutbox if message.to == [address]]


def names_of(mentorship) -> list[str]:
    mentor, mentee = mentorship.mentor, mentorship.mentee
    return [
        mentor.user.first_name,
        mentor.user.last_name,
        mentor.user.email,
        mentee.user.first_name,
        mentee.user.last_name,
        mentee.user.email,
        mentee.guardian_name,
        mentee.guardian_email,
    ]


def assert_no_personal_data_in_subjects(mailoutbox, mentorship):
    for message in mailoutbox:
        for value in filter(None, names_of(mentorship)):
            assert value not in message.subject, (value, message.subject)


# --- A pair closed


@pytest.fixture
def referent():
    return make_referent(first_name="Rémi", last_name="Quintard")


def active_pair(referent=None, minor=False, **mentee):
    return MentorshipFactory(
        active=True,
        started_on=datetime.date(2025, 9, 1),
        mentor=MentorFactory(
            approved=True,
            for_minors=minor,
            referent=referent,
            user__first_name="Sophie",
            user__last_name="Lemoine",
        ),
        mentee=MenteeFactory(
            approved=True,
            minor=minor,
            with_consent=minor,
            user__first_name="Yanis",
            user__last_name="Zerrouki",
            **mentee,
        ),
    )


def close(pair, reason=CloseReason.MENTEE_WITHDREW):
    return mentorship_close(mentorship=pair, reason=reason, closed_by=UserFactory(coordinator=True))


def test_a_closed_pair_tells_both_members_and_the_referent_once_after_the_commit(
    django_capture_on_commit_callbacks, mailoutbox, referent
):
    pair = active_pair(referent)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        close(pair)
    assert mailoutbox == []  # nothing before the commit
    for callback in callbacks:
        callback()

    recipients = sorted(address for message in mailoutbox for address in message.to)
    assert recipients == sorted([pair.mentor.user.email, pair.mentee.user.email, referent.email])
    # A redelivered task sends nothing again.
    send_closure_emails.delay(pair.pk)
    assert len(mailoutbox) == 3
    assert_no_personal_data_in_subjects(mailoutbox, pair)


class Boom(Exception):
    pass


def test_a_closure_rolled_back_tells_nobody(django_capture_on_commit_callbacks, mailoutbox):
    pair = active_pair()

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(Boom),
        transaction.atomic(),
    ):
        close(pair)
        raise Boom

    assert callbacks == []
    assert mailoutbox == []


def test_a_minors_guardian_is_told_too(django_capture_on_commit_callbacks, mailoutbox):
    pair = active_pair(minor=True, guardian_name="Nadia Haddad")

    with django_capture_on_commit_callbacks(execute=True):
        close(pair, CloseReason.REMATCH_NEEDED)

    [message] = to(mailoutbox, pair.mentee.guardian_email)
    assert "Bonjour Nadia Haddad" in message.body
    assert "proposer un autre mentor" in message.body
    assert "Nadia" not in message.subject and "Yanis" not in message.subject
    assert len(mailoutbox) == 3  # the two members and the guardian (no référent)


def test_an_adults_guardian_contact_is_not_written_to(
    django_capture_on_commit_callbacks, mailoutbox
):
    pair = active_pair(guardian_email="ancien.parent@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        close(pair)

    assert to(mailoutbox, "ancien.parent@example.org") == []


@pytest.mark.parametrize(
    ("reason", "young_person_reads", "mentor_reads"),
    [
        (CloseReason.OBJECTIVES_ACHIEVED, "vous avez atteint vos objectifs", "sont atteints"),
        (CloseReason.REMATCH_NEEDED, "Nous allons te proposer un nouveau mentor", "autre mentor"),
        (CloseReason.MENTEE_WITHDREW, "plus tôt que prévu", "plus tôt que prévu"),
        (CloseReason.UNREACHABLE, "plus tôt que prévu", "plus tôt que prévu"),
    ],
)
def test_the_wording_follows_the_reason_and_says_what_happens_next(
    mailoutbox, reason, young_person_reads, mentor_reads
):
    pair = active_pair()
    pair.status, pair.close_reason, pair.ended_on = (
        MentorshipStatus.CLOSED,
        reason,
        datetime.date(2026, 3, 16),
    )
    pair.save()

    send_closure_emails(pair.pk)

    [young] = to(mailoutbox, pair.mentee.user.email)
    [mentor] = to(mailoutbox, pair.mentor.user.email)
    for body in (young.body, html_of(young)):
        assert young_person_reads in body
        assert "questionnaire de fin" in body  # the young person's next step, in « tu »
        assert "Remplis" in body
    for body in (mentor.body, html_of(mentor)):
        assert mentor_reads in body
        assert "Votre place est de nouveau disponible" in body


def test_each_member_is_sent_to_their_closure_questionnaire_and_the_referent_to_the_interview(
    django_capture_on_commit_callbacks, mailoutbox, referent
):
    pair = active_pair(referent)

    with django_capture_on_commit_callbacks(execute=True):
        close(pair)

    questionnaire = f"http://testserver/questionnaires/binome/{pair.pk}/cloture/"
    interview = f"http://testserver/admin/referent/binome/{pair.pk}/entretien-de-fin/"
    [young] = to(mailoutbox, pair.mentee.user.email)
    [mentor] = to(mailoutbox, pair.mentor.user.email)
    [staff] = to(mailoutbox, referent.email)
    for body in (young.body, html_of(young)):
        assert questionnaire in body
        assert "questionnaire de clôture" in body
        assert "si tu recommanderais le programme" in body
        assert "pas ton mentor" in body
    for body in (mentor.body, html_of(mentor)):
        assert questionnaire in body
        assert "si vous souhaitez accompagner un autre jeune" in body
        assert "pas le jeune" in body
    for body in (staff.body, html_of(staff)):
        assert interview in body
        assert "entretien de fin" in body
    assert interview not in young.body + mentor.body


def test_the_closing_comment_for_the_team_is_never_sent(
    django_capture_on_commit_callbacks, mailoutbox, referent
):
    pair = active_pair(referent)

    with django_capture_on_commit_callbacks(execute=True):
        mentorship_close(
            mentorship=pair,
            reason=CloseReason.OTHER,
            comment="Commentaire interne confidentiel",
            closed_by=UserFactory(coordinator=True),
        )

    assert mailoutbox
    for message in mailoutbox:
        assert "confidentiel" not in message.body + html_of(message)


def test_the_mentor_is_pointed_to_their_referent(
    django_capture_on_commit_callbacks, mailoutbox, referent
):
    pair = active_pair(referent)

    with django_capture_on_commit_callbacks(execute=True):
        close(pair)

    [message] = to(mailoutbox, pair.mentor.user.email)
    assert f"votre référent Rémi reste à votre écoute : {referent.email}" in message.body


def test_a_member_who_chose_essential_reminders_only_is_still_told_of_the_closure(
    django_capture_on_commit_callbacks, mailoutbox
):
    # The end of one's pair is not a reminder: the reminders' preference does not apply.
    pair = active_pair()
    ReminderPreference.objects.create(
        user=pair.mentee.user, frequency=ReminderFrequency.ESSENTIAL_ONLY
    )

    with django_capture_on_commit_callbacks(execute=True):
        close(pair)

    assert len(to(mailoutbox, pair.mentee.user.email)) == 1


# --- A pair proposed to a minor: the guardian


@pytest.fixture
def minor_proposal(django_capture_on_commit_callbacks, mailoutbox):
    mentee = MenteeFactory(
        approved=True,
        minor=True,
        with_consent=True,
        guardian_name="Nadia Haddad",
        user__first_name="Yanis",
        user__last_name="Zerrouki",
        needs=[HelpTopic.ALTERNANCE],
    )
    mentor = MentorFactory(
        approved=True,
        for_minors=True,
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


def guardian_email(mailoutbox, mentorship):
    [message] = to(mailoutbox, mentorship.mentee.guardian_email)
    return message


def test_the_guardian_learns_the_mentors_first_name_and_job_and_the_rules(
    minor_proposal, mailoutbox
):
    message = guardian_email(mailoutbox, minor_proposal)

    for body in (message.body, html_of(message)):
        assert "Sophie" in body
        assert "Cheffe de projet" in body
        assert "Lemoine" not in body and "Orange" not in body  # no surname, no employer
        for rule in RULES.safeguarding:
            assert rule in body.replace("&#x27;", "'")
        assert f"valable {RULES.guardian_consent_link_validity}" in body
        assert "camille.martin@example.org" in body  # whom to contact
    assert_no_personal_data_in_subjects(mailoutbox, minor_proposal)


def test_the_guardian_is_told_once(minor_proposal, mailoutbox):
    send_guardian_proposal_email.delay(minor_proposal.pk)

    assert len(to(mailoutbox, minor_proposal.mentee.guardian_email)) == 1


def test_an_adults_proposal_writes_to_no_guardian(django_capture_on_commit_callbacks, mailoutbox):
    mentee = MenteeFactory(approved=True, guardian_email="parent@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        mentorship_propose(
            mentee=mentee,
            mentor=MentorFactory(approved=True),
            proposed_by=UserFactory(coordinator=True),
        )

    assert to(mailoutbox, "parent@example.org") == []
    assert len(mailoutbox) == 2  # the two members


def objection_path(mailoutbox, mentorship) -> str:
    return OBJECTION_LINK.search(guardian_email(mailoutbox, mentorship).body).group(1)


def test_opening_the_link_shows_the_proposal_and_changes_nothing(
    minor_proposal, mailoutbox, client
):
    response = client.get(objection_path(mailoutbox, minor_proposal))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Je m'oppose à ce binôme" in html
    assert "Sophie" in html and "Cheffe de projet" in html
    minor_proposal.refresh_from_db()
    assert minor_proposal.status == MentorshipStatus.PROPOSED


def test_the_guardians_objection_declines_the_proposal_and_tells_the_coordinator(
    minor_proposal, mailoutbox, client, django_capture_on_commit_callbacks
):
    path = objection_path(mailoutbox, minor_proposal)
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(path)

    assert response.status_code == 200
    assert "Votre opposition est enregistrée" in response.content.decode()
    minor_proposal.refresh_from_db()
    assert minor_proposal.status == MentorshipStatus.DECLINED
    assert minor_proposal.mentee_response == Response.DECLINED
    assert minor_proposal.decline_reason == GUARDIAN_OBJECTION
    assert minor_proposal.history.first().history_change_reason == (
        "Opposition du représentant légal"
    )
    [message] = mailoutbox
    assert message.to == [minor_proposal.proposed_by.email]
    assert f"n° {minor_proposal.pk}" in message.body
    assert_no_personal_data_in_subjects(mailoutbox, minor_proposal)


def test_the_objection_holds_even_after_the_young_person_accepted(
    minor_proposal, mailoutbox, client
):
    mentorship_respond(mentorship=minor_proposal, side="mentee", accept=True)

    client.post(objection_path(mailoutbox, minor_proposal))

    minor_proposal.refresh_from_db()
    assert minor_proposal.status == MentorshipStatus.DECLINED


def test_a_reused_link_says_the_objection_is_already_recorded(
    minor_proposal, mailoutbox, client, django_capture_on_commit_callbacks
):
    path = objection_path(mailoutbox, minor_proposal)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(path)
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(path)
    opened = client.get(path)

    for response in (again, opened):
        assert response.status_code == 200
        assert "Votre opposition est déjà enregistrée" in response.content.decode()
    assert mailoutbox == []  # the coordinator is told once


def test_a_link_to_a_pair_already_started_says_whom_to_contact(minor_proposal, mailoutbox, client):
    path = objection_path(mailoutbox, minor_proposal)
    mentorship_respond(mentorship=minor_proposal, side="mentee", accept=True)
    mentorship_respond(mentorship=minor_proposal, side="mentor", accept=True)

    response = client.post(path)

    html = response.content.decode()
    assert "Le mentorat a déjà commencé" in html
    assert "camille.martin@example.org" in html
    minor_proposal.refresh_from_db()
    assert minor_proposal.status == MentorshipStatus.ACTIVE


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_tampered_link_is_refused_with_a_french_page(minor_proposal, mailoutbox, client, method):
    path = objection_path(mailoutbox, minor_proposal)
    tampered = path[:-3] + ("A" if path[-3] != "A" else "B") + path[-2:]

    response = getattr(client, method)(tampered)

    assert response.status_code == 400
    assert "Ce lien n&#x27;est pas valide" in response.content.decode()
    minor_proposal.refresh_from_db()
    assert minor_proposal.status == MentorshipStatus.PROPOSED


def test_a_link_for_another_salt_is_refused(minor_proposal, client):
    # The guardian's consent link (same young person, same address) opens no objection.
    from mentees.consent import guardian_consent_path

    token = guardian_consent_path(minor_proposal.mentee).rstrip("/").rsplit("/", 1)[-1]

    response = client.post(f"/binomes/opposition/{token}/")

    assert response.status_code == 400
    minor_proposal.refresh_from_db()
    assert minor_proposal.status == MentorshipStatus.PROPOSED


def test_an_expired_link_is_refused(minor_proposal, mailoutbox, client):
    path = objection_path(mailoutbox, minor_proposal)
    days = RULES.guardian_consent_link_days

    with time_machine.travel(timezone.now() + datetime.timedelta(days=days, hours=1), tick=False):
        response = client.post(path)

    assert response.status_code == 400
    assert "Ce lien a expiré" in response.content.decode()
    minor_proposal.refresh_from_db()
    assert minor_proposal.status == MentorshipStatus.PROPOSED


def test_a_link_still_works_on_its_last_valid_day(minor_proposal, mailoutbox, client):
    path = objection_path(mailoutbox, minor_proposal)
    days = RULES.guardian_consent_link_days

    last_hour = timezone.now() + datetime.timedelta(days=days - 1, hours=23)
    with time_machine.travel(last_hour, tick=False):
        client.post(path)

    minor_proposal.refresh_from_db()
    assert minor_proposal.status == MentorshipStatus.DECLINED


def test_changing_the_guardians_address_voids_the_link(minor_proposal, client):
    path = guardian_objection_path(minor_proposal)
    minor_proposal.mentee.guardian_email = "autre.parent@example.org"
    minor_proposal.mentee.save()

    response = client.post(path)

    assert response.status_code == 400
    minor_proposal.refresh_from_db()
    assert minor_proposal.status == MentorshipStatus.PROPOSED
