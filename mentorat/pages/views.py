from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from users.roles import is_coordinator, is_referent


def home(request):
    return render(request, "pages/home.html")


@login_required
def landing(request):
    """Where a login leads when no page was asked for: each role to its own home. Staff
    reach their page once their second factor is given (the admin asks for it)."""
    user = request.user
    if is_coordinator(user):
        return redirect("admin:staff_home")
    if is_referent(user):
        return redirect("admin:referent_home")
    return redirect("spaces:home")


def privacy(request):
    return render(
        request,
        "pages/privacy.html",
        {
            "retention_years": settings.RETENTION_YEARS_AFTER_LAST_PAIR,
            "rejection_retention_months": settings.RETENTION_MONTHS_AFTER_REJECTION,
            "privacy_notice_version": settings.PRIVACY_NOTICE_VERSION,
        },
    )


def health(request):
    # Health check for the load balancer and docker-compose, and the benchmark's baseline: the
    # cost of a bare Django view rendering a template, with no database query.
    return render(request, "pages/health.html")


@require_GET
@cache_control(max_age=86400)
def favicon(request):
    # Browsers ask for /favicon.ico whatever the pages' <link rel="icon"> says; the icon is the
    # SVG among the static files (not a permanent redirect: its hashed name changes with it).
    return redirect(static("favicon.svg"))
