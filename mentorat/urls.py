from django.contrib import admin
from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("accueil/", views.landing, name="landing"),
    path("confidentialite/", views.privacy, name="privacy"),
    path("sante/", views.health, name="health"),
    path("mentors/", include("mentors.urls")),
    path("jeunes/", include("mentees.urls")),
    path("binomes/", include("matching.urls")),
    path("espace/", include("mentorat.spaces.urls")),
    path("seances/", include("sessions.urls")),
    path("questionnaires/", include("evaluations.urls")),
    path("compte/", include("users.urls")),
    path("rappels/", include("reminders.urls")),
    path("admin/", admin.site.urls),
]
