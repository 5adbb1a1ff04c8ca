"""`make bench`, second part: the speed of the personal spaces at national scale (issue 4).

A benchmark, not a test: it runs on the benchmark database of `bench_matching` (never the test
or development one), prints its measures and a PASS/FAIL line per target, and exits non-zero
when a target is missed.

Data: the national data set, topped up with 10,000 active pairs of about 5 sessions each
(evaluated, followed up, with objectives), and a "busy" mentor with three pairs, one of them
with 60 sessions: the heaviest space a real mentor would have.

1. « Mon espace » (`spaces:home`) of the busy mentor, rendered server-side through Django's
   test client: the median of N runs must stay under 50 ms.
2. The page of the pair with 60 sessions (`spaces:pair`), for its mentor: under 50 ms.
3. For information: `with_compliance()` over every active pair, and the `overdue()` count
   (the reminders and the reports read them).

A page that still answers 501 (not built yet) is reported as such and does not fail the run.
"""

import statistics
import time
from collections import Counter
from collections.abc import Callable

from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

from matching.models import Mentorship
from mentees.models import Mentee
from mentorat.demo_national import (
    BUSY_DOMAIN,
    NATIONAL_DOMAIN,
    NATIONAL_MENTEES,
    NATIONAL_MENTORS,
    NATIONAL_PAIRS,
    SESSIONS_PER_PAIR,
    seed_busy_mentor,
    seed_national,
    seed_national_pairs,
)
from mentors.models import Mentor
from sessions.models import Session
from users.models import User

PAGE_TARGET_MS = 50
BUSY_PAIR_SESSIONS = 60
# Each round of mentors added when the free slots run out before the pairs are all made.
EXTRA_MENTORS = 5_000
SEED_ROUNDS = 4
NOT_BUILT = 501
BENCH_COORDINATOR_EMAIL = f"coordination@{BUSY_DOMAIN}"


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


class Command(BaseCommand):
    help = (
        "Mesure le temps de rendu des espaces personnels (« Mon espace », page d'un binôme) "
        "sur le jeu national et le compare à l'objectif de 50 ms ; à lancer par `make bench`."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--runs", type=int, default=30, help="Timed requests per page (the median counts)."
        )
        parser.add_argument(
            "--pairs", type=int, default=NATIONAL_PAIRS, help="Active national pairs wanted."
        )
        parser.add_argument(
            "--sessions-per-pair",
            type=int,
            default=SESSIONS_PER_PAIR,
            help="Sessions per generated pair, on average.",
        )

    def handle(self, *args, runs: int, pairs: int, sessions_per_pair: int, **options) -> None:
        if runs < 1:
            raise CommandError("--runs must be at least 1.")
        self._ensure_database()
        call_command("migrate", interactive=False, verbosity=0)
        seeded = self._ensure_people()
        seeded |= self._ensure_pairs(pairs, sessions_per_pair)
        mentor = seed_busy_mentor(pairs=3, sessions=BUSY_PAIR_SESSIONS)
        if seeded and connection.vendor == "postgresql":
            # Fresh bulk inserts have no planner statistics yet; a live database has them.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self._describe()

        busy_pair = (
            Mentorship.objects.active()
            .filter(mentor=mentor)
            .order_by("started_on")
            .select_related("mentor__user")
            .first()
        )
        results = [
            self._bench_page(
                "1. « Mon espace » of a mentor with 3 pairs",
                reverse("spaces:home"),
                mentor.user,
                runs,
            ),
            self._bench_page(
                f"2. Page of a pair with {busy_pair.sessions.count()} sessions",
                reverse("spaces:pair", args=[busy_pair.pk]),
                mentor.user,
                runs,
            ),
        ]
        self.stdout.write("\n(info) Other spaces, no target of their own:")
        self._bench_page(
            "   « Mon espace » of the young person of that pair",
            reverse("spaces:home"),
            busy_pair.mentee.user,
            runs,
            info=True,
        )
        self._bench_page(
            "   « Mon espace » of a coordinator (every pair, a page at a time)",
            reverse("spaces:home"),
            self._coordinator(),
            runs,
            info=True,
        )
        self._bench_compliance(runs)
        if False in results:
            raise CommandError("At least one spaces target is missed (FAIL above).")
        if None in results:
            self.stdout.write(
                self.style.WARNING("Some spaces pages are not built yet: measure them later.")
            )
        else:
            self.stdout.write(self.style.SUCCESS("All spaces targets are met."))

    # --- Set-up

    def _ensure_database(self) -> None:
        """Create the benchmark database on first use (PostgreSQL), as bench_matching does."""
        if connection.vendor != "postgresql":
            self.stdout.write(f"Database: {connection.vendor} (not PostgreSQL: no creation).")
            return
        name = connection.settings_dict["NAME"]
        with connection._nodb_cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone() is None:
                cursor.execute(f"CREATE DATABASE {connection.ops.quote_name(name)}")
                self.stdout.write(f"Database {name} created.")
        self.stdout.write(f"Database: PostgreSQL {name}.")

    def _ensure_people(self) -> bool:
        """The national people, when this command runs without bench_matching before it."""
        national = {"user__email__endswith": f"@{NATIONAL_DOMAIN}"}
        mentees = Mentee.objects.filter(**national).count()
        mentors = Mentor.objects.filter(**national).count()
        if mentees >= NATIONAL_MENTEES and mentors >= NATIONAL_MENTORS:
            return False
        self.stdout.write("Seeding the national people…")
        seed_national(
            mentees=max(mentees, NATIONAL_MENTEES), mentors=max(mentors, NATIONAL_MENTORS)
        )
        return True

    def _ensure_pairs(self, wanted: int, sessions_per_pair: int) -> bool:
        """Top the pairs up; add mentors when their spare slots run out (the pairs leave every
        mentor a free slot, so that the matching benchmark keeps its available mentors)."""
        seeded = False
        for _ in range(SEED_ROUNDS):
            started = time.perf_counter()
            result = seed_national_pairs(pairs=wanted, sessions_per_pair=sessions_per_pair)
            if result.pairs_created:
                seeded = True
                self.stdout.write(
                    f"Seeded {result.pairs_created} pairs and {result.sessions_created} sessions "
                    f"in {time.perf_counter() - started:.0f} s."
                )
            if result.pairs_total >= wanted:
                return seeded
            mentors = Mentor.objects.filter(user__email__endswith=f"@{NATIONAL_DOMAIN}").count()
            mentees = Mentee.objects.filter(user__email__endswith=f"@{NATIONAL_DOMAIN}").count()
            self.stdout.write(
                f"{result.pairs_total} pairs of {wanted}: adding {EXTRA_MENTORS} mentors…"
            )
            seed_national(mentees=mentees, mentors=mentors + EXTRA_MENTORS)
            seeded = True
        raise CommandError(f"Could not make {wanted} national pairs.")

    def _describe(self) -> None:
        active = Mentorship.objects.active()
        self.stdout.write(
            f"Data: {active.count()} active pairs, {Session.objects.count()} sessions, "
            f"{Mentor.objects.count()} mentors, {Mentee.objects.count()} young people."
        )

    # --- Measures

    def _verdict(self, label: str, ok: bool, detail: str) -> bool:
        style = self.style.SUCCESS if ok else self.style.ERROR
        self.stdout.write(style(f"{'PASS' if ok else 'FAIL'}  {label}: {detail}"))
        return ok

    def _timed(self, call: Callable[[], object], runs: int) -> list[float]:
        call()  # the first call pays for imports, templates and connection set-up
        timings = []
        for _ in range(runs):
            started = time.perf_counter()
            call()
            timings.append(time.perf_counter() - started)
        return timings

    def _coordinator(self) -> User:
        user, _ = User.objects.get_or_create(
            email=BENCH_COORDINATOR_EMAIL,
            defaults={
                "first_name": "Coordination",
                "last_name": "Banc d'essai",
                "is_staff": True,
                "is_superuser": True,
                "password": make_password(None),
            },
        )
        return user

    def _bench_page(
        self, label: str, url: str, user, runs: int, *, info: bool = False
    ) -> bool | None:
        """The page's server time: the whole request through Django (middleware, view,
        queries, template) without the network. None when the page is not built yet (or
        only measured for information)."""
        self.stdout.write(f"{'' if info else chr(10)}{label}: GET {url}")
        # The test client's host; DEBUG is off as in production (make bench sets it).
        with override_settings(ALLOWED_HOSTS=["testserver"]):
            client = Client()
            client.force_login(user)
            try:
                response = client.get(url)
                if response.status_code == NOT_BUILT:
                    self.stdout.write(
                        self.style.WARNING(
                            f"SKIP  {label.strip()}: page not built yet (501), not measured."
                        )
                    )
                    return None
                if response.status_code != 200:
                    return self._verdict(label, False, f"status {response.status_code}, not 200")
                with CaptureQueriesContext(connection) as queries:
                    client.get(url)
                # Counted now: the next request empties the connection's query log.
                query_count = len(queries)
                timings = self._timed(lambda: client.get(url), runs)
            finally:
                client.logout()  # its session row must not pile up in the benchmark database
        median = statistics.median(timings)
        self.stdout.write(
            f"   {query_count} queries, {len(response.content) // 1024} KiB; "
            f"median {_ms(median)}, min {_ms(min(timings))}, max {_ms(max(timings))} "
            f"over {runs} runs"
        )
        if info:
            return None
        return self._verdict(
            label, median * 1000 < PAGE_TARGET_MS, f"median {_ms(median)} (target < 50 ms)"
        )

    def _bench_compliance(self, runs: int) -> None:
        """For information (no target in the issue): the programme's rhythm of every active
        pair in one query, as the admin lists, reminders and reports read it."""
        active = Mentorship.objects.active()
        count = active.count()
        self.stdout.write(f"\n3. (info) Programme rules over {count} active pairs")
        states: Counter = Counter()

        def annotate_all():
            states.clear()
            states.update(active.with_compliance().values_list("compliance", flat=True))

        runs = min(runs, 10)
        timings = self._timed(annotate_all, runs)
        self.stdout.write(
            f"   with_compliance() over all active pairs (values): median "
            f"{_ms(statistics.median(timings))}; {dict(sorted(states.items()))}"
        )
        timings = self._timed(lambda: list(active.with_compliance()), runs)
        self.stdout.write(
            f"   with_compliance() as model instances: median {_ms(statistics.median(timings))}"
        )
        overdue = Mentorship.objects.overdue().count()
        timings = self._timed(lambda: Mentorship.objects.overdue().count(), runs)
        self.stdout.write(
            f"   overdue().count() = {overdue}: median {_ms(statistics.median(timings))}"
        )
        timings = self._timed(lambda: Mentorship.objects.due_soon().count(), runs)
        self.stdout.write(f"   due_soon().count(): median {_ms(statistics.median(timings))}")
        timings = self._timed(lambda: Mentorship.objects.ready_to_close().count(), runs)
        self.stdout.write(
            f"   ready_to_close().count() = {Mentorship.objects.ready_to_close().count()}: "
            f"median {_ms(statistics.median(timings))}"
        )
