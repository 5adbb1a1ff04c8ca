from django.urls import path

from . import data_views, trainings, views

app_name = "spaces"

urlpatterns = [
    path("", views.home, name="home"),
    path("binomes/<int:pk>/", views.pair, name="pair"),
    path("mes-donnees/", data_views.my_data, name="my_data"),
    path("mes-donnees.json", data_views.my_data_json, name="my_data_json"),
    path("formations/", trainings.trainings, name="trainings"),
    path(
        "formations/<int:pk>/inscription/",
        trainings.training_sign_up_view,
        name="training_sign_up",
    ),
    path("formations/<int:pk>/annulation/", trainings.training_cancel_view, name="training_cancel"),
    path("attestation/", trainings.attestation, name="attestation"),
]
