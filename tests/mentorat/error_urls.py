"""The site's URLs plus a page that fails, for the server error tests."""

from django.urls import path

from mentorat.urls import urlpatterns as site_urlpatterns


class Boom(RuntimeError):
    pass


def failing_view(request):
    raise Boom("secret detail: password=hunter2 in /srv/mentorat/views.py")


urlpatterns = [*site_urlpatterns, path("en-panne/", failing_view)]
