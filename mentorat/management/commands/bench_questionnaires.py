"""`make bench`, third part: the programme-level questionnaire figures at national scale
(issue 5).

A benchmark, not a test: it runs on the benchmark database of `bench_matching` (never the test
or development one), prints its measures and a PASS/FAIL line per target, and exits non-zero
when a target is missed.

Data: 40,000 closed pairs whose young person submitted both the start and the end
questionnaire (seven scale answers each), bulk-created once between the national mentors and
young people. Closed pairs hold no slot and do not count as a young person's open pair, so
they leave the other benchmarks' data as it was.

Targets: `programme_progress()` unfiltered, filtered by département and filtered by priority
public, each under 1 s (the median of a few runs).
"""

import datetime
import random
import statistics
import time
from collections.abc import Callable

from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.db.models import Count, Exists, OuterRef
from django.utils import timezone

from evaluations.enums import Moment, QuestionKind, ResponseStatus
from evaluations.models import Answer, Questionnaire, Response
from evaluations.selectors import programme_progress
from matching.enums import CloseReason, MentorshipStatus
from matching.models import Mentorship
from mentees.models import Mentee
from mentorat.demo_national import NATIONAL_DOMAIN
from mentors.models import Mentor
from users.models import User

PAIRS_WANTED = 40_000
TARGET_S = 1.0
BATCH = 2_000
# The pairs this command makes say so, for whoever reads the benchmark database.
BENCH_COMMENT = "Binôme du banc d'essai des questionnaires."
BENCH_COORDINATOR_EMAIL = f"coordination@questionnaires.{NATIONAL_DOMAIN}"


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


class Command(BaseCommand):
    help = (
        "Mesure le calcul des chiffres de progression du programme (questionnaires de début et "
        "de fin) sur 40 000 binômes et le compare à l'objectif de 1 s ; lancé par `make bench`."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--pairs", type=int, default=PAIRS_WANTED)
        parser.add_argument("--runs", type=int, default=5, help="Timed runs (the median counts).")

    def handle(self, *args, pairs: int, runs: int, **options) -> None:
        if runs < 1:
            raise CommandError("--runs must be at least 1.")
        self._ensure_database()
        call_command("migrate", interactive=False, verbosity=0)
        if self._ensure_pairs(pairs) and connection.vendor == "postgresql":
            # Fresh bulk inserts have no planner statistics yet; a live database has them.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")

        department = self._busiest_department()
        results = [
            self._bench("1. programme_progress(), every pair", {}, runs),
            self._bench(
                f"2. programme_progress(department={department!r})",
                {"department": department},
                runs,
            ),
            self._bench(
                "3. programme_progress(priority='lives_in_qpv')", {"priority": "lives_in_qpv"}, runs
            ),
        ]
        if not all(results):
            raise CommandError("At least one questionnaire target is missed (FAIL above).")
        self.stdout.write(self.style.SUCCESS("All questionnaire targets are met."))

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

    def _complete_pairs(self) -> int:
        submitted = Response.objects.filter(
            mentorship=OuterRef("pk"), status=ResponseStatus.SUBMITTED
        )
        return (
            Mentorship.objects.filter(Exists(submitted.filter(moment=Moment.START)))
            .filter(Exists(submitted.filter(moment=Moment.END)))
            .count()
        )

    def _ensure_pairs(self, wanted: int) -> bool:
        """Top the pairs with both responses up to `wanted`; True when something was made."""
        missing = wanted - self._complete_pairs()
        if missing <= 0:
            self.stdout.write(f"Data: {wanted}+ pairs with both questionnaires submitted.")
            return False
        mentees = list(
            Mentee.objects.filter(user__email__endswith=f"@{NATIONAL_DOMAIN}")
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        mentors = list(
            Mentor.objects.filter(user__email__endswith=f"@{NATIONAL_DOMAIN}")
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        if not mentees or not mentors:
            raise CommandError("No national people: run `manage.py bench_matching` first.")
        questionnaire = Questionnaire.objects.current().get()
        scales = list(questionnaire.questions.filter(kind=QuestionKind.SCALE).order_by("order"))
        coordinator = self._coordinator()
        rng = random.Random(5)
        started = time.perf_counter()
        self.stdout.write(f"Seeding {missing} closed pairs with both questionnaires…")
        already = Mentorship.objects.filter(close_comment=BENCH_COMMENT).count()
        for first in range(0, missing, BATCH):
            size = min(BATCH, missing - first)
            offset = already + first
            self._seed_batch(
                offset, size, mentees, mentors, questionnaire, scales, coordinator, rng
            )
        self.stdout.write(f"Seeded in {time.perf_counter() - started:.0f} s.")
        return True

    @transaction.atomic
    def _seed_batch(self, offset, size, mentees, mentors, questionnaire, scales, coordinator, rng):
        today = timezone.localdate()
        now = timezone.now()
        pairs = []
        for index in range(offset, offset + size):
            ended_on = today - datetime.timedelta(days=rng.randrange(0, 720))
            pairs.append(
                Mentorship(
                    mentee_id=mentees[index % len(mentees)],
                    mentor_id=mentors[(index * 7) % len(mentors)],
                    status=MentorshipStatus.CLOSED,
                    score=rng.randrange(40, 100),
                    proposed_by=coordinator,
                    proposed_at=now - datetime.timedelta(days=(today - ended_on).days + 200),
                    started_on=ended_on - datetime.timedelta(days=190),
                    ended_on=ended_on,
                    close_reason=CloseReason.OBJECTIVES_ACHIEVED,
                    close_comment=BENCH_COMMENT,
                    closed_by=coordinator,
                )
            )
        pairs = Mentorship.objects.bulk_create(pairs)
        responses = []
        for pair in pairs:
            for moment, on in ((Moment.START, pair.started_on), (Moment.END, pair.ended_on)):
                at = timezone.make_aware(datetime.datetime.combine(on, datetime.time(18)))
                responses.append(
                    Response(
                        mentorship=pair,
                        moment=moment,
                        questionnaire=questionnaire,
                        status=ResponseStatus.SUBMITTED,
                        started_at=at,
                        submitted_at=at,
                    )
                )
        responses = Response.objects.bulk_create(responses)
        answers = []
        for start, end in zip(responses[::2], responses[1::2], strict=True):
            for question in scales:
                before = rng.randint(1, 5)
                # Most young people progress a little, some stay, a few go down.
                after = min(5, max(1, before + rng.choice((-1, 0, 0, 1, 1, 1, 2))))
                answers.append(Answer(response=start, question=question, scale_value=before))
                answers.append(Answer(response=end, question=question, scale_value=after))
        Answer.objects.bulk_create(answers, batch_size=5_000)

    def _coordinator(self) -> User:
        user, _ = User.objects.get_or_create(
            email=BENCH_COORDINATOR_EMAIL,
            defaults={
                "first_name": "Coordination",
                "last_name": "Questionnaires",
                "is_staff": True,
                "password": make_password(None),
            },
        )
        return user

    def _busiest_department(self) -> str:
        return (
            Mentee.objects.filter(mentorships__close_comment=BENCH_COMMENT)
            .values("department")
            .annotate(pairs=Count("pk"))
            .order_by("-pairs")
            .values_list("department", flat=True)
            .first()
        )

    # --- Measures

    def _timed(self, call: Callable[[], object], runs: int) -> list[float]:
        call()  # the first call pays for the connection and the cold cache
        timings = []
        for _ in range(runs):
            started = time.perf_counter()
            call()
            timings.append(time.perf_counter() - started)
        return timings

    def _bench(self, label: str, filters: dict, runs: int) -> bool:
        rows = programme_progress(**filters)
        timings = self._timed(lambda: programme_progress(**filters), runs)
        median = statistics.median(timings)
        pairs = rows[0]["pairs"] if rows else 0
        ok = median < TARGET_S
        style = self.style.SUCCESS if ok else self.style.ERROR
        self.stdout.write(
            f"\n{label}: {len(rows)} questions, {pairs} pairs per question; "
            f"median {_ms(median)}, min {_ms(min(timings))}, max {_ms(max(timings))}"
        )
        self.stdout.write(
            style(f"{'PASS' if ok else 'FAIL'}  {label}: median {_ms(median)} (target < 1 s)")
        )
        return ok
