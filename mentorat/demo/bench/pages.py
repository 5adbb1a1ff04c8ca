"""The key pages, timed through Django's test client: the server's time for the whole request
(middleware, view, queries, template), without the network, and its query count.

Every page is requested by the person it is for, chosen by the same rule in the small and the
national data set, so that their query counts can be compared.
"""

import contextlib
import dataclasses
import itertools
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.core.cache import cache, caches
from django.core.cache.backends.locmem import LocMemCache
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

from mentorat.demo.bench import catalogue, cookies
from mentorat.demo.bench.form_data import mentee_form_data, mentor_form_data
from mentorat.demo.bench.measure import Measure
from users.models import User

# Issue 18: every page's p95 under 50 ms server time at national scale (the staff home and the
# matching pages of one person included), the dashboard's under 200 ms with a cold cache, the
# funders' report under 1 s.
PAGE_P95_MS = 50
DASHBOARD_P95_MS = 200
# The staff admin issue's own target for the changelists and the dashboard (its own section).
ADMIN_ISSUE_P95_MS = 500
# Issue 15: the funders' report of the current year, page and XLSX, at national scale.
BILAN_P95_MS = 1000
BILAN_LABELS = ("funders' report (bilan)", "funders' report (bilan, XLSX)")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Issue 4: the personal spaces answer in under 50 ms (median).
SPACE_MEDIAN_MS = 50
# Issue 18: a registration is saved and answered in under 15 ms (median; its e-mails leave
# after the commit, through the outbox and Celery).
REGISTRATION_POST_MEDIAN_MS = 15
BARE_VIEW = "bare Django view (/sante/)"
# A slow page (the dashboard with a cold cache, the funders' report) is timed for about this
# long, at least MIN_RUNS times, rather than --runs times: the whole bench stays in minutes.
PAGE_BUDGET_S = 12
MIN_RUNS = 10
ADMIN_CHANGELISTS = [
    ("admin: mentors", "admin:mentors_mentor_changelist"),
    ("admin: young people", "admin:mentees_mentee_changelist"),
    ("admin: pairs", "admin:matching_mentorship_changelist"),
    ("admin: sessions", "admin:mentoring_sessions_session_changelist"),
    ("admin: questionnaire responses", "admin:evaluations_response_changelist"),
    ("admin: reminders", "admin:reminders_reminder_changelist"),
]
# Issue 17: the staff pages measured as the national coordinator are measured again as the
# coordinator of one antenne (the one with the most young people), under the same targets.
ANTENNE_SUFFIX = " (antenne coordinator)"


@dataclass
class Page:
    label: str
    url: str
    user: User | None = None
    # A fresh POST body per request, or None for a GET.
    post: Callable[[], dict] | None = None
    p95_target_ms: float | None = PAGE_P95_MS
    median_target_ms: float | None = None
    # The Content-Type a GET must answer with (a download), when not a page.
    content_type: str | None = None
    # Every request with a cold cache (the figures computed again): emptied before each one,
    # outside the timing.
    cold_cache: bool = False


def login(client: Client, user: User) -> str:
    """Log `user` in, past the second factor where it is owed (cookies.py); the session key."""
    return cookies.log_in(client, user)


def key_pages(the_cast: catalogue.Cast | None = None) -> list[Page]:
    """The pages of the table, with the person each is requested by (catalogue.cast)."""
    the_cast = the_cast or catalogue.cast()
    users, objects = the_cast.users, the_cast.objects
    coordinator = users["coordinator"]
    pages = [
        Page("home", reverse("home")),
        Page("mentor registration form (GET)", reverse("mentors:register")),
        Page(
            "mentor registration (POST)",
            reverse("mentors:register"),
            post=mentor_form_data,
            median_target_ms=REGISTRATION_POST_MEDIAN_MS,
        ),
        Page("young person registration form (GET)", reverse("mentees:register")),
        Page(
            "young person registration (POST)",
            reverse("mentees:register"),
            post=mentee_form_data,
            median_target_ms=REGISTRATION_POST_MEDIAN_MS,
        ),
        Page(
            "mentor space",
            reverse("spaces:home"),
            users["mentor"],
            median_target_ms=SPACE_MEDIAN_MS,
        ),
        Page(
            "young person space",
            reverse("spaces:home"),
            users["young person"],
            median_target_ms=SPACE_MEDIAN_MS,
        ),
        Page(
            "pair page (mentor)",
            reverse("spaces:pair", args=[objects["pair"]]),
            users["mentor"],
            median_target_ms=SPACE_MEDIAN_MS,
        ),
        Page(
            "questionnaire (start, draft)",
            reverse("evaluations:fill", args=[objects["fill pair"], "debut"]),
            users["questionnaire young person"],
        ),
        Page(
            "progress view (mentor)",
            reverse("evaluations:progress", args=[objects["closed pair"]]),
            users["closed mentor"],
        ),
        Page("référent home", reverse("admin:referent_home"), users["referent"]),
    ]
    staff = [Page(label, reverse(name), coordinator) for label, name in ADMIN_CHANGELISTS]
    staff += [
        Page(
            "coordinator dashboard",
            reverse("admin:dashboard"),
            coordinator,
            p95_target_ms=DASHBOARD_P95_MS,
            cold_cache=True,
        ),
        Page("coordinator staff home", reverse("admin:staff_home"), coordinator),
        # The default period: the current calendar year up to today.
        Page(BILAN_LABELS[0], reverse("admin:bilan"), coordinator, p95_target_ms=BILAN_P95_MS),
        Page(
            BILAN_LABELS[1],
            reverse("admin:bilan_export"),
            coordinator,
            p95_target_ms=BILAN_P95_MS,
            content_type=XLSX,
        ),
    ]
    # The matching pages of one young person waiting for a mentor and of one mentor with a
    # free place: each ranks the pool of candidates.
    for label, name, key in MATCHING_PAGES:
        if objects.get(key) is not None:
            staff.append(Page(label, reverse(name, args=[objects[key]]), coordinator))
    pages += staff
    antenne_coordinator = users.get(catalogue.ANTENNE_COORDINATOR)
    if antenne_coordinator is not None:
        pages += [_in_antenne(page, antenne_coordinator, objects) for page in staff]
    return [page for page in pages if page is not None]


MATCHING_PAGES = (
    ("matching page (young person)", "admin:mentees_mentee_matching", "waiting"),
    ("matching page (mentor)", "admin:mentors_mentor_matching", "free mentor"),
)


def _in_antenne(page: Page, user: User, objects: dict) -> Page | None:
    """The same staff page as the antenne coordinator; a matching page with a person of
    their antenne (None when it has nobody waiting, or no free mentor)."""
    url = page.url
    for label, name, key in MATCHING_PAGES:
        if page.label == label:
            pk = objects.get(f"antenne {key}")
            if pk is None:
                return None
            url = reverse(name, args=[pk])
    return dataclasses.replace(page, label=page.label + ANTENNE_SUFFIX, url=url, user=user)


def select(pages: list[Page], only: list[str]) -> list[Page]:
    """The pages whose label contains one of `only` (`bench --only`)."""
    return [page for page in pages if any(part in page.label for part in only)]


_numbers = itertools.count(1)


def _unique() -> tuple[str, str]:
    """A fresh e-mail and client address per POST: each one is a new registration, and the
    per-IP rate limit of the forms (10 an hour) is never reached by the benchmark."""
    number = next(_numbers)
    return (
        f"banc-{number:06d}@example.org",
        f"10.{number >> 16 & 255}.{number >> 8 & 255}.{number & 255}",
    )


class _Rollback(Exception):
    pass


def _request(client: Client, page: Page, *, queries=None) -> tuple[bool, float]:
    """One request: whether it did its job, and the server time of the client's call alone.

    A POST registers a new person, is checked, then rolled back so that the data set keeps its
    exact counts (its e-mails, sent after commit by Celery in production, are therefore not
    part of the server time). `queries`, a CaptureQueriesContext, records the call's queries."""
    capture = queries if queries is not None else contextlib.nullcontext()
    if page.cold_cache:
        empty_local_cache()
    if page.post is None:
        with capture:
            started = time.perf_counter()
            response = client.get(page.url)
            elapsed = time.perf_counter() - started
        expected = page.content_type is None or response["Content-Type"] == page.content_type
        return response.status_code == 200 and expected, elapsed
    email, address = _unique()
    data = {**page.post(), "email": email}
    try:
        with transaction.atomic():
            with capture:
                started = time.perf_counter()
                response = client.post(page.url, data, REMOTE_ADDR=address)
                elapsed = time.perf_counter() - started
            registered = response.status_code == 302 and User.objects.filter(email=email).exists()
            raise _Rollback
    except _Rollback:
        pass
    return registered, elapsed


def empty_local_cache() -> bool:
    """Empty this process's cache, when it is its own (local memory): the benchmark never
    empties a shared one (Redis), which may hold somebody else's data. Whether it did."""
    if not isinstance(caches["default"], LocMemCache):
        return False
    cache.clear()
    return True


def measure_page(page: Page, *, runs: int, warmup: int) -> Measure:
    """`warmup` requests that pay for imports, templates and caches, one whose queries are
    counted, then `runs` timed ones (a slow page: as many as PAGE_BUDGET_S allows, at least
    MIN_RUNS)."""
    measure = Measure(
        page.label, p95_target_ms=page.p95_target_ms, median_target_ms=page.median_target_ms
    )
    # The test client's host; the rest of the settings are the bench's (DEBUG off).
    with override_settings(ALLOWED_HOSTS=["testserver"]):
        client = Client()
        key = login(client, page.user) if page.user is not None else None
        try:
            results = [_request(client, page) for _ in range(warmup)]
            queries = CaptureQueriesContext(connection)
            results.append(_request(client, page, queries=queries))
            measure.queries = len(queries)
            measured = []
            deadline = time.monotonic() + PAGE_BUDGET_S
            while len(measured) < runs and (
                len(measured) < MIN_RUNS or time.monotonic() < deadline
            ):
                measured.append(_request(client, page))
            measure.timings = [elapsed for _, elapsed in measured]
            if len(measured) < runs:
                measure.value = f"{len(measured)} runs"
            results += measured
        finally:
            if key is not None:
                cookies.forget(key)  # its session row must not pile up in the database
    wording = "registers" if page.post else "answers 200"
    if page.content_type:
        wording += " with its file"
    measure.checks.append((wording, all(ok for ok, _ in results)))
    if page.cold_cache:
        measure.checks.append(("cold cache", isinstance(caches["default"], LocMemCache)))
    return measure


def measure_bare_view(*, runs: int, warmup: int) -> Measure:
    page = Page(BARE_VIEW, reverse("health"), p95_target_ms=None)
    return measure_page(page, runs=runs, warmup=warmup)
