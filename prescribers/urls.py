from django.urls import path

from . import views

app_name = "prescribers"

urlpatterns = [
    # The prescriber's space.
    path("", views.home, name="home"),
    path("orienter/", views.refer, name="refer"),
    path("jeunes/<int:pk>/", views.referral, name="referral"),
    # The referred young person's signed link.
    path("inscription/<str:token>/", views.register, name="register"),
]
