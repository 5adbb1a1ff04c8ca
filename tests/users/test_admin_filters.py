"""Every admin list filter speaks the interface's language in its URL: French parameters,
« oui »/« non » for the yes/no ones (users.admin_filters.YesNoFilter)."""

import re

import pytest
from django.contrib import admin
from django.test import RequestFactory

from tests.users.factories import UserFactory
from users.admin_filters import YesNoFilter

pytestmark = pytest.mark.django_db

SNAKE_CASE = re.compile(r"[a-z]+(_[a-z]+)*")
# Words of the parameters' former English half: none may come back.
ENGLISH = {"yes", "no", "none", "awaiting", "free", "capacity", "topic", "since", "until"}
# The project's own filters (a third-party admin, django-axes', keeps its own words).
PROJECT = {
    "users",
    "mentors",
    "mentees",
    "matching",
    "sessions",
    "evaluations",
    "reminders",
    "mentorat",
}


def list_filters():
    for model, model_admin in admin.site._registry.items():
        for list_filter in model_admin.list_filter:
            if (
                isinstance(list_filter, type)
                and issubclass(list_filter, admin.SimpleListFilter)
                and list_filter.__module__.split(".")[0] in PROJECT
            ):
                yield model, model_admin, list_filter


def test_every_list_filter_parameter_is_a_french_snake_case_word():
    filters = list(list_filters())
    assert filters
    for model, _, list_filter in filters:
        name = list_filter.parameter_name
        assert SNAKE_CASE.fullmatch(name), (model, name)
        assert not set(name.split("_")) & ENGLISH, (model, name)


def test_the_yes_no_filters_offer_oui_and_non():
    request = RequestFactory().get("/")
    request.user = UserFactory(staff=True, is_superuser=True)
    yes_no = [(model, a, f) for model, a, f in list_filters() if issubclass(f, YesNoFilter)]
    # The pairs ready to close, the young people awaiting a mentor, the mentors with a free
    # slot, the sessions to watch: one class for them all.
    assert len(yes_no) >= 4
    for model, model_admin, list_filter in yes_no:
        shown = list_filter(request, {}, model, model_admin).lookups(request, model_admin)
        assert [value for value, _ in shown] == ["oui", "non"], list_filter
        assert shown[0][1] == "Oui"
        assert shown[1][1].startswith("Non")


def test_no_filter_offers_an_english_value():
    request = RequestFactory().get("/")
    request.user = UserFactory(staff=True, is_superuser=True)
    for model, model_admin, list_filter in list_filters():
        shown = list_filter(request, {}, model, model_admin).lookups(request, model_admin) or []
        assert not {str(value) for value, _ in shown} & ENGLISH, list_filter
