"""« Mes données »: what the programme holds on the person logged in (right of access), as a
page and as a JSON download. Only their own: the views take no id."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from mentorat.privacy.access import (
    json_response,
    person_data,
    person_data_accessed,
    person_rows,
)
from mentorat.privacy.display import as_display
from mentorat.privacy.enums import DataAccessFormat


@never_cache
@login_required
def my_data(request):
    person_data_accessed(
        person=request.user, accessed_by=request.user, format=DataAccessFormat.PAGE
    )
    rows = person_rows(user=request.user)
    context = {
        "topics": as_display(rows, own=True),
        # Young people are addressed with « tu »; their registration says who they are.
        "young": bool(rows["Inscription comme jeune"]),
    }
    return render(request, "privacy/my_data.html", context)


@never_cache
@login_required
def my_data_json(request):
    person_data_accessed(
        person=request.user, accessed_by=request.user, format=DataAccessFormat.JSON
    )
    return json_response(person_data(user=request.user), filename="mes-donnees.json")
