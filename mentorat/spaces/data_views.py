"""« Mes données »: what the programme holds on the person logged in (right of access), as a
page and as a JSON download. Only their own: the views take no id."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from mentorat.privacy.access import (
    as_display,
    json_response,
    person_data,
    person_data_accessed,
)
from mentorat.privacy.enums import DataAccessFormat


@never_cache
@login_required
def my_data(request):
    person_data_accessed(
        person=request.user, accessed_by=request.user, format=DataAccessFormat.PAGE
    )
    sections = as_display(person_data(user=request.user))
    return render(request, "privacy/my_data.html", {"sections": sections})


@never_cache
@login_required
def my_data_json(request):
    person_data_accessed(
        person=request.user, accessed_by=request.user, format=DataAccessFormat.JSON
    )
    return json_response(person_data(user=request.user), filename="mes-donnees.json")
