"""Each member's closure questionnaire: seeded as two versioned families (« tu » for the young
person, « vous » for the mentor), opened only on a closed pair, one response per side, a
draft then a submission with French errors beside the fields, scoped to the member (404 for
anybody else), read by staff and its author but never by the other member."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from evaluations.enums import Moment, QuestionKind, ResponseStatus
from evaluations.models import CLOSURE_FAMILIES, Questionnaire, Response
from evaluations.selectors import responses_visible_to
from evaluations.services import QuestionnaireError, closure_response_open, response_save
from matching.enums import CloseReason, Side
from tests.matching.factories import MentorshipFactory
from tests.users.factories import UserFactory
from tests.users.staff import login_staff, make_coordinator, make_referent

pytestmark = pytest.mark.django_db

STARTED, ENDED = datetime.date(2025, 3, 3), datetime.date(2025, 10, 15)


@pytest.fixture
def referent():
    return make_referent(first_name="Rémi")


@pytest.fixture
def closed(referent):
    return MentorshipFactory(
        closed=True,
        started_on=STARTED,
        ended_on=ENDED,
        close_reason=CloseReason.MENTEE_WITHDREW,
        mentor__referent=referent,
    )


def complete(response, *, scale=5, choice="Oui", text="Les rencontres en entreprise.") -> dict:
    answers = {}
    for question in response.questionnaire.questions.all():
        if question.kind == QuestionKind.SCALE:
            answers[question.pk] = scale
        elif question.kind == QuestionKind.SINGLE_CHOICE:
            answers[question.pk] = choice
        elif question.required:
            answers[question.pk] = text
    return answers


def submit(pair, user, **values) -> Response:
    response = closure_response_open(mentorship=pair, author=user)
    return response_save(
        response=response, author=user, answers=complete(response, **values), submit=True
    )


# --- The seeded questionnaires


def test_two_families_are_seeded_the_young_persons_in_tu_the_mentors_in_vous():
    young = Questionnaire.objects.current(CLOSURE_FAMILIES[Side.MENTEE]).get()
    mentor = Questionnaire.objects.current(CLOSURE_FAMILIES[Side.MENTOR]).get()

    assert (young.version, mentor.version) == (1, 1)
    young_texts = [q.text for q in young.questions.all()]
    mentor_texts = [q.text for q in mentor.questions.all()]
    assert young_texts[0] == "Qu'est-ce qui s'est bien passé pendant ton mentorat ?"
    assert "Recommanderais-tu le programme à un ami ou une amie ?" in young_texts
    assert "Souhaitez-vous accompagner un autre jeune ?" in mentor_texts
    assert [q.kind for q in young.questions.all()] == [
        QuestionKind.LONG_TEXT,
        QuestionKind.SCALE,
        QuestionKind.SINGLE_CHOICE,
        QuestionKind.LONG_TEXT,
    ]
    again = young.questions.get(kind=QuestionKind.SINGLE_CHOICE)
    assert again.choices == ["Oui", "Non", "Peut-être"]
    assert not young.questions.get(order=4).required
    # The self-assessment's current version is untouched.
    assert Questionnaire.objects.current().get().family == "auto-evaluation"


# --- Opening and saving


def test_each_member_opens_their_own_response_on_their_sides_family(closed):
    mentor_response = closure_response_open(mentorship=closed, author=closed.mentor.user)
    mentee_response = closure_response_open(mentorship=closed, author=closed.mentee.user)

    assert (mentor_response.side, mentee_response.side) == (Side.MENTOR, Side.MENTEE)
    assert mentor_response.questionnaire.family == "cloture-mentor"
    assert mentee_response.questionnaire.family == "cloture-jeune"
    assert mentor_response.moment == mentee_response.moment == Moment.CLOSURE
    # Opening again is the same draft: one response per side.
    again = closure_response_open(mentorship=closed, author=closed.mentor.user)
    assert again.pk == mentor_response.pk
    assert Response.objects.filter(mentorship=closed, moment=Moment.CLOSURE).count() == 2


def test_the_database_keeps_one_closure_response_per_side(closed):
    first = closure_response_open(mentorship=closed, author=closed.mentee.user)

    with pytest.raises(IntegrityError), transaction.atomic():
        Response.objects.create(
            mentorship=closed,
            moment=Moment.CLOSURE,
            side=Side.MENTEE,
            questionnaire=first.questionnaire,
        )


def test_the_self_assessment_stays_one_per_moment_and_the_young_persons(closed):
    questionnaire = Questionnaire.objects.current().get()
    Response.objects.create(mentorship=closed, moment=Moment.END, questionnaire=questionnaire)

    with pytest.raises(IntegrityError), transaction.atomic():
        Response.objects.create(mentorship=closed, moment=Moment.END, questionnaire=questionnaire)
    with pytest.raises(IntegrityError), transaction.atomic():
        Response.objects.create(
            mentorship=closed,
            moment=Moment.START,
            side=Side.MENTOR,
            questionnaire=questionnaire,
        )


@pytest.mark.parametrize("traits", [{"active": True}, {}], ids=["active", "proposed"])
def test_only_a_closed_pair_opens_its_closure_questionnaire(traits):
    pair = MentorshipFactory(**traits)

    with pytest.raises(QuestionnaireError) as refused:
        closure_response_open(mentorship=pair, author=pair.mentee.user)

    assert refused.value.errors == {
        None: "Le questionnaire de clôture s'ouvre quand le mentorat se termine."
    }
    assert not Response.objects.filter(mentorship=pair).exists()


def test_nobody_outside_the_pair_opens_or_saves_it(closed, referent):
    with pytest.raises(QuestionnaireError):
        closure_response_open(mentorship=closed, author=referent)
    response = closure_response_open(mentorship=closed, author=closed.mentor.user)
    # Not even the other member: the mentor's questionnaire is the mentor's.
    with pytest.raises(QuestionnaireError):
        response_save(
            response=response, author=closed.mentee.user, answers=complete(response), submit=True
        )
    assert not response.answers.exists()


def test_a_draft_then_a_submission_locked_afterwards(closed):
    user = closed.mentor.user
    response = closure_response_open(mentorship=closed, author=user)
    scale = response.questionnaire.questions.get(kind=QuestionKind.SCALE)

    draft = response_save(response=response, author=user, answers={scale.pk: 4}, submit=False)
    assert draft.status == ResponseStatus.DRAFT
    assert draft.answers.get().scale_value == 4

    sent = response_save(response=response, author=user, answers=complete(response), submit=True)
    assert sent.status == ResponseStatus.SUBMITTED
    with pytest.raises(QuestionnaireError) as refused:
        response_save(response=response, author=user, answers=complete(response), submit=True)
    assert refused.value.errors == {None: "Ce questionnaire est déjà envoyé : il ne change plus."}


def test_the_mentor_is_told_vous_and_the_young_person_tu(closed):
    for user, required, scale in [
        (
            closed.mentor.user,
            "Répondez à cette question : elle est obligatoire.",
            "Choisissez une réponse de 1 à 5.",
        ),
        (
            closed.mentee.user,
            "Réponds à cette question : elle est obligatoire.",
            "Choisis une réponse de 1 à 5.",
        ),
    ]:
        response = closure_response_open(mentorship=closed, author=user)
        questions = {q.kind: q for q in response.questionnaire.questions.all()}
        with pytest.raises(QuestionnaireError) as refused:
            response_save(
                response=response,
                author=user,
                answers={questions[QuestionKind.SCALE].pk: 9},
                submit=True,
            )
        assert refused.value.errors[questions[QuestionKind.SCALE].pk] == scale
        assert refused.value.errors[questions[QuestionKind.SINGLE_CHOICE].pk] == required


# --- Who reads it


def test_staff_and_the_author_read_a_submitted_one_never_the_other_member(closed, referent):
    mentor_response = submit(closed, closed.mentor.user)
    mentee_draft = closure_response_open(mentorship=closed, author=closed.mentee.user)

    def visible(user):
        return set(responses_visible_to(user).values_list("pk", flat=True))

    assert visible(closed.mentor.user) == {mentor_response.pk}
    # The young person sees their own draft, not the mentor's closure answers.
    assert visible(closed.mentee.user) == {mentee_draft.pk}
    assert visible(referent) == {mentor_response.pk}
    assert visible(make_referent()) == set()


# --- The page


def page_url(pair):
    return reverse("evaluations:closure", args=[pair.pk])


def test_the_young_person_fills_it_from_the_page(client, closed):
    client.force_login(closed.mentee.user)
    page = client.get(page_url(closed))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Questionnaire de clôture du mentorat" in html
    assert "Ton mentorat avec" in html
    response = Response.objects.get(mentorship=closed, side=Side.MENTEE)
    data = {f"q{pk}": value for pk, value in complete(response).items()}

    sent = client.post(page_url(closed), {**data, "action": "envoyer"})

    assert sent.status_code == 302
    response.refresh_from_db()
    assert response.status == ResponseStatus.SUBMITTED
    shown = client.get(page_url(closed)).content.decode()
    assert "Les rencontres en entreprise." in shown
    assert "<form" not in shown.split("<main", 1)[-1]


def test_a_refused_submission_says_why_beside_the_field_and_keeps_the_input(client, closed):
    client.force_login(closed.mentor.user)
    client.get(page_url(closed))
    response = Response.objects.get(mentorship=closed, side=Side.MENTOR)
    first = response.questionnaire.questions.get(order=1)

    page = client.post(
        page_url(closed), {f"q{first.pk}": "Un bon binôme, assidu.", "action": "envoyer"}
    )

    assert page.status_code == 200
    html = page.content.decode()
    assert "Répondez à cette question : elle est obligatoire." in html
    assert "Corrigez ce qui est signalé ci-dessous : vos réponses sont conservées." in html
    assert "Un bon binôme, assidu." in html
    assert Response.objects.get(pk=response.pk).status == ResponseStatus.DRAFT


def test_before_the_pair_closes_the_page_says_when_it_opens(client):
    pair = MentorshipFactory(active=True)
    client.force_login(pair.mentor.user)

    page = client.get(page_url(pair))

    assert page.status_code == 200
    assert "quand le mentorat se termine" in page.content.decode()
    assert not Response.objects.filter(mentorship=pair).exists()


def test_anybody_but_the_two_members_finds_nothing(client, closed, referent):
    outsiders = [
        MentorshipFactory(closed=True).mentee.user,
        UserFactory(),
    ]
    for user in outsiders:
        client.force_login(user)
        assert client.get(page_url(closed)).status_code == 404
    for staff in (referent, make_coordinator()):
        login_staff(client, staff)
        assert client.get(page_url(closed)).status_code == 404
    assert not Response.objects.filter(mentorship=closed).exists()


def test_the_referent_reads_a_submitted_closure_questionnaire(client, closed, referent):
    response = submit(closed, closed.mentee.user)
    login_staff(client, referent)

    page = client.get(reverse("evaluations:response", args=[response.pk]))

    assert page.status_code == 200
    html = page.content.decode()
    assert "Questionnaire de clôture de" in html
    assert "Les rencontres en entreprise." in html
    response.refresh_from_db()
    assert response.read_by == referent
