from django import forms

from evaluations.forms import question_field
from evaluations.services import QuestionnaireError
from matching.services import MatchingError, PairRuleError
from mentees.errors import MenteeError
from mentors.errors import MentorError
from users.errors import ServiceError
from users.forms_errors import add_service_errors
from users.services import RegistrationError


class ExampleForm(forms.Form):
    title = forms.CharField(required=False)
    q7 = forms.CharField(required=False)


def bound_form() -> ExampleForm:
    form = ExampleForm({"title": "x", "q7": ""})
    assert form.is_valid()
    return form


def test_every_layers_refusal_is_a_service_error():
    for error_class in (
        RegistrationError,
        MentorError,
        MenteeError,
        PairRuleError,
        MatchingError,
        QuestionnaireError,
    ):
        assert issubclass(error_class, ServiceError), error_class


def test_a_plain_message_is_about_the_step_as_a_whole():
    error = RegistrationError("Indiquez le motif du refus.")

    assert error.errors == {None: "Indiquez le motif du refus."}
    assert str(error) == "Indiquez le motif du refus."


def test_a_matching_refusal_keeps_its_reasons_and_its_sentence():
    error = MatchingError(["le mentor n'a plus de place"])

    assert error.reasons == ["le mentor n'a plus de place"]
    assert error.errors == {None: "Binôme impossible : le mentor n'a plus de place."}


def test_each_message_goes_beside_the_field_it_names():
    form = bound_form()

    add_service_errors(form, PairRuleError({"title": "Donnez un titre."}))

    assert form.errors == {"title": ["Donnez un titre."]}


def test_a_message_about_no_field_or_an_unknown_field_is_form_wide():
    form = bound_form()

    add_service_errors(form, MentorError({None: "Refusé.", "missing": "Ailleurs."}))

    assert form.non_field_errors() == ["Refusé.", "Ailleurs."]
    assert "title" not in form.errors


def test_a_key_is_turned_into_its_field_name():
    form = bound_form()

    add_service_errors(
        form, QuestionnaireError({7: "Répondez à cette question."}), field_name=question_field
    )

    assert form.errors == {"q7": ["Répondez à cette question."]}
