"""The young person's questionnaire page: a draft then a submission, required answers and bad
values refused beside their question in French, the lock once submitted (a second tab changes
nothing), who may open the page, and a constant number of queries."""

import pytest
from django.urls import reverse

from evaluations.enums import Moment, QuestionKind, ResponseStatus
from evaluations.models import Answer, Question, Response
from tests.matching.factories import MentorshipFactory
from tests.users.factories import UserFactory
from tests.users.staff import login_staff

pytestmark = pytest.mark.django_db

REQUIRED = "Réponds à cette question : elle est obligatoire."
SCALE_RANGE = "Choisis une réponse de 1 à 5."


@pytest.fixture
def pair():
    return MentorshipFactory(active=True, mentor__referent=UserFactory(staff=True))


def fill_url(pair, moment="debut"):
    return reverse("evaluations:fill", args=[pair.pk, moment])


def start_questions() -> list[Question]:
    from evaluations.models import Questionnaire

    return list(Questionnaire.objects.current().get().questions.for_moment(Moment.START))


def complete_post(questions, scale="4") -> dict:
    data = {}
    for question in questions:
        name = f"q{question.pk}"
        if question.kind == QuestionKind.SCALE:
            data[name] = scale
        elif question.kind == QuestionKind.SINGLE_CHOICE:
            data[name] = question.choices[0]
        elif question.kind == QuestionKind.MULTIPLE_CHOICE:
            data[name] = question.choices[:2]
        else:
            data[name] = "Découvrir des métiers."
    return data


def mentee_client(client, pair):
    client.force_login(pair.mentee.user)
    return client


def test_the_form_shows_every_kind_of_question_with_labelled_ends(client, pair):
    page = mentee_client(client, pair).get(fill_url(pair))
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count("<h1") == 1
    assert "1 – Pas du tout" in html and "5 – Tout à fait" in html
    assert "<legend" in html and 'type="radio"' in html
    assert "Enregistrer le brouillon" in html and "Envoyer" in html
    # Opening the page creates the draft the young person will fill.
    assert Response.objects.get(mentorship=pair).status == ResponseStatus.DRAFT


def test_a_draft_then_a_submission(client, pair):
    questions = start_questions()
    scale = next(q for q in questions if q.kind == QuestionKind.SCALE)
    client = mentee_client(client, pair)
    client.get(fill_url(pair))

    page = client.post(fill_url(pair), {f"q{scale.pk}": "2", "action": "brouillon"})
    assert page.status_code == 302
    response = Response.objects.get(mentorship=pair)
    assert response.status == ResponseStatus.DRAFT
    assert Answer.objects.get(response=response).scale_value == 2
    # The draft comes back ticked.
    page = client.get(fill_url(pair))
    assert page.context["form"][f"q{scale.pk}"].value() == "2"

    page = client.post(fill_url(pair), {**complete_post(questions), "action": "envoyer"})
    assert page.status_code == 302
    response.refresh_from_db()
    assert response.status == ResponseStatus.SUBMITTED
    assert response.answers.count() == len(questions)

    page = client.get(fill_url(pair))
    html = page.content.decode()
    assert "Envoyé le" in html and '<form method="post" novalidate' not in html
    assert "4 sur 5" in html


def test_missing_required_answers_are_listed_in_french_and_what_was_typed_is_kept(client, pair):
    questions = start_questions()
    text = next(q for q in questions if q.kind == QuestionKind.LONG_TEXT)
    client = mentee_client(client, pair)
    page = client.post(
        fill_url(pair), {f"q{text.pk}": "Trouver un stage de 3e.", "action": "envoyer"}
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert "Le questionnaire n'a pas été enregistré" in html
    required = [q for q in questions if q.required and q.pk != text.pk]
    assert html.count(REQUIRED) == 2 * len(required)  # the summary and beside each question
    for question in required:
        assert f'href="#id_q{question.pk}' in html
        assert f'id="id_q{question.pk}_error"' in html
    assert "Trouver un stage de 3e." in html
    assert Response.objects.get(mentorship=pair).status == ResponseStatus.DRAFT
    assert not Answer.objects.exists()


def test_a_draft_may_leave_required_answers_empty(client, pair):
    page = mentee_client(client, pair).post(fill_url(pair), {"action": "brouillon"})
    assert page.status_code == 302
    assert Response.objects.get(mentorship=pair).status == ResponseStatus.DRAFT


@pytest.mark.parametrize("value", ["7", "0", "abc"])
def test_an_out_of_range_scale_value_is_refused_with_the_reason(client, pair, value):
    questions = start_questions()
    scale = next(q for q in questions if q.kind == QuestionKind.SCALE)
    data = {**complete_post(questions), f"q{scale.pk}": value, "action": "envoyer"}
    page = mentee_client(client, pair).post(fill_url(pair), data)
    assert page.status_code == 200
    assert page.context["form"].errors == {f"q{scale.pk}": [SCALE_RANGE]}
    html = page.content.decode()
    assert f'aria-describedby="id_q{scale.pk}_error"' in html
    assert Response.objects.get(mentorship=pair).status == ResponseStatus.DRAFT
    assert not Answer.objects.exists()


def test_a_choice_that_is_not_offered_is_refused(client, pair):
    questions = start_questions()
    single = next(q for q in questions if q.kind == QuestionKind.SINGLE_CHOICE)
    data = {**complete_post(questions), f"q{single.pk}": "Devenir astronaute", "action": "envoyer"}
    page = mentee_client(client, pair).post(fill_url(pair), data)
    assert page.context["form"].errors == {f"q{single.pk}": ["Choisis une des réponses proposées."]}


def test_a_minors_questionnaire_follows_the_same_rules(client):
    pair = MentorshipFactory(active=True, mentee__minor=True)
    questions = start_questions()
    client = mentee_client(client, pair)
    page = client.post(fill_url(pair), {"action": "envoyer"})
    assert REQUIRED in page.content.decode()
    page = client.post(fill_url(pair), {**complete_post(questions), "action": "envoyer"})
    assert page.status_code == 302
    assert Response.objects.get(mentorship=pair).status == ResponseStatus.SUBMITTED


def test_a_second_tab_submitting_changes_nothing(client, pair):
    questions = start_questions()
    client = mentee_client(client, pair)
    # Both tabs load the form; the first one submits.
    client.get(fill_url(pair))
    client.get(fill_url(pair))
    client.post(fill_url(pair), {**complete_post(questions, scale="4"), "action": "envoyer"})
    submitted_at = Response.objects.get(mentorship=pair).submitted_at

    page = client.post(fill_url(pair), {**complete_post(questions, scale="1"), "action": "envoyer"})
    assert page.status_code == 200
    assert "déjà envoyé" in page.content.decode()
    response = Response.objects.get(mentorship=pair)
    assert Response.objects.filter(mentorship=pair).count() == 1
    assert response.submitted_at == submitted_at
    assert set(
        response.answers.filter(scale_value__isnull=False).values_list("scale_value", flat=True)
    ) == {4}


def test_the_end_questionnaire_before_the_end_says_it_is_not_open(client, pair):
    page = mentee_client(client, pair).get(fill_url(pair, "fin"))
    assert page.status_code == 200
    assert page.context["closed"] == "Le questionnaire de fin s'ouvre quand le mentorat se termine."
    assert "ouvre quand le mentorat se termine." in page.content.decode()
    assert not Response.objects.exists()


def test_the_end_questionnaire_of_a_closed_pair_asks_the_end_questions(client):
    pair = MentorshipFactory(closed=True)
    page = mentee_client(client, pair).get(fill_url(pair, "fin"))
    assert page.status_code == 200
    assert Response.objects.get(mentorship=pair).moment == Moment.END


def test_an_unknown_moment_is_a_404(client, pair):
    assert mentee_client(client, pair).get(fill_url(pair, "milieu")).status_code == 404


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("mentee", 200),
        ("mentor", 404),
        ("other_mentor", 404),
        ("other_mentee", 404),
        ("referent", 404),
        ("coordinator", 404),
        ("anonymous", "login"),
    ],
)
@pytest.mark.parametrize("method", ["get", "post"])
def test_only_the_young_person_may_open_the_page(client, pair, role, status, method):
    other = MentorshipFactory(active=True)
    users = {
        "mentee": pair.mentee.user,
        "mentor": pair.mentor.user,
        "other_mentor": other.mentor.user,
        "other_mentee": other.mentee.user,
        "referent": pair.mentor.referent,
        "coordinator": UserFactory(coordinator=True),
    }
    if role in users:
        login_staff(client, users[role])
    page = getattr(client, method)(fill_url(pair), {"action": "brouillon"})
    if status == "login":
        assert page.status_code == 302
        assert page.url.startswith(reverse("login"))
    elif method == "post" and status == 200:
        assert page.status_code == 302
    else:
        assert page.status_code == status
    if role != "mentee":
        # Nobody else even creates the draft.
        assert not Response.objects.exists()


def test_the_page_needs_a_constant_number_of_queries(client, pair, django_assert_max_num_queries):
    client = mentee_client(client, pair)
    client.get(fill_url(pair))
    questions = start_questions()
    # 1 session, 2 user, 3 the pair with both members (visible to the user); response_open:
    # 4 savepoint, 5 the pair again, 6 the existing response, 7 release; 8 the response with
    # its questionnaire, 9 the questions, 10 the answers. The same for a new draft, a filled
    # one or a submitted one, whatever the number of questions and answers.
    with django_assert_max_num_queries(10):
        client.get(fill_url(pair))
    client.post(fill_url(pair), {**complete_post(questions), "action": "brouillon"})
    with django_assert_max_num_queries(10):
        client.get(fill_url(pair))
    client.post(fill_url(pair), {**complete_post(questions), "action": "envoyer"})
    with django_assert_max_num_queries(10):
        page = client.get(fill_url(pair))
    assert "Envoyé le" in page.content.decode()
