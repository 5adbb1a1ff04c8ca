from django.contrib import admin


class MentoratAdminSite(admin.AdminSite):
    """The staff's back office: Django's admin plus the référent's home and the coordinator's
    dashboard, wrapped in the admin's login and permission checks."""

    site_header = "Mentorat — administration"
    site_title = "Mentorat"
    index_title = "Programme de mentorat"

    def get_urls(self):
        from django.urls import path

        from .staff import dashboard_urls, referent_urls

        extra = [
            path(
                route.pattern._route,
                self.admin_view(route.callback),
                name=route.name,
            )
            for route in [*referent_urls.urlpatterns, *dashboard_urls.urlpatterns]
        ]
        return [*extra, *super().get_urls()]
