from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import capfirst


class ChoiceListField(models.JSONField):
    """A list of values taken from a TextChoices, stored as JSON.

    JSON keeps the embedded SQLite default and PostgreSQL on the same schema; the admin filters
    on it with the portable ``__icontains`` lookup of JSONField.
    """

    def __init__(self, *args, item_choices=None, **kwargs):
        self.item_choices = item_choices
        kwargs.setdefault("default", list)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["item_choices"] = self.item_choices
        if kwargs.get("default") is list:
            del kwargs["default"]
        return name, path, args, kwargs

    def validate(self, value, model_instance):
        super().validate(value, model_instance)
        allowed = {choice for choice, _ in self.item_choices or []}
        if unknown := [item for item in value or [] if item not in allowed]:
            raise ValidationError(f"Valeur inconnue : {', '.join(map(str, unknown))}.")

    def formfield(self, **kwargs):
        defaults = {
            "choices": self.item_choices,
            "required": not self.blank,
            "label": capfirst(self.verbose_name),
            "help_text": self.help_text,
            "widget": forms.CheckboxSelectMultiple,
        }
        # What a ModelForm's Meta (labels, help_texts, widgets) or the admin asks for wins.
        passed = {
            key: value
            for key, value in kwargs.items()
            if key in {"label", "help_text", "widget", "required", "disabled", "initial"}
            and value is not None
        }
        error_messages = {
            "required": "Cochez au moins une case.",
            **kwargs.get("error_messages", {}),
        }
        return forms.TypedMultipleChoiceField(**(defaults | passed), error_messages=error_messages)
