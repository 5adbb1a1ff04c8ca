"""Admin pages of a référent (mounted in the admin site by mentorat/admin_site.py)."""

from django.urls import path

from . import (
    exchanges_admin,  # noqa: F401  (registers the exchanges' ModelAdmin)
    referent_views,
)

urlpatterns: list = [
    path("referent/", referent_views.referent_home, name="referent_home"),
    path(
        "referent/seance/<int:pk>/suivi/",
        referent_views.referent_follow_up,
        name="referent_follow_up",
    ),
    path("referent/echange/", referent_views.referent_exchange, name="referent_exchange"),
]
