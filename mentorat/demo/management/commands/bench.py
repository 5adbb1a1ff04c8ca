"""`make bench`: the national-scale benchmark, in one run and one table.

A benchmark, not a test: it runs on its own PostgreSQL database (`DATABASE_URL`, whose name
must contain "bench"), seeds the national data set there when it is missing
(`seed_demo --scale national`), and measures:

- each key page's server time (median and p95 of --runs requests after --warmup ones, through
  Django's test client: no network) and query count, as a ratio to a bare Django view
  (`/sante/`) measured in the same run, so that results compare across machines;
- the matching (suggestions, batch), the reminder sweep and the programme figures;
- the query counts again on a small data set (`<name>_small`, `seed_demo --scale small`, in a
  child process): they must be the same;
- the staff pages again as the coordinator of one antenne (issue 17), under the same targets;
- the throughput of every page (bench/catalogue.py: every member page and staff page, logged
  in, and the forms) through gunicorn (2 workers) on loopback under wrk, each as a share of the
  bare view's in the same run;
- two gunicorn processes on two ports sharing only PostgreSQL and Redis (bench/cluster.py):
  sessions, rate limits and cache entries through one are seen through the other.

It prints one table with a PASS/FAIL per target and exits non-zero when one fails.
"""

import json
import os
import random
import secrets
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from evaluations.models import Response
from matching.models import Mentorship
from mentees.models import Mentee
from mentorat.demo.bench import (
    catalogue,
    cluster,
    cookies,
    dataset,
    load,
    operations,
    pages,
    report,
)
from mentorat.demo.bench.measure import Measure
from mentorat.demo.national import NATIONAL_DOMAIN, NATIONAL_MENTEES, NATIONAL_MENTORS
from mentorat.demo.national_antennes import NATIONAL_ANTENNES, SMALL_ANTENNES
from mentorat.demo.programme import (
    NATIONAL_PROGRAMME_PAIRS,
    NATIONAL_PROGRAMME_SESSIONS,
    national_pairs,
)
from mentors.models import Mentor
from sessions.models import Session
from users.antennes import Antenne

SUGGESTED_YOUNG_PEOPLE = 15


def _load_average() -> str:
    try:
        return ", ".join(f"{value:.2f}" for value in os.getloadavg())
    except OSError:
        return "unknown"


def _unreachable(redis_url: str) -> str:
    """Why Redis at `redis_url` does not answer; empty when it does."""
    import redis

    try:
        redis.Redis.from_url(redis_url, socket_connect_timeout=1, socket_timeout=1).ping()
    except (redis.exceptions.RedisError, OSError, ValueError) as error:
        return str(error) or error.__class__.__name__
    return ""


def _redis_line(redis_url: str, error: str) -> Measure:
    line = Measure("two processes: Redis", value=f"{redis_url}: {error}")
    line.checks.append(("answers (BENCH_REDIS_URL)", False))
    return line


class Command(BaseCommand):
    help = (
        "Mesure les pages clés, l'appariement, les rappels et la charge sur le jeu national "
        "(créé au besoin) et imprime un tableau avec les objectifs ; lancé par `make bench`."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--runs", type=int, default=30, help="Timed requests per page.")
        parser.add_argument("--warmup", type=int, default=3, help="Untimed requests before.")
        parser.add_argument(
            "--small-database-url",
            help="The small data set's database (by default: this one's name + _small).",
        )
        parser.add_argument("--no-load", action="store_true", help="Skip gunicorn and wrk.")
        parser.add_argument(
            "--load-only",
            action="store_true",
            help="Only the throughput of the pages and the two processes' checks (with --only: "
            "the pages whose label contains SUBSTRING), against the data set already seeded.",
        )
        parser.add_argument(
            "--load-seconds",
            type=float,
            default=load.SECONDS,
            help="Seconds of wrk per page.",
        )
        parser.add_argument(
            "--only",
            action="append",
            metavar="SUBSTRING",
            help="Measure only the pages whose label contains SUBSTRING (repeatable), against "
            "the data set already seeded; skips the small data set, the operations and the "
            "load, so that one iteration takes seconds.",
        )
        parser.add_argument(
            "--queries-only",
            action="store_true",
            help="Seed the small data set and print the query counts as JSON (used by the "
            "benchmark on its small database).",
        )

    def handle(
        self,
        *args,
        runs,
        warmup,
        small_database_url,
        no_load,
        load_only,
        load_seconds,
        queries_only,
        only,
        **options,
    ):
        if runs < 1 or warmup < 0 or load_seconds <= 0:
            raise CommandError(
                "--runs must be at least 1, --warmup at least 0 and --load-seconds positive."
            )
        name = str(connection.settings_dict["NAME"])
        if "bench" not in name:
            raise CommandError(
                f"Refusing to run on {name!r}: set DATABASE_URL to a benchmark database."
            )
        self._ensure_database(name)
        call_command("migrate", interactive=False, verbosity=0)
        if queries_only:
            self._ensure_data("small")
            self.stdout.write(json.dumps(self._query_counts()))
            return
        if load_only:
            if not national_pairs().exists():
                raise CommandError("The national data set is missing: run `make bench` once.")
            sections, bare_load = self._load(only, seconds=load_seconds)
            self._conclude(sections, bare=Measure("bare"), bare_load=bare_load)
            return
        if only:
            self._measure_only(only, runs=runs, warmup=warmup)
            return
        self._ensure_data("national")
        self._describe()
        small = self._small_query_counts(small_database_url or self._small_url(name))

        self.stdout.write(f"Measuring ({runs} runs after {warmup} warm-up runs per page)…")
        bare = pages.measure_bare_view(runs=runs, warmup=warmup)
        page_measures = [
            pages.measure_page(page, runs=runs, warmup=warmup) for page in pages.key_pages()
        ]
        rng = random.Random(3)
        work = [
            operations.suggestions(rng, count=SUGGESTED_YOUNG_PEOPLE),
            operations.batch(rng),
            operations.reminder_sweep(runs=3),
            *operations.programme_figures(runs=5),
        ]
        sections = [
            ("pages (server time through the test client)", [bare, *page_measures]),
            (
                "staff admin issue (national data)",
                report.admin_issue_lines(page_measures, target_ms=pages.ADMIN_ISSUE_P95_MS),
            ),
            (
                "funders' report, issue 15 (national data)",
                report.bilan_lines(
                    page_measures, labels=pages.BILAN_LABELS, target_ms=pages.BILAN_P95_MS
                ),
            ),
            ("operations", work),
            ("queries: national / small data set", report.query_lines(page_measures + work, small)),
        ]
        bare_load = None
        if not no_load:
            load_sections, bare_load = self._load(None, seconds=load_seconds)
            sections += load_sections
        self._conclude(sections, bare=bare, bare_load=bare_load)

    def _conclude(self, sections, *, bare: Measure, bare_load: Measure | None) -> None:
        self.stdout.write(report.table(sections, bare=bare, bare_load=bare_load))
        self.stdout.write(
            "Timings depend on the machine and its load; the ratio to the bare view compares "
            f"across machines. Load average: {_load_average()}."
        )
        failed = report.failures(sections)
        if failed:
            raise CommandError(f"{len(failed)} target(s) missed: {', '.join(failed)}.")
        self.stdout.write(self.style.SUCCESS("Every target is met."))

    def _load(self, only: list[str] | None, *, seconds: float):
        """Every page of the catalogue under load through one gunicorn, then the checks of two
        gunicorn processes on Redis; (sections, the bare view's load line)."""
        entries, missing = catalogue.entries(catalogue.cast())
        if only:
            entries = [
                entry
                for entry in entries
                if entry.spec.name == "health" or any(part in entry.label for part in only)
            ]
        redis_url = os.environ.get("BENCH_REDIS_URL", load.DEFAULT_REDIS_URL)
        redis_error = _unreachable(redis_url)
        token = secrets.token_urlsafe(16)
        sessions: dict[int, str] = {}
        csrf = load.csrf_secret()

        def cookie_for(user) -> str | None:
            if user is None:
                return None
            if user.pk not in sessions:
                sessions[user.pk] = cookies.session_key(user)
            return f"{cookies.cookie_header(sessions[user.pk])}; {settings.CSRF_COOKIE_NAME}={csrf}"

        self.stdout.write(
            f"Load: {len(entries)} pages through gunicorn ({load.WORKERS} workers) and wrk, "
            f"{seconds:g} s each, then two gunicorn processes sharing PostgreSQL and Redis "
            f"(load average {_load_average()})…"
        )
        database_url = os.environ.get("DATABASE_URL", "")

        def server(name: str, redis: str) -> load.Server:
            return load.Server(name=name, database_url=database_url, redis_url=redis, token=token)

        # The rows the pages write while loaded are deleted afterwards (dataset.py).
        with dataset.kept():
            try:
                # Every page through one process with the site's default cache (its own
                # memory, as when issue 18 set the ratios): the bare view is then the
                # framework's floor, without the health check's Redis round trips.
                with server("single", "") as single:
                    bare, measures = load.every_page(
                        entries,
                        base=single.base,
                        cookie_for=lambda entry: cookie_for(entry.user),
                        seconds=seconds,
                        progress=self._progress(len(entries)),
                    )
                if redis_error:
                    lines = [_redis_line(redis_url, redis_error)]
                else:
                    with server("A", redis_url) as a, server("B", redis_url) as b:
                        lines = cluster.checks(
                            a,
                            b,
                            token=token,
                            pages=self._cluster_pages(entries, cookie_for),
                            seconds=seconds,
                        )
            finally:
                cookies.forget(*sessions.values())
        not_measured = [
            Measure(f"not measured: {spec.title()}", value="nothing of the kind in the data set")
            for spec in missing
        ]
        sections = [
            (
                "throughput of every page, logged in (ratio to the bare view's req/s)",
                [bare, *measures, *not_measured],
            ),
            ("two gunicorn processes A and B: one database, one Redis", lines),
        ]
        return sections, bare

    @staticmethod
    def _cluster_pages(entries, cookie_for) -> list[tuple[str, str, str | None]]:
        """The pages compared and loaded through both processes: one of each kind."""
        wanted = {
            ("health", None): "bare view",
            ("mentees:register", None): "young person registration form",
            ("spaces:home", "mentor"): "mentor space",
            ("admin:staff_home", "coordinator"): "coordinator staff home",
        }
        pages = []
        for entry in entries:
            who = None if entry.user is None else entry.spec.who
            label = wanted.get((entry.spec.name, who))
            if label:
                pages.append((label, entry.url, cookie_for(entry.user)))
        return pages

    def _progress(self, total: int):
        done = iter(range(1, total + 1))

        def step(label: str) -> None:
            number = next(done)
            if number % 20 == 0:
                self.stderr.write(f"  {number} / {total} pages loaded…")

        return step

    def _measure_only(self, only: list[str], *, runs: int, warmup: int) -> None:
        """The quick loop of someone tuning a few pages: no seeding, no other measure."""
        if not national_pairs().exists():
            raise CommandError("The national data set is missing: run `make bench` once.")
        selected = pages.select(pages.key_pages(), only)
        if not selected:
            raise CommandError(f"No page label contains any of {only!r}.")
        self.stdout.write(f"Measuring {len(selected)} page(s) ({runs} runs after {warmup})…")
        bare = pages.measure_bare_view(runs=runs, warmup=warmup)
        measures = [pages.measure_page(page, runs=runs, warmup=warmup) for page in selected]
        sections = [("pages (server time through the test client)", [bare, *measures])]
        self._conclude(sections, bare=bare, bare_load=None)

    # --- Data

    def _ensure_database(self, name: str) -> None:
        if connection.vendor != "postgresql":
            return
        with connection._nodb_cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone() is None:
                cursor.execute(f"CREATE DATABASE {connection.ops.quote_name(name)}")
                self.stderr.write(f"Database {name} created.")

    def _ensure_data(self, scale: str) -> None:
        """Seed when the data set is not there (`seed_demo` itself only tops up)."""
        if scale == "national":
            present = (
                Mentee.objects.filter(user__email__endswith=f"@{NATIONAL_DOMAIN}").count()
                >= NATIONAL_MENTEES
                and national_pairs().count() >= NATIONAL_PROGRAMME_PAIRS
                and Antenne.objects.count() >= NATIONAL_ANTENNES
            )
        else:
            present = national_pairs().exists() and Antenne.objects.count() >= SMALL_ANTENNES
        if not present:
            self.stderr.write(f"Seeding the {scale} data set (seed_demo --scale {scale})…")
            call_command("seed_demo", scale=scale, stdout=self.stderr)
        if connection.vendor == "postgresql":
            # Bulk inserts leave no planner statistics and no visibility map (autovacuum may
            # not have come by yet, or be off); a live database has both, and index-only
            # scans (counts, distinct values) need the map. A few seconds at national scale.
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")

    def _describe(self) -> None:
        national = {"user__email__endswith": f"@{NATIONAL_DOMAIN}"}
        counts = {
            "young people": Mentee.objects.filter(**national).count(),
            "mentors": Mentor.objects.filter(**national).count(),
            "pairs": national_pairs().count(),
            "active pairs": Mentorship.objects.active().count(),
            "sessions": Session.objects.filter(mentorship__in=national_pairs()).count(),
            "questionnaires": Response.objects.filter(mentorship__in=national_pairs()).count(),
            "antennes": Antenne.objects.count(),
        }
        wanted = (NATIONAL_MENTEES, NATIONAL_MENTORS, NATIONAL_PROGRAMME_PAIRS)
        self.stdout.write(
            f"National data set on {settings.DATABASES['default']['NAME']}: "
            + ", ".join(f"{value:,} {label}" for label, value in counts.items())
            + f" (wanted {wanted[0]:,} / {wanted[1]:,} / {wanted[2]:,} pairs / "
            f"{NATIONAL_PROGRAMME_SESSIONS:,} sessions)."
        )

    # --- The small data set's query counts

    @staticmethod
    def _small_url(name: str) -> str:
        url = os.environ.get("DATABASE_URL", "")
        if not url.startswith("postgres"):
            raise CommandError(
                "DATABASE_URL must point to PostgreSQL (or give --small-database-url)."
            )
        base, _, tail = url.rpartition("/")
        query = tail.partition("?")[2]
        return f"{base}/{name}_small" + (f"?{query}" if query else "")

    def _small_query_counts(self, url: str) -> dict[str, int]:
        self.stdout.write(f"Query counts on the small data set ({url.rpartition('/')[2]})…")
        result = subprocess.run(
            [sys.executable, "manage.py", "bench", "--queries-only", "--warmup", "2"],
            env={**os.environ, "DATABASE_URL": url},
            capture_output=True,
            text=True,
            cwd=settings.BASE_DIR,
        )
        if result.returncode:
            raise CommandError(f"The small data set's run failed:\n{result.stderr[-3000:]}")
        return json.loads(result.stdout.strip().splitlines()[-1])

    def _query_counts(self) -> dict[str, int]:
        measures: list[Measure] = [
            pages.measure_page(page, runs=1, warmup=2) for page in pages.key_pages()
        ]
        measures += [
            operations.suggestions(random.Random(3), count=1),
            operations.reminder_sweep(runs=1),
            *operations.programme_figures(runs=1),
        ]
        return {m.label: m.queries for m in measures if m.queries is not None}
