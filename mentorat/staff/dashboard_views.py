"""The coordinator dashboard and its exports. Both are mounted in the admin site, whose
`admin_view` already sends anybody not logged-in staff to the admin login; here only
coordinators go further (a référent's figures and exports would need scoping)."""

import datetime

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from users.roles import is_coordinator

from . import exports
from .dashboard import Filters, figures, sessions_chart


def _date(value: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value) if value else None
    except ValueError:
        # A mistyped date is ignored (and the field shows empty) rather than a 500.
        return None


def filters_from(request) -> Filters:
    department = (request.GET.get("departement") or "").strip().upper()[:3]
    return Filters(
        since=_date(request.GET.get("since")),
        until=_date(request.GET.get("until")),
        department=department,
    )


def _require_coordinator(request):
    if not is_coordinator(request.user):
        raise PermissionDenied


def dashboard(request):
    _require_coordinator(request)
    filters = filters_from(request)
    data = figures(filters, today=timezone.localdate())
    query = filters.as_query()
    export_links = [
        {
            "label": label,
            "formats": [
                {
                    "fmt": fmt.upper(),
                    "url": reverse("admin:dashboard_export", args=[what, fmt])
                    + (f"?{request.GET.urlencode()}" if query else ""),
                }
                for fmt in exports.FORMATS
            ],
        }
        for what, label in [
            ("binomes", "Binômes"),
            ("seances", "Séances"),
            ("indicateurs", "Indicateurs du programme"),
        ]
    ]
    context = {
        **admin.site.each_context(request),
        "title": "Tableau de bord du programme",
        "filters": filters,
        "figures": data,
        "chart": sessions_chart(data["sessions"]),
        "export_links": export_links,
    }
    return TemplateResponse(request, "admin/staff/dashboard.html", context)


def export(request, what: str, fmt: str):
    _require_coordinator(request)
    if what not in exports.DATASETS or fmt not in exports.FORMATS:
        raise Http404
    dataset = exports.DATASETS[what](filters_from(request))
    response = HttpResponse(dataset.export(fmt), content_type=exports.FORMATS[fmt])
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="mentorat-{what}-{stamp}.{fmt}"'
    return response
