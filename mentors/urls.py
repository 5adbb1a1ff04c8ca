from django.urls import path

from . import views

app_name = "mentors"

urlpatterns = [
    path("inscription/", views.register, name="register"),
    path("inscription/merci/", views.registration_done, name="registration_done"),
]
