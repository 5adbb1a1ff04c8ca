"""Questionnaires in the admin: an answered version is read-only (from the admin and from
code), the actions create a new version and put it in service; responses are read-only and
only a coordinator may reopen one."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from evaluations.enums import Moment, ResponseStatus
from evaluations.models import FrozenQuestionnaireError, Question, Questionnaire, Response
from evaluations.services import response_open
from tests.matching.factories import MentorshipFactory
from tests.users.factories import UserFactory

pytestmark = pytest.mark.django_db

QUESTIONNAIRES = reverse("admin:evaluations_questionnaire_changelist")
RESPONSES = reverse("admin:evaluations_response_changelist")


@pytest.fixture
def current():
    return Questionnaire.objects.current().get()


@pytest.fixture
def answered(current):
    pair = MentorshipFactory(active=True)
    response_open(mentorship=pair, moment=Moment.START, author=pair.mentee.user)
    return current


def change_url(questionnaire):
    return reverse("admin:evaluations_questionnaire_change", args=[questionnaire.pk])


def test_a_version_without_answers_is_edited_in_the_admin(admin_client, current):
    draft = Questionnaire.objects.create(family="essai", title="Essai", version=1)
    page = admin_client.post(
        change_url(draft),
        {
            "family": "essai",
            "version": "1",
            "title": "Essai modifié",
            "introduction": "",
            "questions-TOTAL_FORMS": "0",
            "questions-INITIAL_FORMS": "0",
        },
    )
    assert page.status_code == 302
    draft.refresh_from_db()
    assert draft.title == "Essai modifié"


def test_a_frozen_version_is_read_only_in_the_admin(admin_client, answered):
    page = admin_client.get(change_url(answered))
    assert page.status_code == 200
    html = page.content.decode()
    assert "figée" in html and "créez une nouvelle version" in html
    assert 'name="title"' not in html
    assert "questions-0-text" not in html

    first = answered.questions.order_by("order").first()
    page = admin_client.post(
        change_url(answered),
        {
            "family": answered.family,
            "version": "9",
            "title": "Réécrit",
            "introduction": "",
            "questions-TOTAL_FORMS": "1",
            "questions-INITIAL_FORMS": "1",
            "questions-0-id": str(first.pk),
            "questions-0-questionnaire": str(answered.pk),
            "questions-0-order": "1",
            "questions-0-text": "Réécrit",
            "questions-0-kind": "scale",
            "questions-0-moment": "both",
            "questions-0-required": "on",
            "questions-0-choices": "[]",
        },
    )
    assert page.status_code == 403
    answered.refresh_from_db()
    first.refresh_from_db()
    assert (answered.title, answered.version) != ("Réécrit", 9)
    assert first.text != "Réécrit"
    # Nor deleted.
    delete = reverse("admin:evaluations_questionnaire_delete", args=[answered.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert Questionnaire.objects.filter(pk=answered.pk).exists()


def test_a_frozen_version_cannot_be_changed_from_code(answered):
    answered.title = "Réécrit"
    with pytest.raises(FrozenQuestionnaireError):
        answered.save()
    with pytest.raises(FrozenQuestionnaireError):
        Questionnaire.objects.filter(pk=answered.pk).update(title="Réécrit")
    with pytest.raises(FrozenQuestionnaireError):
        answered.delete()
    question = answered.questions.first()
    question.text = "Réécrit"
    with pytest.raises(FrozenQuestionnaireError):
        question.save()
    with pytest.raises(FrozenQuestionnaireError):
        answered.questions.update(text="Réécrit")
    with pytest.raises(FrozenQuestionnaireError):
        answered.questions.all().delete()
    with pytest.raises(FrozenQuestionnaireError):
        question.delete()
    answered.refresh_from_db()
    assert answered.title != "Réécrit"
    assert not Question.objects.filter(text="Réécrit").exists()


def test_new_version_then_make_current_actions(admin_client, answered):
    page = admin_client.post(
        QUESTIONNAIRES, {"action": "new_version", "_selected_action": [answered.pk]}, follow=True
    )
    assert f"Version {answered.version + 1} créée" in page.content.decode()
    copy = Questionnaire.objects.get(family=answered.family, version=answered.version + 1)
    assert not copy.is_current
    assert copy.questions.count() == answered.questions.count()
    # The copy is editable.
    assert 'name="title"' in admin_client.get(change_url(copy)).content.decode()

    page = admin_client.post(
        QUESTIONNAIRES, {"action": "make_current", "_selected_action": [copy.pk]}, follow=True
    )
    assert "est en service" in page.content.decode()
    assert Questionnaire.objects.current().get() == copy
    answered.refresh_from_db()
    assert not answered.is_current


@pytest.fixture
def submitted():
    pair = MentorshipFactory(active=True)
    response = response_open(mentorship=pair, moment=Moment.START, author=pair.mentee.user)
    Response.objects.filter(pk=response.pk).update(status=ResponseStatus.SUBMITTED)
    return response


def test_the_responses_list_and_its_read_only_answers(admin_client, submitted):
    page = admin_client.get(RESPONSES)
    assert page.status_code == 200
    assert submitted.mentorship.mentee.user.get_full_name() in page.content.decode()
    assert admin_client.get(RESPONSES, {"status__exact": "draft"}).status_code == 200
    change = reverse("admin:evaluations_response_change", args=[submitted.pk])
    page = admin_client.get(change)
    assert page.status_code == 200
    assert 'name="status"' not in page.content.decode()


def test_a_coordinator_reopens_a_response(admin_client, submitted):
    page = admin_client.post(
        RESPONSES, {"action": "reopen", "_selected_action": [submitted.pk]}, follow=True
    )
    assert "rouvert" in page.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == ResponseStatus.DRAFT
    assert submitted.reopened_at is not None


def test_a_referent_cannot_reopen(client, submitted):
    referent = UserFactory(staff=True)
    submitted.mentorship.mentor.referent = referent
    submitted.mentorship.mentor.save()
    referent.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="evaluations", codename__startswith="view"
        )
    )
    client.force_login(referent)
    page = client.get(RESPONSES)
    assert page.status_code == 200
    assert 'value="reopen"' not in page.content.decode()
    client.post(RESPONSES, {"action": "reopen", "_selected_action": [submitted.pk]})
    submitted.refresh_from_db()
    assert submitted.status == ResponseStatus.SUBMITTED


@pytest.mark.parametrize("size", [1, 12])
def test_the_responses_list_costs_the_same_queries_whatever_its_size(
    admin_client, django_assert_num_queries, current, size
):
    for _ in range(size):
        pair = MentorshipFactory(active=True)
        response_open(mentorship=pair, moment=Moment.START, author=pair.mentee.user)
    # session, user, the verified second-factor device, the questionnaires of the filter, the
    # filtered count (no total count), the page of responses with both members' users (no
    # date hierarchy: its dates scanned the whole table).
    with django_assert_num_queries(6):
        page = admin_client.get(RESPONSES)
    assert len(page.context["cl"].result_list) == size


def test_a_staff_member_who_is_not_a_coordinator_lists_only_the_pairs_they_follow(client):
    followed, other = MentorshipFactory(active=True), MentorshipFactory(active=True)
    for pair in (followed, other):
        response_open(mentorship=pair, moment=Moment.START, author=pair.mentee.user)
    staff = UserFactory(staff=True)
    followed.mentor.referent = staff
    followed.mentor.save()
    staff.user_permissions.add(Permission.objects.get(codename="view_response"))
    client.force_login(staff)

    listed = client.get(RESPONSES).context["cl"].result_list

    assert [response.mentorship for response in listed] == [followed]
