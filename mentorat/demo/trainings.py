"""The demo's trainings: an initial training held three weeks ago, whose attendance is recorded
for the mentors already in a pair but one (left « à noter » for the staff home), a coming
initial training and a coming workshop by video, for the demo mentor to sign up to. Created
once: a database that has training sessions already is left as it is."""

import datetime

from django.utils import timezone

from matching.models import Mentorship
from mentors.enums import TrainingKind
from mentors.models import Mentor, TrainingRegistration, TrainingSession
from users.models import User

from .seed import COORDINATOR_EMAIL, MENTOR_EMAIL


def _at(days: int, hour: int) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def seed_demo_trainings() -> int:
    """Create the demo's training sessions once; return how many were created."""
    if TrainingSession.objects.exists():
        return 0
    coordinator = User.objects.filter(email=COORDINATOR_EMAIL).first()
    held = TrainingSession.objects.create(
        kind=TrainingKind.INITIAL,
        title="Formation initiale des mentors",
        starts_at=_at(-21, 18),
        duration_minutes=180,
        place="Maison des associations, 35 rue de Paris, Montreuil",
        capacity=15,
        created_by=coordinator,
    )
    TrainingSession.objects.create(
        kind=TrainingKind.INITIAL,
        title="Formation initiale des mentors",
        starts_at=_at(12, 18),
        duration_minutes=180,
        place="Maison des associations, 35 rue de Paris, Montreuil",
        capacity=15,
        created_by=coordinator,
    )
    TrainingSession.objects.create(
        kind=TrainingKind.WORKSHOP,
        title="Atelier : poser des objectifs avec son jeune",
        starts_at=_at(30, 19),
        duration_minutes=90,
        video_link="https://visio.example.org/atelier-objectifs",
        capacity=20,
        created_by=coordinator,
    )
    # The mentors already in a pair came to the held training; the demo mentor's attendance
    # is left to record, and the other approved mentors are not trained yet.
    in_a_pair = (
        Mentor.objects.filter(pk__in=Mentorship.objects.values("mentor"))
        .select_related("user")
        .order_by("pk")
    )
    for mentor in in_a_pair:
        to_record = mentor.user.email == MENTOR_EMAIL
        TrainingRegistration.objects.create(
            session=held,
            mentor=mentor,
            signed_up_at=held.starts_at - datetime.timedelta(days=10),
            attended=None if to_record else True,
            attendance_recorded_by=None if to_record else coordinator,
            attendance_recorded_at=None if to_record else held.ends_at,
        )
    return 3
