"""The staff's pages, inside the admin site: the admin site includes them in its URLs
(mentorat/admin_site.py), each view behind its login and permission checks."""

from django.urls import path

from . import bilan_views, dashboard_views, home_views, referent_views


def admin_urlpatterns(site) -> list:
    return [
        path("accueil/", site.admin_view(home_views.staff_home), name="staff_home"),
        path("referent/", site.admin_view(referent_views.referent_home), name="referent_home"),
        path(
            "referent/seance/<int:pk>/suivi/",
            site.admin_view(referent_views.referent_follow_up),
            name="referent_follow_up",
        ),
        path(
            "referent/echange/",
            site.admin_view(referent_views.referent_exchange),
            name="referent_exchange",
        ),
        path(
            "referent/binome/<int:pk>/entretien-de-fin/",
            site.admin_view(referent_views.closure_interview),
            name="closure_interview",
        ),
        path("dashboard/", site.admin_view(dashboard_views.dashboard), name="dashboard"),
        path(
            "dashboard/export/<slug:what>.<slug:fmt>",
            site.admin_view(dashboard_views.export),
            name="dashboard_export",
        ),
        path("bilan/", site.admin_view(bilan_views.bilan), name="bilan"),
        path("bilan/bilan.xlsx", site.admin_view(bilan_views.bilan_xlsx), name="bilan_export"),
    ]
