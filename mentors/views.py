from django.shortcuts import render
from django.urls import reverse

from users.views import registration_view

from .forms import MentorRegistrationForm
from .services import mentor_register


def register(request):
    return registration_view(
        request,
        form_class=MentorRegistrationForm,
        register=mentor_register,
        template="mentors/register.html",
        done_url=reverse("mentors:registration_done"),
    )


def registration_done(request):
    return render(request, "mentors/registration_done.html")
