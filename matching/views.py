from django.contrib.auth.decorators import login_required
from django.http import HttpResponse


@login_required
def my_proposals(request):
    return HttpResponse(status=501)


def respond_by_link(request, token):
    return HttpResponse(status=501)
