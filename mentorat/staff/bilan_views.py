"""The funders' report (« bilan »), as a page and as an XLSX file. Mounted in the admin site,
whose `admin_view` sends anybody not logged-in staff to the admin login; coordinators only,
like the dashboard (the figures are the whole programme's)."""

from urllib.parse import urlencode

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse

from users.roles import is_coordinator

from . import bilan_export
from .bilan import bilan as bilan_figures
from .bilan_charts import charts
from .bilan_forms import period_form


def _page(request, form, period, data):
    context = {
        **admin.site.each_context(request),
        "title": "Bilan pour les financeurs",
        "form": form,
        "period": period,
        "figures": data,
        "charts": charts(data) if data else None,
        "xlsx_url": (
            reverse("admin:bilan_export") + "?" + urlencode(period.as_query()) if period else None
        ),
    }
    return TemplateResponse(request, "admin/staff/bilan.html", context)


def bilan(request):
    if not is_coordinator(request.user):
        raise PermissionDenied
    form, period = period_form(request.GET)
    return _page(request, form, period, bilan_figures(period) if period else None)


def bilan_xlsx(request):
    if not is_coordinator(request.user):
        raise PermissionDenied
    form, period = period_form(request.GET)
    if period is None:
        # A hand-edited link: the page says what is wrong with the dates.
        return _page(request, form, None, None)
    response = HttpResponse(
        bilan_export.render(bilan_figures(period)), content_type=bilan_export.CONTENT_TYPE
    )
    response["Content-Disposition"] = f'attachment; filename="{bilan_export.filename(period)}"'
    return response
