from django.urls import path

from . import views

app_name = "mentees"

urlpatterns = [
    path("inscription/", views.register, name="register"),
    path("inscription/merci/", views.registration_done, name="registration_done"),
    path("accord-parental/<str:token>/", views.guardian_consent, name="guardian_consent"),
]
