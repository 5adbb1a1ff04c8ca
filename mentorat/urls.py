from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("mentorat.pages.urls")),
    path("mentors/", include("mentors.urls")),
    path("jeunes/", include("mentees.urls")),
    path("binomes/", include("matching.urls")),
    path("espace/", include("mentorat.spaces.urls")),
    path("seances/", include("sessions.urls")),
    path("questionnaires/", include("evaluations.urls")),
    path("compte/", include("users.urls")),
    path("rappels/", include("reminders.urls")),
    path("orientation/", include("prescribers.urls")),
    path("admin/", admin.site.urls),
]

# A database that cannot answer gets the French 503 page, any other failure the 500 page.
handler500 = "mentorat.pages.views.server_error"
