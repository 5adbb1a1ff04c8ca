"""The coordinators' RGPD pages, inside the admin site: the admin site includes them in its
URLs (mentorat/admin_site.py), each view behind its login and permission checks."""

from django.urls import path

from . import admin_views


def admin_urlpatterns(site) -> list:
    return [
        path(
            "rgpd/personnes/<int:user_id>/",
            site.admin_view(admin_views.person),
            name="privacy_person",
        ),
        path(
            "rgpd/personnes/<int:user_id>/export.json",
            site.admin_view(admin_views.person_export),
            name="privacy_person_export",
        ),
        path(
            "rgpd/personnes/<int:user_id>/anonymiser/",
            site.admin_view(admin_views.person_anonymise_view),
            name="privacy_person_anonymise",
        ),
    ]
