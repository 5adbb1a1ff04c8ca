"""`make bench`, fourth part: the daily reminder sweep at national scale (issue 6).

A benchmark, not a test: it runs on the benchmark database of `bench_matching` (never the test
or development one), prints its measures and a PASS/FAIL line per target, and exits non-zero
when a target is missed.

Data: the active pairs of the other benchmarks (about 10,000, with their sessions), topped up
to 40,000 with pairs of people of their own (`@rappels.` domain, so that the national counts
of the other benchmarks do not change), each with one recent session, in bulk and once.

Targets: `due_reminders()` decides what is due over every active pair in under 10 s, and its
number of queries is the same over a subset of 1,000 pairs as over all of them.
"""

import datetime
import random
import statistics
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from matching.enums import MentorshipStatus, Response
from matching.models import Mentorship
from mentees.models import Mentee
from mentorat.demo_national import NATIONAL_DOMAIN, _Generator, _national_staff
from mentorat.management.commands.bench_spaces import Command as SpacesBench
from mentors.models import Mentor
from reminders.sweep import due_reminders
from sessions.enums import SessionFormat, SessionTopic
from sessions.models import Session
from users.enums import RegistrationStatus
from users.models import User

PAIRS_WANTED = 40_000
TARGET_S = 10.0
SUBSET = 1_000
PAIRS_PER_MENTOR = 4
BATCH = 2_000
BENCH_DOMAIN = f"rappels.{NATIONAL_DOMAIN}"


class _Rollback(Exception):
    pass


class Command(BaseCommand):
    help = (
        "Mesure le calcul quotidien des rappels sur 40 000 binômes actifs (objectif : moins "
        "de 10 s, nombre de requêtes indépendant du nombre de binômes) ; lancé par `make bench`."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--pairs", type=int, default=PAIRS_WANTED)
        parser.add_argument("--runs", type=int, default=3, help="Timed runs (the median counts).")

    def handle(self, *args, pairs: int, runs: int, **options) -> None:
        if runs < 1:
            raise CommandError("--runs must be at least 1.")
        SpacesBench(stdout=self.stdout, stderr=self.stderr)._ensure_database()
        call_command("migrate", interactive=False, verbosity=0)
        if self._ensure_pairs(pairs) and connection.vendor == "postgresql":
            # Fresh bulk inserts have no planner statistics yet; a live database has them.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        today = timezone.localdate()
        active = Mentorship.objects.active().count()
        self.stdout.write(f"Data: {active} active pairs, {Session.objects.count()} sessions.")

        due_reminders(today=today)  # warm-up: imports, connection, caches
        timings, reminders = [], []
        for _ in range(runs):
            started = time.perf_counter()
            reminders = due_reminders(today=today)
            timings.append(time.perf_counter() - started)
        median = statistics.median(timings)
        with CaptureQueriesContext(connection) as whole:
            due_reminders(today=today)
        subset_queries = self._queries_on_subset(today)
        self.stdout.write(
            f"due_reminders(): {len(reminders)} reminders due; median {median:.2f} s, "
            f"min {min(timings):.2f} s over {runs} runs"
        )
        results = [
            self._verdict(
                f"1. Sweep over {active} active pairs",
                median < TARGET_S and active >= pairs,
                f"median {median:.2f} s (target < {TARGET_S:.0f} s)",
            ),
            self._verdict(
                "2. Queries independent of the number of pairs",
                len(whole) == subset_queries,
                f"{len(whole)} queries over {active} pairs, {subset_queries} over {SUBSET}",
            ),
        ]
        if not all(results):
            raise CommandError("At least one reminders target is missed (FAIL above).")
        self.stdout.write(self.style.SUCCESS("All reminders targets are met."))

    def _verdict(self, label: str, ok: bool, detail: str) -> bool:
        style = self.style.SUCCESS if ok else self.style.ERROR
        self.stdout.write(style(f"{'PASS' if ok else 'FAIL'}  {label}: {detail}"))
        return ok

    def _queries_on_subset(self, today: datetime.date) -> int:
        """The sweep's queries with only SUBSET pairs active: the others are closed inside a
        transaction that is rolled back, so the data is left as it was."""
        try:
            with transaction.atomic():
                active = Mentorship.objects.active()
                keep = list(active.order_by("pk").values_list("pk", flat=True)[:SUBSET])
                active.exclude(pk__in=keep).update(status=MentorshipStatus.CLOSED)
                with CaptureQueriesContext(connection) as queries:
                    due_reminders(today=today)
                raise _Rollback
        except _Rollback:
            pass
        return len(queries)

    # --- Set-up

    def _ensure_pairs(self, wanted: int) -> bool:
        """Top the active pairs up to `wanted` with bench people, in one transaction per
        batch (an interrupted run is topped up by the next one)."""
        missing = wanted - Mentorship.objects.active().count()
        if missing <= 0:
            return False
        self.stdout.write(f"Seeding {missing} active pairs for the reminders…")
        started = time.perf_counter()
        rng = random.Random(f"reminders:{missing}")
        now = timezone.now()
        today = timezone.localdate(now)
        staff = _national_staff()
        generator = _Generator(rng=rng, now=now, staff=staff)
        first = User.objects.filter(email__endswith=f"@{BENCH_DOMAIN}").count()
        for offset in range(0, missing, BATCH):
            size = min(BATCH, missing - offset)
            number = first + offset
            with transaction.atomic():
                mentors = self._people(generator, "mentor", number, -(-size // PAIRS_PER_MENTOR))
                mentees = self._people(generator, "jeune", number, size)
                pairs = []
                for index, mentee in enumerate(mentees):
                    started_on = today - datetime.timedelta(days=rng.randint(21, 330))
                    last = today - datetime.timedelta(days=rng.randint(0, 60))
                    pairs.append(
                        Mentorship(
                            mentor=mentors[index // PAIRS_PER_MENTOR],
                            mentee=mentee,
                            status=MentorshipStatus.ACTIVE,
                            score=70,
                            proposed_by=staff,
                            proposed_at=now - datetime.timedelta(days=(today - started_on).days),
                            mentor_response=Response.ACCEPTED,
                            mentee_response=Response.ACCEPTED,
                            started_on=started_on,
                            last_session_on=max(last, started_on),
                        )
                    )
                Mentorship.objects.bulk_create(pairs, batch_size=BATCH)
                Session.objects.bulk_create(
                    [
                        Session(
                            mentorship=pair,
                            held_on=pair.last_session_on,
                            duration_minutes=90,
                            format=SessionFormat.IN_PERSON,
                            topics=[SessionTopic.ORIENTATION],
                            summary="Point sur le projet.",
                            logged_by_id=pair.mentor.user_id,
                            logged_at=timezone.make_aware(
                                datetime.datetime.combine(pair.last_session_on, datetime.time(18))
                            ),
                        )
                        for pair in pairs
                    ],
                    batch_size=BATCH,
                )
        self.stdout.write(f"Seeded {missing} pairs in {time.perf_counter() - started:.0f} s.")
        return True

    def _people(self, generator: _Generator, prefix: str, first: int, count: int) -> list:
        users = [
            generator.user(f"{prefix}-{first + index:06d}@{BENCH_DOMAIN}") for index in range(count)
        ]
        User.objects.bulk_create([user for user, _ in users], batch_size=BATCH)
        build = generator.mentor if prefix == "mentor" else generator.mentee
        people = [build(user, civility) for user, civility in users]
        for person in people:
            person.status = RegistrationStatus.APPROVED
            if prefix == "mentor":
                person.capacity = PAIRS_PER_MENTOR
        model = Mentor if prefix == "mentor" else Mentee
        return model.objects.bulk_create(people, batch_size=BATCH)
