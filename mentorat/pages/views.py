import sys

import redis
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.templatetags.static import static
from django.views import defaults
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET

from users.roles import is_coordinator, is_prescriber, is_referent


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
    if is_prescriber(user):
        return redirect("prescribers:home")
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


# How long a client is asked to wait when the database cannot answer.
RETRY_AFTER_SECONDS = 30


def database_answers() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except (DatabaseError, InterfaceError):
        return False
    return True


def redis_answers() -> bool | None:
    """Whether the broker and shared cache answer; None when the site runs without Redis."""
    if not settings.REDIS_URL:
        return None
    try:
        with redis.Redis.from_url(
            settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1
        ) as client:
            client.ping()
    except (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError):
        return False
    return True


@never_cache
def health(request):
    """Health check for the load balancer and docker-compose, and the benchmark's baseline (a
    view rendering a template after one trivial query). Without the database nothing works:
    503. Without Redis the site is degraded but serves (forms saved, rate limits per process,
    tasks not queued): 200, the page says which."""
    database = database_answers()
    redis_state = redis_answers()
    response = render(
        request,
        "pages/health.html",
        {"database": database, "redis": redis_state},
        status=200 if database else 503,
    )
    if not database:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def server_error(request):
    """The site's 500 handler (handler500): a database that cannot be reached or refuses
    (restarting, overloaded) answers the French 503 page, asking to come back shortly; any
    other failure the French 500 page. Rendered with no context, as Django's own: nothing here
    may need the request or the database."""
    if isinstance(sys.exc_info()[1], (OperationalError, InterfaceError)):
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return defaults.server_error(request)


@require_GET
@cache_control(max_age=86400)
def favicon(request):
    # Browsers ask for /favicon.ico whatever the pages' <link rel="icon"> says; the icon is the
    # SVG among the static files (not a permanent redirect: its hashed name changes with it).
    return redirect(static("favicon.svg"))
