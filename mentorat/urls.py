from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from users.forms_auth import PasswordResetForm

from . import views

admin.site.site_header = "Mentorat — administration"
admin.site.site_title = "Mentorat"
admin.site.index_title = "Programme de mentorat"

urlpatterns = [
    path("", views.home, name="home"),
    path("confidentialite/", views.privacy, name="privacy"),
    path("mentors/", include("mentors.urls")),
    path("jeunes/", include("mentees.urls")),
    path(
        "compte/mot-de-passe/oubli/",
        auth_views.PasswordResetView.as_view(form_class=PasswordResetForm),
        name="password_reset",
    ),
    path("compte/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
]
