"""Logged-in sessions for the benchmark: a session row in the session store for a person, as
the login would leave it (and, for staff who owe the second factor, with their confirmed
device recorded as verified, as the code page would), and the cookie that carries it. The
test client and the load generator (wrk's `-H 'Cookie: …'`) use the same sessions, and so do
both gunicorn processes: the session store is the database, shared by every process.

Nobody's password is needed: the generated people have none."""

from importlib import import_module

from django.conf import settings
from django.contrib.auth import login
from django.http import HttpRequest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from users.models import User
from users.two_factor import second_factor_required

BENCH_DEVICE_NAME = "Banc d'essai"
# The backend that loads the user from the session on each request (django-axes's is first in
# AUTHENTICATION_BACKENDS but loads nobody).
SESSION_BACKEND = "django.contrib.auth.backends.ModelBackend"


def bench_device(user: User) -> TOTPDevice:
    """The person's confirmed authenticator app (one made for the benchmark when they have
    none: the generated staff never enrolled one)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=BENCH_DEVICE_NAME, confirmed=True)


def session_key(user: User) -> str:
    """A new session of `user`, saved in the session store: its key. Django's own login fills
    it (its signals run: the member's contacts are cached, a prescriber is marked as owing the
    code); the verified device is added where the second factor is owed."""
    request = HttpRequest()
    request.META["REMOTE_ADDR"] = "127.0.0.1"
    request.session = import_module(settings.SESSION_ENGINE).SessionStore()
    login(request, user, backend=SESSION_BACKEND)
    if second_factor_required(user):
        request.session[DEVICE_ID_SESSION_KEY] = bench_device(user).persistent_id
    request.session.save()
    return request.session.session_key


def cookie_header(key: str) -> str:
    """The `Cookie` header's value that carries the session `key`."""
    return f"{settings.SESSION_COOKIE_NAME}={key}"


def log_in(client: Client, user: User) -> str:
    """The test client logged in as `user` (second factor passed where owed); the session's
    key, for `forget`."""
    key = session_key(user)
    client.cookies[settings.SESSION_COOKIE_NAME] = key
    return key


def forget(*keys: str) -> None:
    """Delete the benchmark's sessions: their rows must not pile up in its database."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    for key in keys:
        store(session_key=key).delete()
