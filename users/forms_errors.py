"""A service's refusal shown on the form that collected its input."""

from collections.abc import Callable, Hashable

from django import forms

from .errors import ServiceError


def add_service_errors(
    form: forms.BaseForm,
    error: ServiceError,
    *,
    field_name: Callable[[Hashable], str] = str,
) -> None:
    """Each message beside the field it names, so that the error summary links to it; a
    message about no field, or a field the form does not have, is a form-wide error.
    `field_name` turns the service's key into the form's field name (a question's id into
    its field, say)."""
    for key, message in error.errors.items():
        name = None if key is None else field_name(key)
        form.add_error(name if name in form.fields else None, message)
