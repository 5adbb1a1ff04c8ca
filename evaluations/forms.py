"""The young person's questionnaire form, built from the questions of a version.

The form only reads what was typed or ticked: which answers are required, in range or among
the offered choices is decided by evaluations.services (`response_save`), whose errors the
view attaches back to these fields. One layer refuses, with one wording, and a draft may
leave required questions empty."""

from dataclasses import dataclass

from django import forms
from django.forms import BoundField

from .enums import QuestionKind
from .models import SCALE_MAX, SCALE_MIN, Answer, Question
from .services import LONG_TEXT_MAX, SHORT_TEXT_MAX


class _Unchecked:
    """Keeps the field's type conversion but not its choice check: a value outside the
    offered ones (a tampered « 7 ») must reach the service, which says why it is refused."""

    def validate(self, value):
        pass


class UncheckedChoiceField(_Unchecked, forms.ChoiceField):
    pass


class UncheckedMultipleChoiceField(_Unchecked, forms.MultipleChoiceField):
    pass


def question_field(question_id: int) -> str:
    """The form field of a question, from its id (the key of a QuestionnaireError)."""
    return f"q{question_id}"


def field_name(question: Question) -> str:
    return question_field(question.pk)


def scale_choices(question: Question) -> list[tuple[str, str]]:
    # The labelled ends are part of the choices' own labels, so they are visible on a phone
    # and read by screen readers with the value they describe.
    ends = {SCALE_MIN: question.min_label, SCALE_MAX: question.max_label}
    return [
        (str(value), f"{value} – {ends[value]}" if ends.get(value) else str(value))
        for value in range(SCALE_MIN, SCALE_MAX + 1)
    ]


def _field_for(question: Question) -> forms.Field:
    common = {"label": question.text, "help_text": question.help_text, "required": False}
    if question.kind == QuestionKind.SCALE:
        return UncheckedChoiceField(
            choices=scale_choices(question), widget=forms.RadioSelect, **common
        )
    if question.kind == QuestionKind.SINGLE_CHOICE:
        return UncheckedChoiceField(
            choices=[(choice, choice) for choice in question.choices],
            widget=forms.RadioSelect,
            **common,
        )
    if question.kind == QuestionKind.MULTIPLE_CHOICE:
        return UncheckedMultipleChoiceField(
            choices=[(choice, choice) for choice in question.choices],
            widget=forms.CheckboxSelectMultiple,
            **common,
        )
    if question.kind == QuestionKind.SHORT_TEXT:
        # No max_length on the field: the service counts and says how much is too much.
        widget = forms.TextInput(attrs={"maxlength": SHORT_TEXT_MAX})
    else:
        widget = forms.Textarea(attrs={"rows": 4, "maxlength": LONG_TEXT_MAX})
    return forms.CharField(widget=widget, strip=True, **common)


def initial_value(question: Question, answer: Answer):
    if question.kind == QuestionKind.SCALE:
        return str(answer.scale_value) if answer.scale_value is not None else None
    if question.kind == QuestionKind.SINGLE_CHOICE:
        return answer.choice_values[0] if answer.choice_values else None
    if question.kind == QuestionKind.MULTIPLE_CHOICE:
        return list(answer.choice_values)
    return answer.text_value


@dataclass(frozen=True)
class QuestionRow:
    """What the template needs to render one question accessibly."""

    question: Question
    field: BoundField
    help_id: str
    error_id: str

    @property
    def is_group(self) -> bool:
        # Radios and checkboxes are a fieldset whose legend is the question.
        return self.question.kind in (
            QuestionKind.SCALE,
            QuestionKind.SINGLE_CHOICE,
            QuestionKind.MULTIPLE_CHOICE,
        )

    @property
    def describedby(self) -> str:
        ids = []
        if self.question.help_text:
            ids.append(self.help_id)
        if self.field.errors:
            ids.append(self.error_id)
        return " ".join(ids)


class QuestionnaireForm(forms.Form):
    def __init__(self, *args, questions: list[Question], answers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        by_question = {answer.question_id: answer for answer in answers}
        for question in questions:
            name = field_name(question)
            self.fields[name] = _field_for(question)
            if question.pk in by_question:
                self.initial[name] = initial_value(question, by_question[question.pk])

    def answers(self) -> dict[int, object]:
        """The service's input: {question id: value} from the cleaned data."""
        return {
            question.pk: self.cleaned_data.get(field_name(question)) for question in self.questions
        }

    def rows(self) -> list[QuestionRow]:
        """Called once errors are attached, so that each input points at its message."""
        rows = []
        for question in self.questions:
            bound = self[field_name(question)]
            row = QuestionRow(
                question=question,
                field=bound,
                help_id=f"{bound.auto_id}_help",
                error_id=f"{bound.auto_id}_error",
            )
            widget = bound.field.widget
            if row.is_group:
                # The group (fieldset) carries the description; each box only its style.
                widget.attrs["class"] = "form-check-input"
            else:
                widget.attrs["class"] = "form-control" + (" is-invalid" if bound.errors else "")
                if row.describedby:
                    widget.attrs["aria-describedby"] = row.describedby
                if bound.errors:
                    widget.attrs["aria-invalid"] = "true"
            rows.append(row)
        return rows
