"""The key pages, timed through Django's test client: the server's time for the whole request
(middleware, view, queries, template), without the network, and its query count.

Every page is requested by the person it is for, chosen by the same rule in the small and the
national data set, so that their query counts can be compared.
"""

import contextlib
import itertools
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.db import connection, transaction
from django.db.models import Count, F, Q
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

from evaluations.enums import Moment, ResponseStatus
from evaluations.models import Response
from matching.capacity import open_pairs_count
from matching.enums import MentorshipStatus
from matching.models import Mentorship
from matching.selectors import mentees_awaiting_mentor
from mentorat.demo.bench.form_data import mentee_form_data, mentor_form_data
from mentorat.demo.bench.measure import Measure
from mentorat.demo.national import NATIONAL_DOMAIN
from mentorat.demo.programme import REFERENT_PREFIX
from mentorat.demo.seed import COORDINATOR_EMAIL
from mentors.models import Mentor
from users.models import User

PAGE_P95_MS = 100
DASHBOARD_P95_MS = 500
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
ADMIN_CHANGELISTS = [
    ("admin: mentors", "admin:mentors_mentor_changelist"),
    ("admin: young people", "admin:mentees_mentee_changelist"),
    ("admin: pairs", "admin:matching_mentorship_changelist"),
    ("admin: sessions", "admin:mentoring_sessions_session_changelist"),
    ("admin: questionnaire responses", "admin:evaluations_response_changelist"),
    ("admin: reminders", "admin:reminders_reminder_changelist"),
]
NATIONAL = f"@{NATIONAL_DOMAIN}"


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


def login(client: Client, user: User) -> None:
    """Log `user` in; staff also pass the second factor when django-otp guards the admin: a
    confirmed TOTP device of theirs is recorded in the session as verified, as the login
    would after the code."""
    client.force_login(user)
    if not user.is_staff or not apps.is_installed("django_otp.plugins.otp_totp"):
        return
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Banc d'essai", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def key_pages() -> list[Page]:
    """The pages of the table, with the person each is requested by."""
    mentor = (
        Mentor.objects.filter(user__email__endswith=NATIONAL)
        .annotate(
            active=Count("mentorships", filter=Q(mentorships__status=MentorshipStatus.ACTIVE))
        )
        .order_by("-active", "pk")
        .select_related("user")
        .first()
    )
    pair = (
        mentor.mentorships.filter(status=MentorshipStatus.ACTIVE)
        .annotate(held=Count("sessions"))
        .order_by("-held", "pk")
        .select_related("mentee__user")
        .first()
    )
    draft = (
        Response.objects.filter(
            moment=Moment.START,
            status=ResponseStatus.DRAFT,
            mentorship__status=MentorshipStatus.ACTIVE,
            mentorship__mentee__user__email__endswith=NATIONAL,
        )
        .order_by("pk")
        .select_related("mentorship__mentee__user")
        .first()
    )
    # Without a draft (a tiny data set), a pair without a start questionnaire: the first
    # request, a warm-up one, opens the draft.
    fill_pair = (
        draft.mentorship
        if draft
        else Mentorship.objects.active()
        .filter(mentee__user__email__endswith=NATIONAL, responses__isnull=True)
        .order_by("pk")
        .select_related("mentee__user")
        .first()
    )
    closed = (
        Response.objects.filter(
            moment=Moment.END,
            status=ResponseStatus.SUBMITTED,
            mentorship__mentee__user__email__endswith=NATIONAL,
        )
        .order_by("pk")
        .select_related("mentorship__mentor__user")
        .first()
    )
    coordinator = User.objects.get(email=COORDINATOR_EMAIL)
    referent = User.objects.get(email=f"{REFERENT_PREFIX}-0001{NATIONAL}")
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
            mentor.user,
            median_target_ms=SPACE_MEDIAN_MS,
        ),
        Page(
            "young person space",
            reverse("spaces:home"),
            pair.mentee.user,
            median_target_ms=SPACE_MEDIAN_MS,
        ),
        Page(
            "pair page (mentor)",
            reverse("spaces:pair", args=[pair.pk]),
            mentor.user,
            median_target_ms=SPACE_MEDIAN_MS,
        ),
        Page(
            "questionnaire (start, draft)",
            reverse("evaluations:fill", args=[fill_pair.pk, "debut"]),
            fill_pair.mentee.user,
        ),
        Page(
            "progress view (mentor)",
            reverse("evaluations:progress", args=[closed.mentorship_id]),
            closed.mentorship.mentor.user,
        ),
    ]
    pages += [Page(label, reverse(name), coordinator) for label, name in ADMIN_CHANGELISTS]
    pages += [
        Page(
            "coordinator dashboard",
            reverse("admin:dashboard"),
            coordinator,
            p95_target_ms=DASHBOARD_P95_MS,
        ),
        Page("référent home", reverse("admin:referent_home"), referent),
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
    # free place: each ranks the whole national pool of candidates.
    waiting = (
        mentees_awaiting_mentor().filter(user__email__endswith=NATIONAL).order_by("pk").first()
    )
    free_mentor = (
        Mentor.objects.approved()
        .filter(user__email__endswith=NATIONAL)
        .annotate(open_pairs=open_pairs_count())
        .filter(open_pairs__lt=F("capacity"))
        .order_by("pk")
        .first()
    )
    if waiting is not None:
        url = reverse("admin:mentees_mentee_matching", args=[waiting.pk])
        pages.append(Page("matching page (young person)", url, coordinator))
    if free_mentor is not None:
        url = reverse("admin:mentors_mentor_matching", args=[free_mentor.pk])
        pages.append(Page("matching page (mentor)", url, coordinator))
    return pages


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


def measure_page(page: Page, *, runs: int, warmup: int) -> Measure:
    """`warmup` requests that pay for imports, templates and caches, one whose queries are
    counted, then `runs` timed ones."""
    measure = Measure(
        page.label, p95_target_ms=page.p95_target_ms, median_target_ms=page.median_target_ms
    )
    # The test client's host; the rest of the settings are the bench's (DEBUG off).
    with override_settings(ALLOWED_HOSTS=["testserver"]):
        client = Client()
        if page.user is not None:
            login(client, page.user)
        try:
            results = [_request(client, page) for _ in range(warmup)]
            queries = CaptureQueriesContext(connection)
            results.append(_request(client, page, queries=queries))
            measure.queries = len(queries)
            measured = [_request(client, page) for _ in range(runs)]
            measure.timings = [elapsed for _, elapsed in measured]
            results += measured
        finally:
            if page.user is not None:
                client.logout()  # its session row must not pile up in the benchmark database
    wording = "registers" if page.post else "answers 200"
    if page.content_type:
        wording += " with its file"
    measure.checks.append((wording, all(ok for ok, _ in results)))
    return measure


def measure_bare_view(*, runs: int, warmup: int) -> Measure:
    page = Page(BARE_VIEW, reverse("health"), p95_target_ms=None)
    return measure_page(page, runs=runs, warmup=warmup)
