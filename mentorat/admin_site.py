from django.contrib import admin


class MentoratAdminSite(admin.AdminSite):
    """The staff's back office: Django's admin plus the référent's home and the coordinator's
    dashboard, wrapped in the admin's login and permission checks."""

    site_header = "Mentorat — administration"
    site_title = "Mentorat"
    index_title = "Programme de mentorat"

    def has_permission(self, request):
        # A coordinator's session counts only once their second factor is verified.
        from users.two_factor import second_factor_missing

        return super().has_permission(request) and not second_factor_missing(request.user)

    def login(self, request, extra_context=None):
        # Signed in with the password but not yet the code: on to the second factor, rather
        # than the admin's "not authorised" login form.
        from django.shortcuts import redirect
        from django.urls import reverse

        from users.two_factor import second_factor_missing, second_factor_url

        user = request.user
        if user.is_active and user.is_staff and second_factor_missing(user):
            next_url = request.GET.get("next") or reverse("admin:index", current_app=self.name)
            return redirect(second_factor_url(user, next_url=next_url))
        return super().login(request, extra_context)

    def get_urls(self):
        from django.urls import path

        from .privacy import admin_urls as privacy_urls
        from .staff import dashboard_urls, referent_urls

        extra = [
            path(
                route.pattern._route,
                self.admin_view(route.callback),
                name=route.name,
            )
            for route in [
                *referent_urls.urlpatterns,
                *dashboard_urls.urlpatterns,
                *privacy_urls.urlpatterns,
            ]
        ]
        return [*extra, *super().get_urls()]
