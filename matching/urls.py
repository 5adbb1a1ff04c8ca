from django.urls import path

from . import views
from .views_objectives import objective_add, objective_edit

app_name = "matching"

urlpatterns = [
    path("", views.my_proposals, name="my_proposals"),
    path("<int:pk>/repondre/", views.respond, name="respond"),
    path("reponse/<str:token>/", views.respond_by_link, name="respond_by_link"),
    path("opposition/<str:token>/", views.guardian_objection, name="guardian_objection"),
    path("<int:pk>/objectifs/ajouter/", objective_add, name="objective_add"),
    path("objectifs/<int:pk>/modifier/", objective_edit, name="objective_edit"),
]
