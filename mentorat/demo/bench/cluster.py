"""Two web processes behind nothing but the database and Redis (issue 18): gunicorn A and
gunicorn B on two ports, with the same settings, must behave as one site. Each check goes
through both, by HTTP only:

- a login through A is a session on B (sessions in PostgreSQL), the second factor included
  (password on A, code on B, staff page on A);
- the registration forms' rate limit (django-ratelimit, counted in the cache) reached through
  A refuses on B; the login lockout (django-axes, counted in the database) reached through A
  locks out on B;
- an entry put in the cache through A is read through B (the bench's own path,
  bench/wsgi.py), and neither process has fallen back to a cache of its own;
- the same pages answer the same through either (but their CSRF tokens);
- their throughput through A, through B, and through both at once.

Every check's POSTs carry a CSRF cookie and token of the benchmark's own (a browser's, as
Django checks them: no server state). The rate-limit checks leave 127.0.0.1 over the forms'
limit in the bench's Redis database for the limit's period; the lockout check uses an address
nobody has and deletes its attempts afterwards.
"""

import json
import re
import secrets
import subprocess
import threading
import time
import urllib.parse
from collections.abc import Callable

from django.conf import settings
from django.urls import reverse
from django_otp.oath import totp

from mentorat.demo.bench.load import Server, csrf_secret, drive, request
from mentorat.demo.bench.measure import Measure
from mentorat.demo.bench.wsgi import PATH as CACHE_PATH
from mentorat.demo.seed import COORDINATOR_EMAIL, DEMO_PASSWORD, MENTOR_EMAIL
from users.models import User
from users.two_factor import confirmed_device

PREFIX = "two processes: "


class Client:
    """Cookies kept across requests to either process, as one browser would."""

    def __init__(self):
        self.csrf = csrf_secret()
        self.cookies = {settings.CSRF_COOKIE_NAME: self.csrf}

    def header(self) -> dict[str, str]:
        return {"Cookie": "; ".join(f"{name}={value}" for name, value in self.cookies.items())}

    def _keep(self, headers: dict[str, str]) -> None:
        for line in headers.get("set-cookie", "").split("\n"):
            name, _, rest = line.partition("=")
            value = rest.split(";", 1)[0]
            if name and name != settings.CSRF_COOKIE_NAME:
                self.cookies[name.strip()] = value

    def get(self, server: Server, path: str) -> tuple[int, dict, str]:
        status, headers, body = request(server.base, path, headers=self.header())
        self._keep(headers)
        return status, headers, body

    def post(self, server: Server, path: str, data: dict) -> tuple[int, dict, str]:
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": self.csrf})
        headers = {**self.header(), "Content-Type": "application/x-www-form-urlencoded"}
        status, answer_headers, content = request(
            server.base, path, method="POST", headers=headers, body=body
        )
        self._keep(answer_headers)
        return status, answer_headers, content


def _line(label: str, ok: bool, wording: str, value: str) -> Measure:
    measure = Measure(PREFIX + label, value=value)
    measure.checks.append((wording, ok))
    return measure


def session_across(a: Server, b: Server) -> Measure:
    browser = Client()
    login = browser.post(a, reverse("login"), {"username": MENTOR_EMAIL, "password": DEMO_PASSWORD})
    space = browser.get(b, reverse("spaces:home"))
    return _line(
        "login through A, session on B",
        login[0] == 302 and space[0] == 200,
        "B answers the member's space",
        f"login on A {login[0]}, « Mon espace » on B {space[0]}",
    )


def second_factor_across(a: Server, b: Server) -> Measure:
    """The coordinator's password on A, the code on B, a staff page on A."""
    user = User.objects.get(email=COORDINATOR_EMAIL)
    device = confirmed_device(user)
    browser = Client()
    login = browser.post(a, reverse("login"), {"username": user.email, "password": DEMO_PASSWORD})
    code_status = None
    if device is not None:
        # A code is accepted once: after a recent run, wait for the next one.
        device.refresh_from_db()
        counter = int(time.time() - device.t0) // device.step
        if device.last_t >= counter:
            time.sleep(device.step - (time.time() - device.t0) % device.step + 1)
        number = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
        code = f"{number:0{device.digits}d}"
        code_status = browser.post(b, reverse("two_factor_verify"), {"code": code})[0]
    home = browser.get(a, reverse("admin:staff_home"))
    return _line(
        "password on A, code on B, staff page on A",
        login[0] == 302 and code_status == 302 and home[0] == 200,
        "the staff home answers",
        f"login {login[0]}, code {code_status}, staff home {home[0]}",
    )


def _until_refused(send: Callable[[], int], attempts: int) -> tuple[int, int]:
    """Send until refused (429) or `attempts` are spent: (sent, last status)."""
    status = 0
    for sent in range(1, attempts + 1):
        status = send()
        if status == 429:
            return sent, status
    return attempts, status


def _rate(limit: str) -> int:
    return int(limit.split("/")[0])


def rate_limit_across(a: Server, b: Server) -> Measure:
    """The forms' per-address budget, spent through A, is spent on B (an empty form: a
    refusal for its errors, nothing saved)."""
    browser = Client()
    path = reverse("mentors:register")
    limit = _rate(settings.REGISTRATION_RATE_LIMIT)
    sent, status_a = _until_refused(lambda: browser.post(a, path, {})[0], limit + 1)
    status_b = browser.post(b, path, {})[0]
    return _line(
        "registration rate limit (cache) reached on A",
        status_a == 429 and status_b == 429,
        "B refuses too (429)",
        f"A refused after {sent} POST(s), B answered {status_b}",
    )


def lockout_across(a: Server, b: Server) -> Measure:
    """Wrong passwords for one address through A lock it out on B too."""
    from axes.models import AccessAttempt, AccessFailureLog

    username = f"banc-{secrets.token_hex(6)}@example.org"
    data = {"username": username, "password": "pas-le-bon-mot-de-passe"}
    browser = Client()
    try:
        sent, status_a = _until_refused(
            lambda: browser.post(a, reverse("login"), data)[0], settings.AXES_FAILURE_LIMIT + 1
        )
        status_b = browser.post(b, reverse("login"), data)[0]
    finally:
        AccessAttempt.objects.filter(username=username).delete()
        AccessFailureLog.objects.filter(username=username).delete()
    return _line(
        "login lockout (database) reached on A",
        status_a == 429 and status_b == 429,
        "B locks out too (429)",
        f"A locked out after {sent} POST(s), B answered {status_b}",
    )


def cache_across(a: Server, b: Server, *, token: str) -> Measure:
    key, value = secrets.token_hex(8), secrets.token_hex(8)
    query = urllib.parse.urlencode({"token": token, "key": key, "value": value})
    wrote = json.loads(request(a.base, f"{CACHE_PATH}?{query}")[2])
    query = urllib.parse.urlencode({"token": token, "key": key})
    read = json.loads(request(b.base, f"{CACHE_PATH}?{query}")[2])
    shared = read["value"] == value and wrote["pid"] != read["pid"]
    own = [
        f"{name} {answer['backend'].rsplit('.', 1)[-1]}"
        + (" (degraded)" if answer["degraded"] else "")
        for name, answer in (("A", wrote), ("B", read))
    ]
    no_fallback = not any(
        answer["degraded"] or "locmem" in answer["backend"].lower() for answer in (wrote, read)
    )
    return _line(
        "cache entry written through A",
        shared and no_fallback,
        "read through B, no per-process cache",
        ", ".join(own),
    )


CSRF_INPUT = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*')


def _normalised(body: str) -> str:
    return CSRF_INPUT.sub(r"\1", body)


def same_page(a: Server, b: Server, label: str, path: str, cookie: str | None) -> Measure:
    headers = {"Cookie": cookie} if cookie else {}
    status_a, _, body_a = request(a.base, path, headers=headers)
    status_b, _, body_b = request(b.base, path, headers=headers)
    same = status_a == status_b == 200 and _normalised(body_a) == _normalised(body_b)
    return _line(
        f"same {label} through A and B",
        same,
        "same page (but CSRF tokens)",
        f"{len(body_a):,} / {len(body_b):,} bytes",
    )


def throughput_across(
    a: Server, b: Server, label: str, path: str, cookie: str | None, *, seconds: float
) -> Measure:
    """Requests per second through A, through B, then through both at once."""
    alone_a = drive(f"{a.base}{path}", cookie=cookie, seconds=seconds)
    alone_b = drive(f"{b.base}{path}", cookie=cookie, seconds=seconds)
    together: dict[str, tuple[float, int, str]] = {}

    def run(name: str, server: Server) -> None:
        together[name] = drive(f"{server.base}{path}", cookie=cookie, seconds=seconds)

    threads = [threading.Thread(target=run, args=pair) for pair in (("A", a), ("B", b))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    both = sum(rate for rate, _, _ in together.values())
    errors = alone_a[1] + alone_b[1] + sum(failed for _, failed, _ in together.values())
    measure = Measure(
        f"{PREFIX}load: {label}",
        value=f"A {alone_a[0]:.0f}, B {alone_b[0]:.0f}, A+B at once {both:.0f} req/s",
    )
    measure.checks.append((f"no error ({alone_a[2]})", errors == 0))
    return measure


def checks(
    a: Server,
    b: Server,
    *,
    token: str,
    pages: list[tuple[str, str, str | None]],
    seconds: float,
) -> list[Measure]:
    """Every check of the two processes, then each of `pages` (label, path, cookie) compared
    and loaded through both."""
    lines = []
    for check in (session_across, second_factor_across, rate_limit_across, lockout_across):
        try:
            lines.append(check(a, b))
        except (OSError, ValueError, subprocess.SubprocessError) as error:
            lines.append(_line(check.__name__, False, "ran", f"failed: {error}"))
    lines.append(cache_across(a, b, token=token))
    lines += [same_page(a, b, label, path, cookie) for label, path, cookie in pages]
    lines += [
        throughput_across(a, b, label, path, cookie, seconds=seconds)
        for label, path, cookie in pages
    ]
    return lines
