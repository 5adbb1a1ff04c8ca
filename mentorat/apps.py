from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class MentoratConfig(AppConfig):
    """The project package is also an app: project-wide commands (seed_demo, benchmarks)."""

    default = True
    name = "mentorat"
    verbose_name = "Mentorat"


class MentoratAdminConfig(admin_apps.AdminConfig):
    """Django's admin with the project's admin site (référent's home, dashboard)."""

    default = False
    default_site = "mentorat.admin_site.MentoratAdminSite"
