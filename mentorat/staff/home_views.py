"""The coordinator's staff home in the admin (mounted by mentorat/admin_site.py, whose
`admin_view` sends anybody not logged-in staff to the admin login): « Que faire maintenant »,
for coordinators only, like the dashboard."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.utils import timezone

from users.roles import is_referent

from .home import FIGURES_CACHE_SECONDS, cached_figures, task_groups
from .navigation import staff_roles


def staff_home(request):
    roles = staff_roles(request)
    if not roles.coordinator:
        raise PermissionDenied
    user = request.user
    today = timezone.localdate()
    figures, counted_at = cached_figures(today=today)
    context = {
        **admin.site.each_context(request),
        "title": "Accueil de la coordination",
        "groups": task_groups(today=today, n=figures),
        "counted_at": counted_at,
        "refresh_seconds": FIGURES_CACHE_SECONDS,
        # The navigation does not ask it of a superuser (it would cost every admin page a
        # query): asked here, once.
        "also_referent": is_referent(user) if user.is_superuser else roles.referent,
    }
    return TemplateResponse(request, "admin/staff/staff_home.html", context)
