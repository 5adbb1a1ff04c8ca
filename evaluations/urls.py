from django.urls import path

from . import views, views_closure, views_progress

app_name = "evaluations"

urlpatterns = [
    # Before the fill page: its <slug:moment> would take « progression » for a moment.
    path("binome/<int:pair_pk>/progression/", views_progress.progress, name="progress"),
    # Each member's closure questionnaire, once the pair is closed.
    path("binome/<int:pair_pk>/cloture/", views_closure.closure_fill, name="closure"),
    # <moment> is « debut » or « fin » (views.MOMENTS); anything else is a 404.
    path("binome/<int:pair_pk>/<slug:moment>/", views.fill, name="fill"),
    path("reponse/<int:pk>/", views_progress.response_detail, name="response"),
]
