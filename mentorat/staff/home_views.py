"""The coordinator's staff home in the admin (mounted by mentorat/admin_site.py, whose
`admin_view` sends anybody not logged-in staff to the admin login): « Que faire maintenant »,
for coordinators only, like the dashboard; an antenne coordinator's is their antenne's."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.utils import timezone

from users.roles import is_referent
from users.scopes import staff_scope

from .dashboard_antennes import antennes_for
from .home import FIGURES_CACHE_SECONDS, cached_figures, task_groups


def staff_home(request):
    scope = staff_scope(request.user)
    if not scope.coordinator:
        raise PermissionDenied
    user = request.user
    today = timezone.localdate()
    figures, counted_at = cached_figures(today=today, scope=scope)
    # An antenne coordinator's page names their antenne (one query); a national one's reads
    # no antenne.
    antenne = "".join(row.name for row in antennes_for(scope)) if scope.antenne_scoped else ""
    context = {
        **admin.site.each_context(request),
        "title": (
            f"Accueil de la coordination : antenne {antenne}"
            if antenne
            else "Accueil de la coordination"
        ),
        "antenne": antenne,
        "groups": task_groups(today=today, n=figures, scope=scope),
        "counted_at": counted_at,
        "refresh_seconds": FIGURES_CACHE_SECONDS,
        # The navigation does not ask it of a superuser (it would cost every admin page a
        # query): asked here, once.
        "also_referent": is_referent(user) if user.is_superuser else scope.referent,
    }
    return TemplateResponse(request, "admin/staff/staff_home.html", context)
