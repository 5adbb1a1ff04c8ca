"""A pair's progress from the start to the end questionnaire: the arithmetic on hand-computed
answers, the chart and its accessible table, the missing questionnaire said in words, and a
constant number of queries."""

import re
from html.parser import HTMLParser

import pytest
from dateutil.relativedelta import relativedelta
from django.urls import reverse
from django.utils import timezone

from evaluations.charts import change_text, progress_chart
from evaluations.enums import Moment
from evaluations.selectors import pair_progress
from matching.enums import ObjectiveStatus
from tests.matching.factories import MentorshipFactory
from tests.spaces.actors import actors_of
from tests.spaces.questionnaires import respond
from tests.spaces.test_home import days_ago, objective
from tests.users.staff import login_staff

pytestmark = pytest.mark.django_db

# Hand-computed: the seven scale questions of the default questionnaire.
START = (1, 2, 3, 4, 5, 3, 2)
END = (3, 2, 4, 3, 5, 5, 1)
CHANGES = ["+2", "=", "+1", "\u22121", "=", "+2", "\u22121"]


def closing_pair(**kwargs):
    start = timezone.localdate() - relativedelta(months=6, days=1)
    pair = MentorshipFactory(
        active=True,
        started_on=start,
        last_session_on=days_ago(3),
        last_qualifying_session_on=days_ago(3),
        **kwargs,
    )
    objective(pair, status=ObjectiveStatus.ACHIEVED)
    return pair


def complete_pair(**kwargs):
    pair = closing_pair(**kwargs)
    respond(pair, Moment.START, scales=START, text="Au début")
    respond(pair, Moment.END, scales=END, text="À la fin")
    return pair


def progress_url(pair) -> str:
    return reverse("evaluations:progress", args=[pair.pk])


class TableReader(HTMLParser):
    """The text of each row of the progress table (header cell first), as a reader hears it:
    what is aria-hidden is left out."""

    def __init__(self):
        super().__init__()
        self.rows, self.caption = [], ""
        self._in_table = self._in_caption = False
        self._cell = None
        self._hidden_depth = 0
        self._depth = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self._depth += 1
        if tag == "table" and attrs.get("id") == "tableau-progression":
            self._in_table = True
        if not self._in_table:
            return
        if attrs.get("aria-hidden") == "true" and not self._hidden_depth:
            self._hidden_depth = self._depth
        if tag == "caption":
            self._in_caption = True
        elif tag == "tr":
            self.rows.append([])
        elif tag in ("th", "td"):
            self._cell = ""

    def handle_endtag(self, tag):
        if self._hidden_depth == self._depth:
            self._hidden_depth = 0
        self._depth -= 1
        if not self._in_table:
            return
        if tag == "table":
            self._in_table = False
        elif tag == "caption":
            self._in_caption = False
        elif tag in ("th", "td"):
            self.rows[-1].append(" ".join(self._cell.split()))
            self._cell = None

    def handle_data(self, data):
        if self._hidden_depth:
            return
        if self._in_caption:
            self.caption += data
        elif self._cell is not None:
            self._cell += data


def read_table(html: str) -> TableReader:
    reader = TableReader()
    reader.feed(html)
    return reader


def test_the_progress_arithmetic_matches_the_hand_computed_answers():
    pair = complete_pair()

    progress = pair_progress(mentorship=pair, user=pair.mentor.user)

    assert progress.complete
    assert [scale.start for scale in progress.scales] == list(START)
    assert [scale.end for scale in progress.scales] == list(END)
    assert [scale.change for scale in progress.scales] == [2, 0, 1, -1, 0, 2, -1]
    assert [change_text(scale.change) for scale in progress.scales] == CHANGES


def test_the_open_and_choice_answers_come_side_by_side():
    pair = complete_pair()

    progress = pair_progress(mentorship=pair, user=pair.mentee.user)

    others = {question.text: (start, end) for question, start, end in progress.others}
    assert others["Sur quoi veux-tu avancer en priorité ?"] == ("Mon orientation", "")
    assert others["Qu'attends-tu de ton mentor ?"][0].startswith("Au début")
    assert others["Qu'est-ce qui a changé pour toi grâce au mentorat ?"][1].startswith("À la fin")
    assert others["Qu'as-tu obtenu pendant le mentorat ?"] == ("", "Un stage, Une alternance")


def test_the_accessible_table_holds_the_same_values_as_the_chart(client):
    pair = complete_pair()
    client.force_login(pair.mentor.user)

    response = client.get(progress_url(pair))

    assert response.status_code == 200
    table = read_table(response.content.decode())
    assert table.caption.startswith("Réponses de 1 à 5 au début et à la fin")
    assert table.rows[0] == ["Question", "Début", "Fin", "Évolution"]
    body = table.rows[1:]
    assert [row[1:3] for row in body] == [[str(s), str(e)] for s, e in zip(START, END, strict=True)]
    # The change in words: « + » and « − » alone are read badly by screen readers.
    assert [row[3] for row in body] == [
        "en hausse de 2",
        "sans changement",
        "en hausse de 1",
        "en baisse de 1",
        "sans changement",
        "en hausse de 2",
        "en baisse de 1",
    ]
    chart = response.context["chart"]
    assert [(row.start, row.end, row.change) for row in chart.rows] == [
        (s, e, e - s) for s, e in zip(START, END, strict=True)
    ]
    assert [row.values_text for row in chart.rows][:2] == ["1 → 3 (+2)", "2 → 2 (=)"]


def test_the_chart_is_an_accessible_svg_with_the_values_written(client):
    pair = complete_pair()
    client.force_login(pair.mentee.user)

    html = client.get(progress_url(pair)).content.decode()

    assert html.count("<h1") == 1
    assert "Ta progression" in html
    svg = re.search(r"<svg.*?</svg>", html, re.S).group(0)
    assert 'role="img"' in svg
    assert 'aria-labelledby="graphique-titre"' in svg
    assert '<title id="graphique-titre">' in svg
    assert '<desc id="graphique-description">' in svg
    assert "1 au début, 3 à la fin, en hausse de 2." in svg
    # Written values, not colour alone; and coordinates never take a French decimal comma.
    assert "4 → 3 (\u22121)" in svg
    assert not re.search(r'(x|y|cx|cy|x1|x2)="\d+,\d', svg)
    assert "style=" not in html.split("<main")[1]
    assert "<script" not in html


def test_the_open_answers_are_shown_start_against_end(client):
    pair = complete_pair()
    client.force_login(pair.mentor.user)

    html = client.get(progress_url(pair)).content.decode()

    assert "attends-tu de ton mentor ?" in html
    assert "Au début" in html
    assert "À la fin" in html
    assert "Question posée au début seulement" in html


def test_without_the_end_questionnaire_the_page_says_what_is_missing(client):
    pair = closing_pair()
    start = respond(pair, Moment.START, scales=START)
    client.force_login(pair.mentor.user)

    response = client.get(progress_url(pair))

    html = response.content.decode()
    assert "Le questionnaire de fin n'est pas encore envoyé" in html
    assert reverse("evaluations:response", args=[start.pk]) in html
    assert "<svg" not in html
    assert response.context["chart"] is None


def test_a_draft_end_questionnaire_does_not_count(client):
    pair = closing_pair()
    respond(pair, Moment.START, scales=START)
    respond(pair, Moment.END, scales=END, submit=False)
    client.force_login(pair.mentee.user)

    html = client.get(progress_url(pair)).content.decode()

    assert "Le questionnaire de fin n'est pas encore envoyé" in html


def test_without_any_questionnaire_the_page_says_both_are_missing(client):
    pair = closing_pair()
    client.force_login(pair.mentor.user)

    html = client.get(progress_url(pair)).content.decode()

    assert "Ni le questionnaire de début ni celui de fin" in html


def test_a_missing_answer_is_drawn_without_its_marker():
    pair = complete_pair()
    progress = pair_progress(mentorship=pair, user=pair.mentor.user)
    scales = list(progress.scales)
    scales[0] = type(scales[0])(scales[0].question, None, 4)

    chart = progress_chart(scales)

    assert chart.rows[0].values_text == "– → 4"
    assert chart.rows[0].start_x is None
    assert "pas de réponse au début" in chart.description


# session, user, the pair (both members joined), the submitted responses (visibility
# checked in the same query), their answers, the questionnaire's questions.
PROGRESS_QUERIES = 6
# A coordinator's session also loads the authenticator app that verified it (django-otp),
# and, as a member of the group (not a superuser), the pair's lookup reads their scope (groups
# and antenne, users.scopes), once for the responses' lookup too.
COORDINATOR_QUERIES = 1 + 1


@pytest.mark.parametrize("actor", ["mentee", "mentor", "coordinator"])
def test_the_progress_page_costs_a_constant_number_of_queries(
    client, django_assert_num_queries, actor
):
    pair = complete_pair()
    login_staff(client, actors_of(pair)[actor])

    with django_assert_num_queries(
        PROGRESS_QUERIES + COORDINATOR_QUERIES * (actor == "coordinator")
    ):
        assert client.get(progress_url(pair)).status_code == 200


def test_a_referent_adds_only_the_coordinators_group_checks(client, django_assert_num_queries):
    pair = complete_pair()
    client.force_login(actors_of(pair)["referent"])

    # A staff member who is not a superuser: the second factor's check (users/middleware.py:
    # does a coordinator's code apply?) asks whether they are in the coordinators' group, and
    # the pair's lookup reads their scope (users.scopes), once for the responses' lookup too.
    with django_assert_num_queries(PROGRESS_QUERIES + 2):
        assert client.get(progress_url(pair)).status_code == 200


# session, user, the response (visibility checked in the same query, the questionnaire and
# both members joined), its answers, the questions asked at its moment.
RESPONSE_QUERIES = 5


def test_reading_a_response_costs_a_constant_number_of_queries(client, django_assert_num_queries):
    pair = complete_pair()
    start = pair.responses.get(moment=Moment.START)
    client.force_login(pair.mentor.user)

    with django_assert_num_queries(RESPONSE_QUERIES):
        response = client.get(reverse("evaluations:response", args=[start.pk]))

    assert response.status_code == 200
