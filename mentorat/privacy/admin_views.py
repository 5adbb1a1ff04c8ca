"""The coordinators' RGPD pages in the admin: a person's data (page and JSON download) and
their anonymisation. Mounted by mentorat/admin_site.py, whose `admin_view` already sends
anybody but logged-in staff to the login; only coordinators go further, and only to the
people of their scope (the national coordination: everybody; an antenne's: its people)."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse

from users.models import User
from users.scopes import staff_scope

from .access import (
    json_response,
    person_data,
    person_data_accessed,
    person_rows,
    persons_within,
)
from .display import as_display
from .enums import DataAccessFormat
from .erasure import ErasureError, is_anonymised, person_anonymise
from .forms import AnonymiseForm
from .models import ErasureRecord


def _person(request, user_id: int) -> User:
    """A person within the coordinator's scope (`persons_within`): anybody else's page is a
    404, as for a row of another antenne anywhere in the back office."""
    scope = staff_scope(request.user)
    if not scope.coordinator:
        raise PermissionDenied
    return get_object_or_404(persons_within(scope), pk=user_id)


def person(request, user_id: int):
    person = _person(request, user_id)
    person_data_accessed(person=person, accessed_by=request.user, format=DataAccessFormat.PAGE)
    context = {
        **admin.site.each_context(request),
        "title": f"Données personnelles du compte n° {person.pk}",
        "person": person,
        "topics": as_display(person_rows(user=person), own=False),
        "anonymised": is_anonymised(person),
    }
    return TemplateResponse(request, "admin/privacy/person.html", context)


def person_export(request, user_id: int):
    person = _person(request, user_id)
    person_data_accessed(person=person, accessed_by=request.user, format=DataAccessFormat.JSON)
    return json_response(
        person_data(user=person), filename=f"donnees-personnelles-{person.pk}.json"
    )


def person_anonymise_view(request, user_id: int):
    person = _person(request, user_id)
    form = AnonymiseForm(request.POST or None)
    error = None
    if request.method == "POST" and form.is_valid():
        try:
            person_anonymise(
                user=person, performed_by=request.user, reason=form.cleaned_data["reason"]
            )
        except ErasureError as exc:
            error = str(exc)
        else:
            messages.success(request, f"Le compte n° {person.pk} a été anonymisé.")
            return redirect(reverse("admin:privacy_person", args=[person.pk]))
    context = {
        **admin.site.each_context(request),
        "title": f"Anonymiser le compte n° {person.pk}",
        "person": person,
        "form": form,
        "error": error,
        "records": ErasureRecord.objects.filter(person_id=person.pk),
    }
    return TemplateResponse(request, "admin/privacy/anonymise.html", context)
