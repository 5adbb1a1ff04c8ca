from django.urls import path

from . import data_views, views

app_name = "spaces"

urlpatterns = [
    path("", views.home, name="home"),
    path("binomes/<int:pk>/", views.pair, name="pair"),
    path("mes-donnees/", data_views.my_data, name="my_data"),
    path("mes-donnees.json", data_views.my_data_json, name="my_data_json"),
]
