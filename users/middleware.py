"""The second factor, enforced in one place for the whole site."""

from django.conf import settings
from django.shortcuts import redirect, resolve_url
from django.urls import reverse

from .two_factor import OWED_SESSION_KEY, second_factor_missing, second_factor_url

# What a staff member who typed the password but not yet the code may still reach: the pages
# that ask for the code or enrol an app, the ways out, and the load balancer's probe.
EXEMPT_URL_NAMES = (
    "two_factor_verify",
    "two_factor_setup",
    "logout",
    "admin:logout",
    "health",
    "favicon",
)


class SecondFactorMiddleware:
    """A staff member who owes the second factor has no staff scope anywhere, the member pages
    included (they select pairs by role, not by the admin's permission check): every request
    goes to the code page until the code is given. Installed after django-otp's middleware,
    which tells whether the session is verified."""

    def __init__(self, get_response):
        self.get_response = get_response
        self._exempt_paths = None

    def __call__(self, request):
        if not self._exempt(request.path):
            # is_staff first: anonymous people and members cost no query beyond loading the
            # user, which their page does anyway; a prescriber is marked in the session at login.
            user = request.user
            owed = user.is_staff or request.session.get(OWED_SESSION_KEY, False)
            if owed and second_factor_missing(user):
                return redirect(second_factor_url(user, next_url=self._next_url(request)))
        return self.get_response(request)

    def _exempt(self, path: str) -> bool:
        # Reversed at the first request rather than at start-up, when the URLconf may not be
        # importable yet; the script prefix is set by then.
        if self._exempt_paths is None:
            self._exempt_paths = frozenset(reverse(name) for name in EXEMPT_URL_NAMES)
        if path in self._exempt_paths:
            return True
        static_url = settings.STATIC_URL
        return bool(static_url) and static_url.startswith("/") and path.startswith(static_url)

    @staticmethod
    def _next_url(request) -> str:
        # A form posted before the code is lost (it was not the user's to send yet): after the
        # code they land on their home page rather than on a URL that only answers POSTs.
        if request.method in ("GET", "HEAD"):
            return request.get_full_path()
        return resolve_url(settings.LOGIN_REDIRECT_URL)
