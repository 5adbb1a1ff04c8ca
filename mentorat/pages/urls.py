from django.urls import path

from . import views

# Not namespaced: « home », « landing », « privacy » are the site's own names.
urlpatterns = [
    path("", views.home, name="home"),
    path("accueil/", views.landing, name="landing"),
    path("confidentialite/", views.privacy, name="privacy"),
    path("sante/", views.health, name="health"),
    path("favicon.ico", views.favicon, name="favicon"),
]
