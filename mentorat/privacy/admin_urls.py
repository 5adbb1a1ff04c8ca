"""The coordinators' RGPD pages (mounted in the admin site by mentorat/admin_site.py)."""

from django.urls import path

from . import admin_views

urlpatterns: list = [
    path("rgpd/personnes/<int:user_id>/", admin_views.person, name="privacy_person"),
    path(
        "rgpd/personnes/<int:user_id>/export.json",
        admin_views.person_export,
        name="privacy_person_export",
    ),
    path(
        "rgpd/personnes/<int:user_id>/anonymiser/",
        admin_views.person_anonymise_view,
        name="privacy_person_anonymise",
    ),
]
