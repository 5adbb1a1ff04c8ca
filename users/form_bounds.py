"""A model field's declared bounds, given to the number box that edits it.

Django builds the form field of a model's PositiveSmallIntegerField with `min_value=0` and
ignores the model field's own MinValueValidator / MaxValueValidator: the browser then offers
0 for a capacity of 1 to 3, and the server refuses it only after the POST. These helpers give
the form field (hence the `min`/`max` of its <input type="number">) the strictest bounds the
model field declares."""

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

NUMBER_FORM_FIELDS = (forms.IntegerField, forms.DecimalField, forms.FloatField)


def _limits(db_field: models.Field, kind: type) -> list:
    # `_validators` holds the ones the model declares; `validators` adds the database column's
    # integer range (up to 32767…), which is no rule of the programme.
    return [
        validator.limit_value() if callable(validator.limit_value) else validator.limit_value
        for validator in db_field._validators
        if isinstance(validator, kind)
    ]


def with_declared_bounds(db_field: models.Field, formfield: forms.Field | None):
    """The form field of `db_field`, bounded as the model field declares."""
    if not isinstance(formfield, NUMBER_FORM_FIELDS):
        return formfield
    if minimums := _limits(db_field, MinValueValidator):
        low = max(minimums)
        if formfield.min_value is None or low > formfield.min_value:
            formfield.min_value = low
            formfield.validators.append(MinValueValidator(low))
            formfield.widget.attrs["min"] = low
    if maximums := _limits(db_field, MaxValueValidator):
        high = min(maximums)
        if formfield.max_value is None or high < formfield.max_value:
            formfield.max_value = high
            formfield.validators.append(MaxValueValidator(high))
            formfield.widget.attrs["max"] = high
    return formfield


def bounded_formfield(db_field: models.Field, **kwargs):
    """A ModelForm's `formfield_callback`: Django's form field, with the declared bounds."""
    return with_declared_bounds(db_field, db_field.formfield(**kwargs))


class DeclaredBoundsAdmin:
    """A ModelAdmin mixin: the admin's number boxes state the model's bounds too."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        return with_declared_bounds(
            db_field, super().formfield_for_dbfield(db_field, request, **kwargs)
        )
