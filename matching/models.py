from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from mentees.models import Mentee
from mentors.models import Mentor

from .enums import BatchStatus, MentorshipStatus, Response

OPEN_STATUSES = [MentorshipStatus.PROPOSED, MentorshipStatus.ACTIVE]


def weight_field(verbose_name: str, default: int, help_text: str):
    return models.PositiveSmallIntegerField(
        verbose_name, default=default, validators=[MaxValueValidator(100)], help_text=help_text
    )


class MatchingWeights(models.Model):
    """The weights of the compatibility score: a single row that coordinators edit in the
    admin. Only their proportions matter: the score is the weighted mean of the criteria,
    scaled to 0–100."""

    needs = weight_field(
        "besoins couverts",
        35,
        "Part des besoins du jeune pour lesquels le mentor peut aider.",
    )
    sectors = weight_field(
        "secteurs d'intérêt",
        15,
        "Part des secteurs qui intéressent le jeune que le mentor connaît "
        "(moitié des points si le jeune n'en a indiqué aucun).",
    )
    place = weight_field(
        "lieu de rencontre",
        20,
        "Tous les points dans le même département avec une rencontre en personne possible, "
        "la moitié si la rencontre ne peut se faire qu'à distance.",
    )
    availability = weight_field(
        "disponibilités communes",
        15,
        "Part des disponibilités du jeune que le mentor partage.",
    )
    language = weight_field(
        "langue commune", 10, "Tous les points si le jeune et le mentor ont une langue en commun."
    )
    meeting_format = weight_field(
        "format",
        5,
        "Part des formats souhaités par le jeune (en présentiel, à distance) que le mentor "
        "accepte.",
    )
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "pondération de l'appariement"
        verbose_name_plural = "pondération de l'appariement"

    def __str__(self):
        return "Pondération de l'appariement"

    def clean(self):
        if not any(getattr(self, name) for name in WEIGHT_FIELDS):
            raise ValidationError("Au moins un critère doit avoir un poids supérieur à 0.")

    @classmethod
    def load(cls) -> "MatchingWeights":
        weights, _ = cls.objects.get_or_create(pk=1)
        return weights


WEIGHT_FIELDS = ["needs", "sectors", "place", "availability", "language", "meeting_format"]


class MentorshipQuerySet(models.QuerySet):
    def open(self):
        """Proposed or active: the pairs that hold a mentor's slot and a young person."""
        return self.filter(status__in=OPEN_STATUSES)

    def proposed(self):
        return self.filter(status=MentorshipStatus.PROPOSED)

    def active(self):
        return self.filter(status=MentorshipStatus.ACTIVE)

    def closed(self):
        return self.filter(status=MentorshipStatus.CLOSED)

    def involving(self, user):
        return self.filter(Q(mentor__user=user) | Q(mentee__user=user))


class Mentorship(models.Model):
    """A binôme: one mentor and one young person."""

    mentor = models.ForeignKey(Mentor, on_delete=models.PROTECT, related_name="mentorships")
    mentee = models.ForeignKey(
        Mentee, verbose_name="jeune", on_delete=models.PROTECT, related_name="mentorships"
    )
    status = models.CharField(
        "statut",
        max_length=16,
        choices=MentorshipStatus.choices,
        default=MentorshipStatus.PROPOSED,
        db_index=True,
    )
    # The score and its explanation as they were when the pair was proposed.
    score = models.PositiveSmallIntegerField("compatibilité")
    explanation = models.JSONField("explication", default=list)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="proposé par",
        on_delete=models.PROTECT,
        related_name="+",
    )
    proposed_at = models.DateTimeField("proposé le", default=timezone.now)
    mentor_response = models.CharField(
        "réponse du mentor", max_length=16, choices=Response.choices, default=Response.PENDING
    )
    mentor_responded_at = models.DateTimeField("réponse du mentor le", null=True, blank=True)
    mentee_response = models.CharField(
        "réponse du jeune", max_length=16, choices=Response.choices, default=Response.PENDING
    )
    mentee_responded_at = models.DateTimeField("réponse du jeune le", null=True, blank=True)
    decline_reason = models.TextField("motif du refus", max_length=1000, blank=True)
    started_on = models.DateField("début du mentorat", null=True, blank=True)
    activated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="activé par",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    introduced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="présentés l'un à l'autre par",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    ended_on = models.DateField("fin du mentorat", null=True, blank=True)

    history = HistoricalRecords()

    objects = MentorshipQuerySet.as_manager()

    class Meta:
        verbose_name = "binôme"
        verbose_name_plural = "binômes"
        ordering = ["-proposed_at"]
        constraints = [
            # A young person has one mentor at a time; the service says why in French, the
            # database guarantees it under concurrency.
            models.UniqueConstraint(
                fields=["mentee"],
                condition=Q(status__in=OPEN_STATUSES),
                name="one_open_mentorship_per_mentee",
            ),
        ]
        indexes = [
            models.Index(fields=["mentor", "status"]),
            models.Index(fields=["mentee", "status"]),
        ]

    def __str__(self):
        return f"{self.mentor} – {self.mentee}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class MatchingBatch(models.Model):
    """One run of batch matching: computed in a Celery task, then confirmed by a coordinator."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # None: every young person awaiting a mentor when the task runs.
    mentee_ids = models.JSONField(null=True, blank=True)
    status = models.CharField(
        max_length=16, choices=BatchStatus.choices, default=BatchStatus.PENDING
    )
    progress = models.PositiveSmallIntegerField(default=0)
    result = models.JSONField(null=True, blank=True)
    error = models.TextField(blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "appariement par lot"
        verbose_name_plural = "appariements par lot"
        ordering = ["-created_at"]

    def __str__(self):
        return f"Lot du {self.created_at:%d/%m/%Y %H:%M}"
