"""Every number box tells the browser the bounds its field enforces: a phone's keypad, the
browser's own check and the screen reader announce the same range the server accepts (the
mentor's capacity said « de 1 à 3 » but allowed 0 in the browser).

The forms are found, not listed: every form class defined in the project's modules, and every
form (and inline form) of every ModelAdmin, so a new form is checked without being named."""

import contextlib
import importlib
import pkgutil
import re
from decimal import Decimal

import pytest
from django import forms
from django.contrib import admin
from django.core.validators import MaxValueValidator, MinValueValidator
from django.test import RequestFactory

from evaluations.forms import QuestionnaireForm
from evaluations.models import Question
from tests.users.factories import UserFactory

pytestmark = pytest.mark.django_db

PACKAGES = ["users", "mentors", "mentees", "matching", "sessions", "evaluations", "reminders"]
PACKAGES += ["mentorat"]
# Not runtime code that defines forms: migrations, settings, the WSGI/ASGI entry points.
NOT_SCANNED = {"migrations", "settings", "wsgi", "asgi", "manage"}
NUMBER_FIELDS = (forms.IntegerField, forms.DecimalField, forms.FloatField)


def _project_modules() -> None:
    for package in PACKAGES:
        module = importlib.import_module(package)
        for info in pkgutil.walk_packages(module.__path__, f"{package}."):
            if not NOT_SCANNED & set(info.name.split(".")):
                importlib.import_module(info.name)


def _subclasses(cls):
    for subclass in cls.__subclasses__():
        yield subclass
        yield from _subclasses(subclass)


def _fields_of(form_class) -> dict[str, forms.Field]:
    """The fields as the page builds them; a form whose fields need arguments it alone knows
    (the pair, the device…) declares them in `base_fields`."""
    try:
        return dict(form_class().fields)
    except (TypeError, ValueError):
        return dict(form_class.base_fields)


def _project_forms() -> dict[str, dict[str, forms.Field]]:
    _project_modules()
    found = {}
    for form_class in _subclasses(forms.BaseForm):
        if form_class.__module__.split(".")[0] not in PACKAGES:
            continue
        meta = getattr(form_class, "_meta", None)
        if meta is not None and getattr(meta, "model", None) is None:
            continue  # an abstract ModelForm: its subclasses are checked
        found[f"{form_class.__module__}.{form_class.__qualname__}"] = (
            form_class,
            _fields_of(form_class),
        )
    # The questionnaire's fields come from its questions: every question of the default one.
    found["evaluations.forms.QuestionnaireForm"] = (
        QuestionnaireForm,
        QuestionnaireForm(questions=list(Question.objects.all())).fields,
    )
    return found


def _admin_forms() -> dict[str, tuple]:
    request = RequestFactory().get("/admin/")
    request.user = UserFactory(superuser=True)
    found = {}
    for model, model_admin in admin.site._registry.items():
        name = f"admin {model._meta.label}"
        form_class = model_admin.get_form(request)
        found[name] = (form_class, form_class().fields)
        for inline in model_admin.get_inline_instances(request):
            inline_form = inline.get_formset(request).form
            found[f"{name} inline {inline.model._meta.label}"] = (inline_form, inline_form().fields)
    return found


def _limit(validator):
    value = validator.limit_value
    return value() if callable(value) else value


def expected_bounds(form_class, name: str, field: forms.Field):
    """The strictest bounds of the field's validators and, in a ModelForm, of the validators
    the model field declares (not the database's integer range, which no page states)."""
    validators = list(field.validators)
    model = getattr(getattr(form_class, "_meta", None), "model", None)
    if model is not None:
        with contextlib.suppress(LookupError):  # a form field of no model field
            validators += model._meta.get_field(name)._validators
    minimums = [_limit(v) for v in validators if isinstance(v, MinValueValidator)]
    maximums = [_limit(v) for v in validators if isinstance(v, MaxValueValidator)]
    return (max(minimums) if minimums else None, min(maximums) if maximums else None)


def rendered_bounds(name: str, field: forms.Field):
    # As a BoundField renders it: the widget's own attributes, set when the field was built.
    html = field.widget.render(name, None)

    def attribute(attr):
        match = re.search(rf'\s{attr}="([^"]*)"', html)
        return Decimal(match.group(1)) if match else None

    return attribute("min"), attribute("max")


def _number_fields():
    for label, (form_class, fields) in {**_project_forms(), **_admin_forms()}.items():
        for name, field in fields.items():
            if isinstance(field, NUMBER_FIELDS):
                yield f"{label}.{name}", form_class, name, field


def test_every_number_input_states_the_bounds_its_field_enforces():
    checked, wrong = [], []
    for label, form_class, name, field in _number_fields():
        checked.append(label)
        expected = tuple(
            None if bound is None else Decimal(str(bound))
            for bound in expected_bounds(form_class, name, field)
        )
        shown = rendered_bounds(name, field)
        if shown != expected:
            wrong.append(f"{label}: shows min/max {shown}, enforces {expected}")

    # The walk reaches the public, member and admin forms.
    assert "mentors.forms.MentorRegistrationForm.capacity" in checked
    assert "sessions.forms.MeetingForm.duration_minutes" in checked
    assert "admin mentors.Mentor.capacity" in checked
    assert wrong == [], "\n".join(wrong)


def test_the_mentor_form_offers_a_capacity_of_1_to_3():
    from mentors.forms import MentorRegistrationForm

    html = str(MentorRegistrationForm()["capacity"])

    assert 'min="1"' in html
    assert 'max="3"' in html
