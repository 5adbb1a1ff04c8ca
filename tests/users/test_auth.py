import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from tests.mentees.factories import MenteeFactory
from tests.mentors.factories import MentorFactory
from tests.users.factories import DEFAULT_PASSWORD, UserFactory
from tests.users.password_reset import ask_password_link

pytestmark = pytest.mark.django_db


def test_people_log_in_with_their_email_whatever_its_case(client):
    UserFactory(email="lea.martin@example.org")
    response = client.post(
        reverse("login"), {"username": "Lea.Martin@Example.org", "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"]


def test_a_wrong_password_is_refused_in_french(client):
    UserFactory(email="lea.martin@example.org")
    response = client.post(
        reverse("login"), {"username": "lea.martin@example.org", "password": "mauvais-mot-de-passe"}
    )
    assert response.status_code == 200
    assert "Adresse e-mail ou mot de passe incorrect." in response.content.decode()


def test_the_session_key_changes_at_login(client):
    UserFactory(email="lea.martin@example.org")
    client.get(reverse("login"))
    session = client.session
    session["visited"] = True
    session.save()
    before = client.session.session_key
    client.post(
        reverse("login"), {"username": "lea.martin@example.org", "password": DEFAULT_PASSWORD}
    )
    assert client.session.session_key != before


def test_the_session_cookie_changes_at_login_and_is_out_of_reach_of_scripts(client):
    UserFactory(email="lea.martin@example.org")
    client.get(reverse("login"))
    session = client.session
    session["visited"] = True
    session.save()
    before = client.cookies["sessionid"].value

    client.post(
        reverse("login"), {"username": "lea.martin@example.org", "password": DEFAULT_PASSWORD}
    )

    cookie = client.cookies["sessionid"]
    assert cookie.value and cookie.value != before
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert client.cookies["csrftoken"]["samesite"] == "Lax"


def test_logout_is_a_post(client):
    client.force_login(UserFactory())
    assert client.get(reverse("logout")).status_code == 405
    assert client.post(reverse("logout")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_a_registrant_without_a_password_can_ask_for_a_link(client):
    UserFactory(email="sans.mdp@example.org", without_password=True)

    response = ask_password_link(client, "sans.mdp@example.org")

    assert response.status_code == 302
    [message] = mail.outbox
    assert message.to == ["sans.mdp@example.org"]
    assert "/compte/mot-de-passe/choisir/" in message.body


def test_an_unknown_address_gets_the_same_answer_and_no_email(client):
    response = ask_password_link(client, "inconnu@example.org")
    assert response.status_code == 302
    assert response.url == reverse("password_reset_done")
    assert mail.outbox == []


def test_passwords_need_at_least_12_characters(client):
    user = UserFactory(email="lea.martin@example.org", without_password=True)
    ask_password_link(client, user.email)
    link = mail.outbox[0].body.split("http://testserver")[1].split()[0]
    form_url = client.get(link).url

    short = client.post(form_url, {"new_password1": "Court-1234", "new_password2": "Court-1234"})
    assert "au moins 12 caractères" in short.content.decode()

    good = "une-phrase-de-passe-solide"
    response = client.post(form_url, {"new_password1": good, "new_password2": good})
    assert response.status_code == 302
    assert get_user_model().objects.get(pk=user.pk).check_password(good)


def test_the_password_link_says_tu_to_a_young_person_and_vous_to_a_mentor(client):
    mentee = MenteeFactory(user__email="yanis@example.org")
    mentor = MentorFactory(user__email="claire@example.org")

    for user in (mentee.user, mentor.user):
        ask_password_link(client, user.email)

    to_mentee, to_mentor = mail.outbox
    assert "Tu as demandé" in to_mentee.body
    assert "vous" not in to_mentee.body.lower()
    assert "Vous avez demandé" in to_mentor.body
