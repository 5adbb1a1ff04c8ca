from django.urls import path

from . import views

app_name = "matching"

urlpatterns = [
    path("", views.my_proposals, name="my_proposals"),
    path("<int:pk>/repondre/", views.respond, name="respond"),
    path("reponse/<str:token>/", views.respond_by_link, name="respond_by_link"),
]
