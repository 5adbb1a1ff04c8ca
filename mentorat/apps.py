from django.contrib.admin import apps as admin_apps


class MentoratAdminConfig(admin_apps.AdminConfig):
    """Django's admin with the project's admin site (staff home, référent's home, dashboard,
    RGPD pages), which includes the staff and privacy apps' admin pages in its URLs."""

    default_site = "mentorat.admin_site.MentoratAdminSite"
