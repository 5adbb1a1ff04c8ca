from django.contrib.auth.decorators import login_required
from django.http import HttpResponse


@login_required
def home(request):
    return HttpResponse(status=501)


@login_required
def pair(request, pk):
    return HttpResponse(status=501)
