from collections.abc import Callable

from django.conf import settings
from django.shortcuts import redirect, render
from django_ratelimit.core import is_ratelimited

from .forms import RegistrationForm

REGISTRATION_RATELIMIT_GROUP = "public-registration"


def registration_rate_limited(request) -> bool:
    """Both public forms share one per-IP budget of submissions."""
    return is_ratelimited(
        request,
        group=REGISTRATION_RATELIMIT_GROUP,
        key="ip",
        rate=settings.REGISTRATION_RATE_LIMIT,
        method="POST",
        increment=True,
    )


def registration_view(
    request,
    *,
    form_class: type[RegistrationForm],
    register: Callable,
    template: str,
    done_url: str,
):
    if request.method == "POST":
        if registration_rate_limited(request):
            return render(request, "users/rate_limited.html", status=429)
        form = form_class(request.POST)
        if form.is_valid():
            if not form.is_bot():
                register(
                    email=form.cleaned_data["email"],
                    first_name=form.cleaned_data["first_name"],
                    last_name=form.cleaned_data["last_name"],
                    fields=form.registration_fields(),
                )
            return redirect(done_url)
    else:
        form = form_class()
    return render(request, template, {"form": form})
