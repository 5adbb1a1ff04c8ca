"""`make bench`, last part: the speed of the admin at national scale (issue 7, « Speed »).

A benchmark, not a test: it runs on the benchmark database of `bench_matching` (never the test
or development one), which already holds the national data set, and prints, for each page,
its number of queries and the median server time of N runs, with a PASS/FAIL line against the
500 ms target. It exits non-zero when a target is missed.

The pages are rendered through Django's test client, logged in as a superuser (created once,
then reused): the changelists of the mentors, the young people, the pairs, the sessions, the
questionnaire responses and the reminders, the dashboard and the référent's home.
"""

import statistics
import time

from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

from users.models import User

PAGE_TARGET_MS = 500
BENCH_ADMIN_EMAIL = "admin-bench@mentorat.invalid"
PAGES = [
    ("Mentors (changelist)", "admin:mentors_mentor_changelist"),
    ("Young people (changelist)", "admin:mentees_mentee_changelist"),
    ("Pairs (changelist)", "admin:matching_mentorship_changelist"),
    ("Sessions (changelist)", "admin:mentoring_sessions_session_changelist"),
    ("Responses (changelist)", "admin:evaluations_response_changelist"),
    ("Reminders (changelist)", "admin:reminders_reminder_changelist"),
    ("Dashboard", "admin:dashboard"),
    ("Référent home", "admin:referent_home"),
]


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


class Command(BaseCommand):
    help = (
        "Mesure le temps de rendu des listes de l'admin, du tableau de bord et de l'accueil "
        "référent sur le jeu national (objectif : 500 ms) ; à lancer par `make bench`."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--runs", type=int, default=5, help="Timed requests per page (the median counts)."
        )

    def handle(self, *args, runs: int, **options) -> None:
        name = connection.settings_dict["NAME"]
        if "bench" not in name:
            raise CommandError(
                f"Refusing to run on {name!r}: set DATABASE_URL to the benchmark database."
            )
        call_command("migrate", interactive=False, verbosity=0)  # as the other benches
        self.stdout.write(f"Admin pages on {name}, median of {runs} runs each:")
        user = self._superuser()
        results = []
        # The test client's host; DEBUG is off as in production (make bench sets it).
        with override_settings(ALLOWED_HOSTS=["testserver"]):
            client = Client()
            client.force_login(user)
            try:
                for label, url_name in PAGES:
                    results.append(self._bench_page(client, label, reverse(url_name), runs))
            finally:
                client.logout()  # its session row must not pile up in the benchmark database
        if not all(results):
            raise CommandError("At least one admin page misses its target (FAIL above).")
        self.stdout.write(self.style.SUCCESS("All admin pages meet their target."))

    def _superuser(self) -> User:
        user, _ = User.objects.get_or_create(
            email=BENCH_ADMIN_EMAIL,
            defaults={
                "first_name": "Admin",
                "last_name": "Banc d'essai",
                "is_staff": True,
                "is_superuser": True,
                "password": make_password(None),
            },
        )
        return user

    def _bench_page(self, client: Client, label: str, url: str, runs: int) -> bool:
        self.stdout.write(f"\n{label}: GET {url}")
        response = client.get(url)  # the first call pays for imports, templates, connection
        if response.status_code != 200:
            return self._verdict(label, False, f"status {response.status_code}, not 200")
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        # Counted now: the next request empties the connection's query log.
        query_count = len(queries)
        timings = []
        for _ in range(runs):
            started = time.perf_counter()
            client.get(url)
            timings.append(time.perf_counter() - started)
        median = statistics.median(timings)
        self.stdout.write(
            f"   {query_count} queries, {len(response.content) // 1024} KiB; "
            f"median {_ms(median)}, min {_ms(min(timings))}, max {_ms(max(timings))}"
        )
        return self._verdict(
            label,
            median * 1000 < PAGE_TARGET_MS,
            f"median {_ms(median)}, {query_count} queries (target < {PAGE_TARGET_MS} ms)",
        )

    def _verdict(self, label: str, passed: bool, detail: str) -> bool:
        style = self.style.SUCCESS if passed else self.style.ERROR
        self.stdout.write(style(f"{'PASS' if passed else 'FAIL'}  {label}: {detail}"))
        return passed
