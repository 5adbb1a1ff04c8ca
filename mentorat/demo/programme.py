"""The national programme's life on top of the national people (`demo_national`): pairs,
sessions, questionnaires and référents, in bulk, as `seed_demo --scale national` builds them.

40,000 pairs hold exactly 200,000 sessions: about a third are active (the young people
awaiting a mentor stay numerous for the matching), the others closed after six months or more
with their objectives achieved. Most pairs have their start questionnaire, most closed ones
their end questionnaire too. The mentors with a pair are spread over référents of at most
REFERENT_CASELOAD_CAP mentors, as coordinators assign them.
"""

import dataclasses
import datetime
import itertools
import random
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from evaluations.enums import Moment, QuestionKind, ResponseStatus
from evaluations.models import Answer, Questionnaire, Response
from matching.models import Mentorship
from mentees.models import Mentee
from mentorat.demo.national import (
    DEFAULT_SEED,
    NATIONAL_DOMAIN,
    PAIRS_BATCH_SIZE,
    _chunks,
    _draw_pairs,
    _national_staff,
    _PairBuilder,
    _PairPlan,
)
from mentors.models import Mentor
from sessions.models import Session
from users.antennes import AntenneMembership
from users.enums import AntenneRole, RegistrationStatus
from users.models import User
from users.roles import REFERENTS_GROUP

NATIONAL_PROGRAMME_PAIRS = 40_000
NATIONAL_PROGRAMME_SESSIONS = 200_000
ACTIVE_SHARE = 0.3
# A closed pair lasted at least the programme's 6 months (183 days) and at most about a year.
CLOSED_DAYS = (183, 400)
# Start questionnaire sent by most young people, a few left as drafts; end one by most
# young people of a closed pair.
START_SUBMITTED, START_DRAFT, END_SUBMITTED = 0.85, 0.05, 0.8
REFERENT_PREFIX = "referent"
# Change of a scale answer from start to end, drawn uniformly from these.
PROGRESS = (-1, 0, 0, 1, 1, 1, 2)


@dataclass(frozen=True)
class NationalProgrammeResult:
    pairs_created: int
    pairs_total: int
    sessions_created: int
    responses_created: int


def national_pairs():
    return Mentorship.objects.filter(mentee__user__email__endswith=f"@{NATIONAL_DOMAIN}")


def seed_national_programme(
    *,
    pairs: int = NATIONAL_PROGRAMME_PAIRS,
    sessions: int = NATIONAL_PROGRAMME_SESSIONS,
    seed: int = DEFAULT_SEED,
) -> NationalProgrammeResult:
    """Top the national pairs up to `pairs` (active and closed) holding `sessions` sessions in
    all; nothing is done when they are present."""
    existing = national_pairs().count()
    missing = max(pairs - existing, 0)
    if not missing:
        return NationalProgrammeResult(0, existing, 0, 0)
    sessions_missing = max(
        sessions - Session.objects.filter(mentorship__in=national_pairs()).count(), 0
    )
    today = timezone.localdate()
    rng = random.Random(f"{seed}:programme:{existing}")
    staff = _national_staff()
    plans = _draw_pairs(
        rng,
        today=today,
        count=round(missing * ACTIVE_SHARE),
        sessions_per_pair=0,  # spread below, so that the total is exact
    )
    plans += _draw_closed_pairs(rng, today=today, count=missing - len(plans))
    _spread_sessions(rng, plans, total=sessions_missing, today=today)
    builder = _PairBuilder(rng=rng, today=today, now=timezone.now(), staff=staff)
    created = 0
    for chunk in _chunks(plans, PAIRS_BATCH_SIZE):
        # One transaction per chunk: an interrupted run leaves no pair without its sessions.
        with transaction.atomic():
            created += builder.create(chunk)
    responses = _seed_questionnaires(rng)
    _assign_referents(staff)
    return NationalProgrammeResult(len(plans), existing + len(plans), created, responses)


def _draw_closed_pairs(rng: random.Random, *, today: datetime.date, count: int) -> list:
    """Earlier pairs of approved people, closed after at least six months: they hold no slot,
    so any approved mentor and young person may have had one (never the same two twice)."""
    if count <= 0:
        return []
    national = {"user__email__endswith": f"@{NATIONAL_DOMAIN}"}
    # Reviewed long enough ago for a whole mentoring to fit before today.
    latest_review = timezone.now() - datetime.timedelta(days=CLOSED_DAYS[0] + 10)
    approved = {"status": RegistrationStatus.APPROVED, "reviewed_at__lt": latest_review}
    mentees = list(
        Mentee.objects.filter(**national, **approved).values_list("pk", "user_id", "reviewed_at")
    )
    mentors = list(
        Mentor.objects.filter(**national, **approved).values_list("pk", "user_id", "reviewed_at")
    )
    if not mentees or not mentors:
        return []
    taken = set(national_pairs().values_list("mentee_id", "mentor_id"))
    plans = []
    for _ in range(count * 3):
        if len(plans) == count:
            break
        mentee, mentor = rng.choice(mentees), rng.choice(mentors)
        if (mentee[0], mentor[0]) in taken:
            continue
        taken.add((mentee[0], mentor[0]))
        earliest = timezone.localdate(max(mentee[2], mentor[2])) + datetime.timedelta(days=3)
        latest = today - datetime.timedelta(days=CLOSED_DAYS[0] + 1)
        started_on = earliest + datetime.timedelta(
            days=rng.randint(0, max((latest - earliest).days, 0))
        )
        room = (today - started_on).days - 1
        length = rng.randint(CLOSED_DAYS[0], max(CLOSED_DAYS[0], min(CLOSED_DAYS[1], room)))
        plans.append(
            _PairPlan(
                mentee_id=mentee[0],
                mentee_user_id=mentee[1],
                mentor_id=mentor[0],
                mentor_user_id=mentor[1],
                same_department=False,
                started_on=started_on,
                sessions=0,
                ended_on=started_on + datetime.timedelta(days=length),
            )
        )
    return plans


def _spread_sessions(rng: random.Random, plans: list, *, total: int, today: datetime.date) -> None:
    """Give the plans exactly `total` sessions, in proportion to how long each pair has run
    (a meeting every 45 days or so), give or take; pairs of less than a month may have none."""
    weights = []
    for plan in plans:
        days = ((plan.ended_on or today) - plan.started_on).days
        weights.append(
            0.0 if days < 30 and rng.random() < 0.5 else (days + 45) * rng.uniform(0.6, 1.4)
        )
    scale = total / (sum(weights) or 1)
    shares = [weight * scale for weight in weights]
    counts = [int(share) for share in shares]
    # Largest remainders first, so that the counts add up to the total exactly.
    order = sorted(range(len(plans)), key=lambda index: counts[index] - shares[index])
    for index in order[: total - sum(counts)]:
        counts[index] += 1
    for index, plan in enumerate(plans):
        plans[index] = dataclasses.replace(plan, sessions=counts[index])


def _seed_questionnaires(rng: random.Random) -> int:
    """Start (and for closed pairs end) questionnaires of the national pairs that have none."""
    questionnaire = Questionnaire.objects.current().first()
    if questionnaire is None:
        return 0
    questions = {
        moment: list(questionnaire.questions.for_moment(moment).filter(kind=QuestionKind.SCALE))
        for moment in Moment
    }
    pending = national_pairs().filter(responses__isnull=True).order_by("pk")
    rows = list(pending.values_list("pk", "started_on", "ended_on"))
    created = 0
    for chunk in _chunks(rows, PAIRS_BATCH_SIZE):
        with transaction.atomic():
            responses, values = [], []
            for pk, started_on, ended_on in chunk:
                draw = rng.random()
                start = {q.pk: rng.randint(1, 5) for q in questions[Moment.START]}
                if draw < START_SUBMITTED + START_DRAFT:
                    submitted = draw < START_SUBMITTED
                    responses.append(
                        _response(pk, Moment.START, started_on, submitted, questionnaire)
                    )
                    values.append(start)
                if ended_on is not None and draw < START_SUBMITTED and rng.random() < END_SUBMITTED:
                    responses.append(_response(pk, Moment.END, ended_on, True, questionnaire))
                    # Most young people progress a little, some stay, a few go down.
                    values.append(
                        {
                            q.pk: min(5, max(1, start.get(q.pk, 3) + rng.choice(PROGRESS)))
                            for q in questions[Moment.END]
                        }
                    )
            Response.objects.bulk_create(responses)
            Answer.objects.bulk_create(
                [
                    Answer(response=response, question=question, scale_value=answers[question.pk])
                    for response, answers in zip(responses, values, strict=True)
                    for question in questions[response.moment]
                ],
                batch_size=5000,
            )
            created += len(responses)
    return created


def _response(pk, moment, on, submitted, questionnaire) -> Response:
    at = timezone.make_aware(datetime.datetime.combine(on, datetime.time(18)))
    return Response(
        mentorship_id=pk,
        moment=moment,
        questionnaire=questionnaire,
        status=ResponseStatus.SUBMITTED if submitted else ResponseStatus.DRAFT,
        started_at=at,
        submitted_at=at if submitted else None,
    )


def _assign_referents(staff: User) -> None:
    """The mentors the seed gave the national staff user, spread over référents of at most
    REFERENT_CASELOAD_CAP mentors each (created as needed, in the référents group), antenne by
    antenne: each référent has a place in the team of their mentors' antenne (none for the
    national programme's)."""
    cap = settings.REFERENT_CASELOAD_CAP
    mentors = list(
        Mentor.objects.filter(referent=staff)
        .order_by("antenne_id", "pk")
        .values_list("antenne_id", "pk")
    )
    if not mentors:
        return
    group = Group.objects.filter(name=REFERENTS_GROUP).first()
    # A top-up starts new référents: the earlier ones have a full caseload.
    first = (
        1
        + User.objects.filter(
            email__startswith=f"{REFERENT_PREFIX}-", email__endswith=f"@{NATIONAL_DOMAIN}"
        ).count()
    )
    caseloads = [
        (antenne_id, chunk)
        for antenne_id, people in itertools.groupby(mentors, key=lambda row: row[0])
        for chunk in _chunks((pk for _, pk in people), cap)
    ]
    with transaction.atomic():
        for number, (antenne_id, chunk) in enumerate(caseloads, start=first):
            referent, created = User.objects.get_or_create(
                email=f"{REFERENT_PREFIX}-{number:04d}@{NATIONAL_DOMAIN}",
                defaults={
                    "first_name": "Référent",
                    "last_name": f"N° {number}",
                    "is_staff": True,
                    "password": make_password(None),
                },
            )
            if created and group is not None:
                referent.groups.add(group)
            if created and antenne_id is not None:
                AntenneMembership.objects.create(
                    user=referent, antenne_id=antenne_id, role=AntenneRole.REFERENT
                )
            Mentor.objects.filter(pk__in=chunk).update(referent=referent)
