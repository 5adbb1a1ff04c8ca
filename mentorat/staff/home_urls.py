"""The coordinator's staff home (mounted in the admin site by mentorat/admin_site.py)."""

from django.urls import path

from . import home_views

urlpatterns: list = [
    path("accueil/", home_views.staff_home, name="staff_home"),
]
