"""The objectives' forms. They only collect what a member typed: the rules (a title, an
active pair) are the services' (`objective_create`, `objective_update`), whose French
messages are placed beside the fields by `users.forms_errors.add_service_errors`."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout
from django import forms

from users.programme import characters_words

from .enums import ObjectiveStatus
from .models import Objective

TITLE_REQUIRED = "Donnez un titre à l'objectif."


class ObjectiveForm(forms.Form):
    title = forms.CharField(
        label="Objectif",
        max_length=200,
        help_text="En une phrase, par exemple « Trouver une alternance dans le numérique ».",
        error_messages={
            "required": TITLE_REQUIRED,
            "max_length": f"Le titre est limité à {characters_words(200)}.",
        },
    )
    description = forms.CharField(
        label="Précisions (facultatif)",
        required=False,
        max_length=1000,
        help_text="À quoi verra-t-on que l'objectif est atteint ?",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": f"Les précisions sont limitées à {characters_words(1000)}."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        # The templates hold the <form> tag, the CSRF token and the submit button.
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(*self.fields)


class ObjectiveEditForm(ObjectiveForm):
    status = forms.ChoiceField(
        label="État",
        choices=ObjectiveStatus.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choisissez l'état de l'objectif.",
            "invalid_choice": "Choisissez l'un des états proposés.",
        },
    )

    @classmethod
    def for_objective(cls, objective: Objective, data=None) -> "ObjectiveEditForm":
        return cls(
            data,
            initial={
                "title": objective.title,
                "description": objective.description,
                "status": objective.status,
            },
        )


class ObjectiveStatusForm(forms.Form):
    """The quick change of an objective's state from the pair's page, where every objective
    has one: the prefix keeps their ids distinct."""

    QUICK = "status"

    status = forms.ChoiceField(
        label="État",
        choices=ObjectiveStatus.choices,
        widget=forms.Select(attrs={"class": "form-select"}),
        error_messages={"invalid_choice": "Choisissez l'un des états proposés."},
    )

    def __init__(self, data=None, *, objective: Objective):
        super().__init__(
            data, prefix=f"objectif-{objective.pk}", initial={"status": objective.status}
        )
        self.objective = objective
