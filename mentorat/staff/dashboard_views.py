"""The coordinator dashboard and the exports. Both are mounted in the admin site, whose
`admin_view` already sends anybody not logged-in staff to the admin login. The dashboard is
for coordinators: a national coordinator's covers the whole programme (filtered on an antenne
at will, with the table « Par antenne »), an antenne coordinator's is their antenne's, always
(dashboard_antennes). The exports are for coordinators (the same rows as their dashboard) and
référents (the pairs and sessions of their own mentors, see exports.py)."""

import dataclasses
import datetime
from urllib.parse import urlencode

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from matching.enums import MentorshipStatus
from mentees.models import PriorityPublic
from users.scopes import StaffScope, staff_scope

from . import exports
from .dashboard import Filters, figures, sessions_chart
from .dashboard_antennes import (
    AntenneRow,
    antenne_choices,
    antenne_from,
    antenne_label,
    antennes_for,
    by_antenne,
    link_rows,
)
from .dashboard_charts import compliance_chart, funnel_chart
from .referrals import referrals_by_prescriber


def _date(value: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value) if value else None
    except ValueError:
        # A mistyped date is ignored (and the field shows empty) rather than a 500.
        return None


def filters_from(
    request,
    *,
    scope: StaffScope,
    antennes: list[AntenneRow] | None = None,
    check_public: bool = True,
) -> Filters:
    """The page's filters. An unknown public (a hand-edited URL) is ignored like a mistyped
    date: checked here with a query, or by the caller (`check_public=False`) from the figures,
    which list every public anyway. The antenne is the scope's for an antenne coordinator,
    one of `antennes` (dashboard_antennes.antennes_for) for a national one, and every
    antenne for anybody else (a référent's exports are scoped to their mentors instead)."""
    department = (request.GET.get("departement") or "").strip().upper()[:3]
    public = request.GET.get("public") or ""
    if public and check_public and not PriorityPublic.objects.filter(code=public).exists():
        public = ""
    return Filters(
        since=_date(request.GET.get("du")),
        until=_date(request.GET.get("au")),
        department=department,
        public=public,
        antenne=antenne_from(request.GET, scope=scope, antennes=antennes or []),
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
    scope = staff_scope(request.user)
    if not scope.coordinator:
        raise PermissionDenied
    today = timezone.localdate()
    antennes = antennes_for(scope)
    filters = filters_from(request, scope=scope, antennes=antennes, check_public=False)
    data = figures(filters, today=today)
    publics = data["priority_publics"]["choices"]
    if filters.public and filters.public not in dict(publics):
        # A code that names no public: the figures again, for everybody (a rare URL).
        filters = dataclasses.replace(filters, public="")
        data = figures(filters, today=today)
    antenne = antenne_label(filters.antenne, antennes)
    context = {
        **admin.site.each_context(request),
        "title": (
            f"Tableau de bord de l'antenne {antenne}"
            if scope.antenne_scoped
            else "Tableau de bord du programme"
        ),
        "filters": filters,
        # The choice is a national coordinator's: an antenne coordinator's is their antenne.
        "antenne_choices": antenne_choices(antennes) if scope.national else None,
        "antenne": antenne,
        "by_antenne": (
            link_rows(
                by_antenne(
                    antennes,
                    start=today.replace(month=1, day=1),
                    end=today,
                    active=Q(status=MentorshipStatus.ACTIVE),
                    today=today,
                ),
                reverse("admin:dashboard"),
                {},
            )
            if scope.national
            else None
        ),
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
    scope = staff_scope(user)
    if scope.coordinator:
        # An antenne's id in the query string is checked against the antennes (a national
        # coordinator's: one query, only then); an antenne coordinator's antenne is theirs.
        wanted = (request.GET.get("antenne") or "").strip()
        antennes = antennes_for(scope) if scope.national and wanted.isdigit() else []
        filters = filters_from(request, scope=scope, antennes=antennes)
        dataset = exports.DATASETS[what](filters)
    elif scope.referent and what in exports.REFERENT_DATASETS:
        filters = filters_from(request, scope=scope)
        dataset = exports.REFERENT_DATASETS[what](filters, referent=user)
    else:
        raise PermissionDenied
    response = HttpResponse(exports.render(dataset, fmt), content_type=exports.FORMATS[fmt])
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="mentorat-{what}-{stamp}.{fmt}"'
    return response
