from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.module_loading import import_string
from django_ratelimit.core import is_ratelimited

from .errors import ServiceError
from .forms import RegistrationForm
from .forms_auth import LoginForm, PasswordResetForm
from .forms_errors import add_service_errors
from .overload import form_kept_when_overloaded
from .two_factor import second_factor_missing, second_factor_url

REGISTRATION_RATELIMIT_GROUP = "public-registration"
PASSWORD_RESET_IP_GROUP = "password-reset-ip"
PASSWORD_RESET_ADDRESS_GROUP = "password-reset-address"


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


def reset_address(group, request) -> str:
    """The address asked for, as the reset form matches it: the same whatever its case."""
    return request.POST.get("email", "").strip().lower()


def password_reset_rate_limited(request) -> bool:
    """One budget per address (nobody's inbox is flooded) and one per IP (nobody tries
    address after address)."""

    def over(group, key) -> bool:
        return is_ratelimited(
            request,
            group=group,
            key=key,
            rate=settings.PASSWORD_RESET_RATE_LIMIT,
            method="POST",
            increment=True,
        )

    # Both counted on every request: no short-circuit.
    by_ip = over(PASSWORD_RESET_IP_GROUP, "ip")
    by_address = over(PASSWORD_RESET_ADDRESS_GROUP, reset_address)
    return by_ip or by_address


@form_kept_when_overloaded(ServiceError)
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
            try:
                if not form.is_bot():
                    register(
                        email=form.cleaned_data["email"],
                        first_name=form.cleaned_data["first_name"],
                        last_name=form.cleaned_data["last_name"],
                        fields=form.registration_fields(),
                    )
            except ServiceError as error:
                # The form asks the service's rules first; this is a refusal it could not
                # foresee (a birthday at midnight between the two).
                add_service_errors(form, error)
            else:
                return redirect(done_url)
    else:
        form = form_class()
    return render(request, template, {"form": form})


def client_ip(request) -> str | None:
    """The client address for django-axes, read as django-ratelimit reads it: behind a proxy
    both count failures per the same address."""
    key = settings.RATELIMIT_IP_META_KEY
    if callable(key):
        return key(request)
    if key and "." in key:
        return import_string(key)(request)
    return request.META.get(key or "REMOTE_ADDR")


def login_username(request, credentials) -> str | None:
    """The address is matched whatever its case at login, so the lockout counts it so too."""
    username = (credentials or {}).get("username") or request.POST.get("username")
    return username.strip().lower() if username else username


class LoginView(auth_views.LoginView):
    """Django's login; a coordinator then goes on to the second factor."""

    authentication_form = LoginForm

    def get_success_url(self):
        url = super().get_success_url()
        if second_factor_missing(self.request.user):
            return second_factor_url(self.request.user, next_url=url)
        return url


class PasswordResetView(auth_views.PasswordResetView):
    """Django's password reset, rate-limited. Over the limit the answer is the usual one, so
    it tells nothing (neither whether the address exists nor that the limit is reached), but
    no e-mail leaves."""

    form_class = PasswordResetForm

    def form_valid(self, form):
        if password_reset_rate_limited(self.request):
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)
