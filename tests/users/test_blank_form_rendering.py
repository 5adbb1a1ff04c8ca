"""The empty registration forms are rendered once per process and served from memory
(users/templatetags/blank_forms.py); the page stays the one a fresh rendering gives, with each
visitor's own CSRF token, and anything but the blank form is rendered as before."""

import datetime
import re

import pytest
import time_machine
from django.template import RequestContext, Template
from django.template.loader import render_to_string
from django.test import Client
from django.test.client import RequestFactory
from django.urls import reverse

from mentees.forms import MenteeRegistrationForm
from mentees.models import Mentee, PriorityPublic
from mentees.priority import ACTIVE_PUBLICS_VERSION_SECONDS
from mentorat.demo.factories import ReferralFactory
from mentors.forms import MentorRegistrationForm
from mentors.models import Mentor
from prescribers.links import referral_registration_path
from tests.mentees.form_data import mentee_form_data
from tests.mentors.form_data import mentor_form_data
from users.templatetags import blank_forms

pytestmark = pytest.mark.django_db

MENTEE_URL = reverse("mentees:register")
MENTOR_URL = reverse("mentors:register")
FORMS = pytest.mark.parametrize(
    ("url", "form_data"),
    [(MENTEE_URL, mentee_form_data), (MENTOR_URL, mentor_form_data)],
    ids=["young person", "mentor"],
)
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
MARKER = "<p>FROM-THE-STORE</p>"


@pytest.fixture(autouse=True)
def _empty_store():
    blank_forms.clear()
    yield
    blank_forms.clear()


def token_of(html: str) -> str:
    [token] = TOKEN.findall(html)
    return token


def without_token(html: str) -> str:
    return TOKEN.sub('name="csrfmiddlewaretoken" value=""', html)


def mark_the_store() -> None:
    """Replace every stored rendering with MARKER: a page showing it came from the store."""
    assert blank_forms._rendered, "nothing was stored"
    for key in blank_forms._rendered:
        blank_forms._rendered[key] = MARKER


@FORMS
def test_the_form_served_from_memory_is_the_page_a_fresh_rendering_gives(url, form_data):
    fresh = Client().get(url)
    assert len(blank_forms._rendered) == 1
    stored = Client().get(url)

    assert stored.status_code == fresh.status_code == 200
    assert without_token(stored.content.decode()) == without_token(fresh.content.decode())
    # The fields are all there, with their labels and the honeypot.
    html = stored.content.decode()
    for name in form_data():
        assert f'name="{name}"' in html
    assert 'id="div_id_website"' in html


@FORMS
def test_the_second_visitor_gets_the_stored_fields(url, form_data):
    Client().get(url)
    mark_the_store()

    html = Client().get(url).content.decode()

    assert MARKER in html
    # The token is the visitor's own, outside the stored part.
    assert html.index("csrfmiddlewaretoken") < html.index(MARKER)


@FORMS
def test_each_visitor_gets_a_token_of_their_own_that_works_on_post(url, form_data):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    token_first = token_of(first.get(url).content.decode())
    token_second = token_of(second.get(url).content.decode())
    assert first.cookies["csrftoken"].value != second.cookies["csrftoken"].value
    assert token_first != token_second

    # One visitor's token does not pass with another's cookie…
    stolen = second.post(url, {**form_data(), "csrfmiddlewaretoken": token_first})
    assert stolen.status_code == 403
    # …and each passes with its own.
    accepted = second.post(url, {**form_data(), "csrfmiddlewaretoken": token_second})
    assert accepted.status_code == 302
    model = Mentee if url == MENTEE_URL else Mentor
    assert model.objects.count() == 1


@FORMS
def test_a_rejected_form_is_rendered_with_its_errors_and_keeps_the_input(url, form_data):
    Client().get(url)
    mark_the_store()

    response = Client().post(url, form_data(postal_code="1", first_name="Zoé"))

    html = response.content.decode()
    assert response.status_code == 200
    assert MARKER not in html
    assert 'value="Zoé"' in html
    assert 'id="id_postal_code_error"' in html
    assert 'id="form-errors"' in html
    # The blank rendering stored before is still the only one.
    assert list(blank_forms._rendered.values()) == [MARKER]


@pytest.mark.parametrize("form_class", [MenteeRegistrationForm, MentorRegistrationForm])
def test_a_form_given_initial_values_is_rendered_and_never_stored(form_class):
    request = RequestFactory().get("/")
    template = "users/registration_form.html"
    render_to_string(template, {"form": form_class()}, request=request)
    mark_the_store()

    prefilled = form_class(initial={"first_name": "Inès", "postal_code": "93200"})
    html = render_to_string(template, {"form": prefilled}, request=request)

    assert not prefilled.is_blank()
    assert MARKER not in html
    assert 'value="Inès"' in html
    assert list(blank_forms._rendered.values()) == [MARKER]


def test_initial_values_set_after_building_the_form_make_it_not_blank():
    form = MenteeRegistrationForm()
    assert form.is_blank()

    form.initial["postal_code"] = "75011"

    assert not form.is_blank()


def publics_in(html: str) -> list[str]:
    return re.findall(r'name="priority_publics" value="(\w+)"', html)


def test_a_public_withdrawn_or_reworded_in_the_admin_changes_the_form_at_once(client):
    assert "PJJ" in publics_in(client.get(MENTEE_URL).content.decode())

    withdrawn = PriorityPublic.objects.get(code="PJJ")
    withdrawn.is_active = False
    withdrawn.save()
    reworded = PriorityPublic.objects.get(code="QPV")
    reworded.question = "J'habite dans un quartier prioritaire (QPV)"
    reworded.save()
    html = client.get(MENTEE_URL).content.decode()

    assert "PJJ" not in publics_in(html)
    assert "QPV" in publics_in(html)
    assert "J&#x27;habite dans un quartier prioritaire (QPV)" in html


def test_a_new_public_appears_at_once_and_a_deleted_one_goes(client):
    client.get(MENTEE_URL)
    added = PriorityPublic.objects.create(
        code="CITE_EDUC", label="Cité éducative", question="Je suis dans une cité éducative"
    )
    assert "CITE_EDUC" in publics_in(client.get(MENTEE_URL).content.decode())

    added.delete()

    assert "CITE_EDUC" not in publics_in(client.get(MENTEE_URL).content.decode())


def test_a_change_made_without_the_model_shows_within_the_versions_lifetime(client):
    start = datetime.datetime(2026, 3, 2, 9, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False):
        assert "PJJ" in publics_in(client.get(MENTEE_URL).content.decode())
        # A bulk update sends no signal: the version read a moment ago is still believed…
        PriorityPublic.objects.filter(code="PJJ").update(is_active=False)
        assert "PJJ" in publics_in(client.get(MENTEE_URL).content.decode())
    # …until it expires.
    later = start + datetime.timedelta(seconds=ACTIVE_PUBLICS_VERSION_SECONDS + 1)
    with time_machine.travel(later, tick=False):
        assert "PJJ" not in publics_in(client.get(MENTEE_URL).content.decode())


def test_the_stored_young_persons_form_costs_no_query(client, django_assert_num_queries):
    client.get(MENTEE_URL)

    with django_assert_num_queries(0):
        response = client.get(MENTEE_URL)

    assert "PJJ" in publics_in(response.content.decode())


def test_content_holding_a_csrf_token_is_never_stored():
    template = Template(
        "{% load blank_forms %}{% blankform form %}{% csrf_token %}{% endblankform %}"
    )
    request = RequestFactory().get("/")

    html = template.render(RequestContext(request, {"form": MentorRegistrationForm()}))

    assert "csrfmiddlewaretoken" in html
    assert blank_forms._rendered == {}


@FORMS
def test_the_page_has_one_token_the_visitors_own(url, form_data):
    client = Client()
    client.get(url)

    html = client.get(url).content.decode()

    assert len(TOKEN.findall(html)) == 1


def test_a_referrals_prefilled_form_is_never_the_stored_blank_one(client):
    referral = ReferralFactory(first_name="Inès", last_name="Moreau")
    client.get(MENTEE_URL)
    mark_the_store()

    html = client.get(referral_registration_path(referral)).content.decode()

    assert MARKER not in html
    assert 'value="Inès"' in html and 'value="Moreau"' in html
    assert list(blank_forms._rendered.values()) == [MARKER]
