"""The coordinator dashboard and the exports. Both are mounted in the admin site, whose
`admin_view` already sends anybody not logged-in staff to the admin login. The dashboard is
for coordinators; the exports for coordinators (the whole programme) and référents (the pairs
and sessions of their own mentors, see exports.py)."""

import dataclasses
import datetime
from urllib.parse import urlencode

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from mentees.models import PriorityPublic
from users.roles import is_coordinator, is_referent

from . import exports
from .dashboard import Filters, figures, sessions_chart
from .dashboard_charts import compliance_chart, funnel_chart
from .referrals import referrals_by_prescriber


def _date(value: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value) if value else None
    except ValueError:
        # A mistyped date is ignored (and the field shows empty) rather than a 500.
        return None


def filters_from(request, *, check_public: bool = True) -> Filters:
    """The page's filters. An unknown public (a hand-edited URL) is ignored like a mistyped
    date: checked here with a query, or by the caller (`check_public=False`) from the figures,
    which list every public anyway."""
    department = (request.GET.get("departement") or "").strip().upper()[:3]
    public = request.GET.get("public") or ""
    if public and check_public and not PriorityPublic.objects.filter(code=public).exists():
        public = ""
    return Filters(
        since=_date(request.GET.get("du")),
        until=_date(request.GET.get("au")),
        department=department,
        public=public,
    )


def export_links(filters: Filters, datasets) -> list[dict]:
    """Each dataset in each format, with the filters the page is showing."""
    query = urlencode(filters.as_query())
    return [
        {
            "label": exports.DATASET_LABELS[what],
            "formats": [
                {
                    "fmt": fmt.upper(),
                    "url": reverse("admin:dashboard_export", args=[what, fmt])
                    + (f"?{query}" if query else ""),
                }
                for fmt in exports.FORMATS
            ],
        }
        for what in datasets
    ]


def dashboard(request):
    if not is_coordinator(request.user):
        raise PermissionDenied
    filters = filters_from(request, check_public=False)
    data = figures(filters, today=timezone.localdate())
    publics = data["priority_publics"]["choices"]
    if filters.public and filters.public not in dict(publics):
        # A code that names no public: the figures again, for everybody (a rare URL).
        filters = dataclasses.replace(filters, public="")
        data = figures(filters, today=timezone.localdate())
    context = {
        **admin.site.each_context(request),
        "title": "Tableau de bord du programme",
        "filters": filters,
        "publics": publics,
        "figures": data,
        "chart": sessions_chart(data["sessions"]),
        "funnel_chart": funnel_chart(data["funnel"]),
        "compliance_chart": compliance_chart(data["compliance"]),
        "export_links": export_links(filters, exports.DATASETS),
        "referrals": referrals_by_prescriber(filters),
    }
    return TemplateResponse(request, "admin/staff/dashboard.html", context)


def export(request, what: str, fmt: str):
    if what not in exports.DATASETS or fmt not in exports.FORMATS:
        raise Http404
    user = request.user
    filters = filters_from(request)
    if is_coordinator(user):
        dataset = exports.DATASETS[what](filters)
    elif is_referent(user) and what in exports.REFERENT_DATASETS:
        dataset = exports.REFERENT_DATASETS[what](filters, referent=user)
    else:
        raise PermissionDenied
    response = HttpResponse(exports.render(dataset, fmt), content_type=exports.FORMATS[fmt])
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="mentorat-{what}-{stamp}.{fmt}"'
    return response
