"""The coordinator dashboard and exports (mounted in the admin site by mentorat/admin_site.py)."""

from django.urls import path

from . import dashboard_views

urlpatterns: list = [
    path("dashboard/", dashboard_views.dashboard, name="dashboard"),
    path(
        "dashboard/export/<slug:what>.<slug:fmt>",
        dashboard_views.export,
        name="dashboard_export",
    ),
]
