"""Training sessions for mentors (the initial training before a first pair, the workshops of
good practice) and each mentor's registration to one: signed up by the mentor, attendance
recorded by staff. Imported by models.py: Django finds them there."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from .enums import TrainingKind

# Bounds of a training session's length and seats (the admin's form states them).
TRAINING_MIN_MINUTES = 30
TRAINING_MAX_MINUTES = 8 * 60
TRAINING_MAX_CAPACITY = 200


class TrainingSessionQuerySet(models.QuerySet):
    def upcoming(self, *, now: datetime.datetime | None = None):
        """Sessions not yet started, the soonest first."""
        return self.filter(starts_at__gt=now or timezone.now()).order_by("starts_at", "pk")

    def open_to(self, antenne_id: int | None):
        """The sessions a mentor of this antenne (None: the national programme) may attend:
        the national ones and their antenne's."""
        open_to = Q(antenne__isnull=True)
        if antenne_id is not None:
            open_to |= Q(antenne_id=antenne_id)
        return self.filter(open_to)

    def with_seats(self):
        """Annotate `signed_up`: the mentors registered, in the same query."""
        return self.annotate(signed_up=Count("registrations", distinct=True))


class TrainingSession(models.Model):
    kind = models.CharField("type", max_length=16, choices=TrainingKind.choices)
    title = models.CharField("intitulé", max_length=150)
    starts_at = models.DateTimeField("date et heure", db_index=True)
    duration_minutes = models.PositiveSmallIntegerField(
        "durée (minutes)",
        default=180,
        validators=[
            MinValueValidator(TRAINING_MIN_MINUTES),
            MaxValueValidator(TRAINING_MAX_MINUTES),
        ],
    )
    place = models.CharField("lieu", max_length=200, blank=True)
    video_link = models.URLField("lien de visio", max_length=500, blank=True)
    capacity = models.PositiveSmallIntegerField(
        "nombre de places",
        validators=[MinValueValidator(1), MaxValueValidator(TRAINING_MAX_CAPACITY)],
    )
    # An antenne's own session, for its mentors; none: a national session, open to every
    # mentor. An antenne with sessions is not deleted.
    antenne = models.ForeignKey(
        "users.Antenne",
        verbose_name="antenne",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="training_sessions",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="créée par",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField("créée le", default=timezone.now)

    objects = TrainingSessionQuerySet.as_manager()

    class Meta:
        verbose_name = "session de formation"
        verbose_name_plural = "sessions de formation"
        ordering = ["-starts_at", "-pk"]

    def __str__(self):
        when = timezone.localtime(self.starts_at)
        return f"{self.title} ({when:%d/%m/%Y %H:%M})"

    @property
    def ends_at(self) -> datetime.datetime:
        return self.starts_at + datetime.timedelta(minutes=self.duration_minutes)

    def clean(self):
        if not self.place.strip() and not self.video_link:
            raise ValidationError({"place": "Indiquez un lieu ou un lien de visio (ou les deux)."})


class TrainingRegistrationQuerySet(models.QuerySet):
    def attended(self):
        return self.filter(attended=True)

    def to_record(self, *, now: datetime.datetime | None = None):
        """Seats of sessions already started whose attendance nobody has recorded yet."""
        return self.filter(attended__isnull=True, session__starts_at__lte=now or timezone.now())


class TrainingRegistration(models.Model):
    """A mentor's seat at a training session: taken by the mentor from their space (or by
    staff), then marked attended or not by staff."""

    session = models.ForeignKey(
        TrainingSession,
        verbose_name="session",
        on_delete=models.CASCADE,
        related_name="registrations",
    )
    mentor = models.ForeignKey(
        "mentors.Mentor",
        verbose_name="mentor",
        on_delete=models.CASCADE,
        related_name="training_registrations",
    )
    signed_up_at = models.DateTimeField("inscrit le", default=timezone.now)
    # None until staff record it.
    attended = models.BooleanField("présent", null=True, blank=True)
    attendance_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="présence notée par",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    attendance_recorded_at = models.DateTimeField("présence notée le", null=True, blank=True)

    objects = TrainingRegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = "inscription à une formation"
        verbose_name_plural = "inscriptions aux formations"
        ordering = ["session__starts_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "mentor"], name="one_registration_per_mentor_and_session"
            )
        ]
        indexes = [models.Index(fields=["mentor", "attended"])]

    def __str__(self):
        return f"{self.mentor} – {self.session}"


def attended_initial_training() -> Exists:
    """On mentors: attended an initial training (recorded by staff)."""
    return Exists(
        TrainingRegistration.objects.filter(
            mentor=OuterRef("pk"), attended=True, session__kind=TrainingKind.INITIAL
        )
    )
