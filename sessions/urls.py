from django.urls import path

from . import views

app_name = "sessions"

urlpatterns = [
    path("binome/<int:pair_pk>/", views.pair_sessions, name="list"),
    path("binome/<int:pair_pk>/nouvelle/", views.session_log, name="log"),
    path("binome/<int:pair_pk>/prochaine-rencontre/", views.meeting_plan, name="plan_meeting"),
    path("binome/<int:pair_pk>/prochaine-rencontre.ics", views.meeting_ics, name="meeting_ics"),
    path("<int:pk>/", views.session_detail, name="detail"),
    path("<int:pk>/modifier/", views.session_update, name="update"),
    path("<int:pk>/evaluer/", views.session_evaluate, name="evaluate"),
    path("<int:pk>/suivi/", views.session_follow_up, name="follow_up"),
]
