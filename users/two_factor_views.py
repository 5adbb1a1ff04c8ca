"""The second factor's pages: the code after the password, and the enrolment of an app."""

import django_otp
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme

from . import two_factor
from .two_factor_forms import CodeForm


def next_url(request) -> str:
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    # Where a login leads when nothing was asked for (a page dispatching by role).
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def staff_only(request):
    # The second factor protects the back office and the prescribers' space; other people have
    # no use for it.
    if not two_factor.may_use_second_factor(request.user):
        raise Http404("Page réservée à l'équipe du programme.")


@login_required
def verify(request):
    staff_only(request)
    device = two_factor.confirmed_device(request.user)
    if device is None:
        return redirect(two_factor.second_factor_url(request.user, next_url=next_url(request)))
    if two_factor.is_verified(request.user):
        return redirect(next_url(request))
    form = CodeForm(request.POST or None, device=device)
    if form.is_valid():
        django_otp.login(request, device)
        return redirect(next_url(request))
    return render(
        request, "users/two_factor_verify.html", {"form": form, "next": next_url(request)}
    )


@login_required
def setup(request):
    staff_only(request)
    # Adding a device to an account that has one takes that device's code first: a stolen
    # password alone must not be enough to enrol the thief's phone.
    if two_factor.confirmed_device(request.user) and not two_factor.is_verified(request.user):
        return redirect(two_factor.second_factor_url(request.user, next_url=next_url(request)))
    device = two_factor.pending_device(user=request.user)
    form = CodeForm(request.POST or None, device=device)
    if form.is_valid():
        two_factor.confirm_device(request=request, device=device)
        return redirect(next_url(request))
    return render(
        request,
        "users/two_factor_setup.html",
        {
            "form": form,
            "next": next_url(request),
            "qr_code": two_factor.qr_code_data_uri(device),
            "manual_key": two_factor.manual_key(device),
        },
    )
