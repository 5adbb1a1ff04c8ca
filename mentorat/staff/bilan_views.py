"""The funders' report (« bilan »), as a page and as an XLSX file. Mounted in the admin site,
whose `admin_view` sends anybody not logged-in staff to the admin login; coordinators only,
like the dashboard: a national coordinator's report covers the whole programme (or the antenne
they choose) with the table « Par antenne », an antenne coordinator's is their antenne's
(dashboard_antennes)."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from users.scopes import StaffScope, staff_scope

from . import bilan_export
from .bilan import Period, active_during
from .bilan import bilan as bilan_figures
from .bilan_charts import charts
from .bilan_forms import PeriodForm, period_form
from .dashboard_antennes import (
    AntenneRow,
    antenne_choices,
    antenne_from,
    antenne_label,
    antennes_for,
    by_antenne,
    link_rows,
)


@dataclass(frozen=True)
class Request:
    """What the page and the file read from the request: who asks, the period (None when
    its dates are wrong) and the antenne."""

    scope: StaffScope
    antennes: list[AntenneRow]
    antenne: str
    form: PeriodForm
    period: Period | None

    @property
    def antenne_label(self) -> str:
        return antenne_label(self.antenne, self.antennes)

    def query(self) -> dict:
        query = self.period.as_query() if self.period else {}
        return {**query, "antenne": self.antenne} if self.antenne else query


def _read(request) -> Request:
    scope = staff_scope(request.user)
    if not scope.coordinator:
        raise PermissionDenied
    antennes = antennes_for(scope)
    form, period = period_form(request.GET)
    return Request(
        scope=scope,
        antennes=antennes,
        antenne=antenne_from(request.GET, scope=scope, antennes=antennes),
        form=form,
        period=period,
    )


def _figures(asked: Request) -> dict:
    data = bilan_figures(asked.period, antenne=asked.antenne)
    data["antenne_label"] = asked.antenne_label
    data["by_antenne"] = None
    if asked.scope.national:
        # Over the period: the pairs started in it, those active on one of its days; the
        # young people waiting today (the waiting list has no history).
        period = asked.period
        data["by_antenne"] = by_antenne(
            asked.antennes,
            start=period.start,
            end=period.end,
            active=active_during(period),
            today=timezone.localdate(),
        )
    return data


def _page(request, asked: Request, data):
    period = asked.period
    if data and data["by_antenne"]:
        link_rows(data["by_antenne"], reverse("admin:bilan"), period.as_query())
    context = {
        **admin.site.each_context(request),
        "title": (
            f"Bilan pour les financeurs : antenne {asked.antenne_label}"
            if asked.scope.antenne_scoped
            else "Bilan pour les financeurs"
        ),
        "form": asked.form,
        "period": period,
        # The choice is a national coordinator's: an antenne coordinator's is their antenne.
        "antenne_choices": antenne_choices(asked.antennes) if asked.scope.national else None,
        "antenne": asked.antenne,
        "antenne_label": asked.antenne_label,
        "figures": data,
        "charts": charts(data) if data else None,
        "xlsx_url": (
            reverse("admin:bilan_export") + "?" + urlencode(asked.query()) if period else None
        ),
    }
    return TemplateResponse(request, "admin/staff/bilan.html", context)


def bilan(request):
    asked = _read(request)
    return _page(request, asked, _figures(asked) if asked.period else None)


def bilan_xlsx(request):
    asked = _read(request)
    if asked.period is None:
        # A hand-edited link: the page says what is wrong with the dates.
        return _page(request, asked, None)
    response = HttpResponse(
        bilan_export.render(_figures(asked)), content_type=bilan_export.CONTENT_TYPE
    )
    filename = bilan_export.filename(
        asked.period, antenne=asked.antenne_label if asked.antenne else ""
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
