from django.contrib import admin
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET


@require_GET
@cache_control(max_age=86400)
def favicon(request):
    # Browsers ask for /favicon.ico whatever the pages' <link rel="icon"> says; the icon is the
    # SVG among the static files (not a permanent redirect: its hashed name changes with it).
    return redirect(static("favicon.svg"))


urlpatterns = [
    path("", include("mentorat.pages.urls")),
    path("mentors/", include("mentors.urls")),
    path("jeunes/", include("mentees.urls")),
    path("binomes/", include("matching.urls")),
    path("espace/", include("mentorat.spaces.urls")),
    path("seances/", include("sessions.urls")),
    path("questionnaires/", include("evaluations.urls")),
    path("compte/", include("users.urls")),
    path("rappels/", include("reminders.urls")),
    path("admin/", admin.site.urls),
    path("favicon.ico", favicon, name="favicon"),
]
