"""The site's URLs plus a page that fails, for the server error tests."""

from django.urls import path

from mentorat import urls as site_urls


class Boom(RuntimeError):
    pass


def failing_view(request):
    raise Boom("secret detail: password=hunter2 in /srv/mentorat/views.py")


urlpatterns = [*site_urls.urlpatterns, path("en-panne/", failing_view)]
# The site's own error handler, as in production.
handler500 = site_urls.handler500
