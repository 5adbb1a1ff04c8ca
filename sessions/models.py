import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from matching.enums import Side
from matching.models import Mentorship
from matching.rules import MINIMUM_SESSION_MINUTES, counts_for_rhythm
from users.fields import ChoiceListField
from users.programme import EDIT_WINDOW, RULES

from .enums import ObjectivesProgress, SessionFormat, SessionTopic
from .validators import validate_web_link

MIN_DURATION = 15
MAX_DURATION = 480
# Authors may correct what they wrote for EDIT_WINDOW (stated in users.programme).
# How a session shorter than MINIMUM_SESSION_MINUTES is flagged wherever it is listed: it is
# logged, evaluated and followed up, but the next meeting stays due from the last one that
# counts (matching.rules.next_meeting_due).
NOT_COUNTING_FOR_RHYTHM = f"moins de {RULES.session_minimum} : ne compte pas pour le rythme"


class SessionQuerySet(models.QuerySet):
    def awaiting_follow_up(self):
        """The référents' queue: sessions nobody has reviewed yet, oldest first."""
        return self.exclude(follow_up__reviewed=True).order_by("held_on", "pk")

    def qualifying(self):
        return self.filter(duration_minutes__gte=MINIMUM_SESSION_MINUTES)


class Session(models.Model):
    """A meeting of a pair (séance), logged by the mentor."""

    mentorship = models.ForeignKey(
        Mentorship, verbose_name="binôme", on_delete=models.PROTECT, related_name="sessions"
    )
    held_on = models.DateField("date de la séance")
    duration_minutes = models.PositiveSmallIntegerField(
        "durée (minutes)",
        validators=[MinValueValidator(MIN_DURATION), MaxValueValidator(MAX_DURATION)],
    )
    format = models.CharField("format", max_length=16, choices=SessionFormat.choices)
    topics = ChoiceListField("sujets abordés", item_choices=SessionTopic.choices)
    other_topic = models.CharField("autre sujet", max_length=200, blank=True)
    summary = models.TextField("résumé", max_length=2000)
    next_steps = models.TextField("prochaines étapes", max_length=1000, blank=True)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    logged_at = models.DateTimeField("saisie le", default=timezone.now)

    # Deletions, allowed to coordinators in the admin only, are kept here too.
    history = HistoricalRecords()

    objects = SessionQuerySet.as_manager()

    class Meta:
        verbose_name = "séance"
        verbose_name_plural = "séances"
        ordering = ["-held_on", "-pk"]
        indexes = [
            models.Index(fields=["mentorship", "held_on"]),
            # The admin's list reads the latest sessions in this order: a page is read from
            # the index instead of sorting every session.
            models.Index(fields=["-held_on", "-id"], name="session_latest_first"),
        ]

    def __str__(self):
        return f"Séance du {self.held_on:%d/%m/%Y}"

    @property
    def is_below_minimum(self) -> bool:
        """Too short to count for the rhythm (`rules.counts_for_rhythm`)."""
        return not counts_for_rhythm(self.duration_minutes)

    def editable_until(self) -> datetime.datetime:
        return self.logged_at + EDIT_WINDOW


class SessionEvaluation(models.Model):
    """Each member's evaluation of a session: one per side, editable for EDIT_WINDOW."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="evaluations")
    side = models.CharField(max_length=8, choices=Side.choices)
    rating = models.PositiveSmallIntegerField(
        "note", validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    objectives_progress = models.CharField(
        "progrès vers les objectifs",
        max_length=16,
        choices=ObjectivesProgress.choices,
        blank=True,
    )
    comment = models.TextField("commentaire", max_length=1000, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "évaluation de séance"
        verbose_name_plural = "évaluations de séance"
        constraints = [
            models.UniqueConstraint(fields=["session", "side"], name="one_evaluation_per_side")
        ]

    def __str__(self):
        return f"{self.get_side_display()} : {self.rating}/5"

    def editable_until(self) -> datetime.datetime:
        return self.created_at + EDIT_WINDOW


class FollowUp(models.Model):
    """The référent's follow-up (suivi) of a session."""

    session = models.OneToOneField(Session, on_delete=models.CASCADE, related_name="follow_up")
    reviewed = models.BooleanField("vue par le référent", default=False)
    reviewed_at = models.DateTimeField("vue le", null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="vue par",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    comment = models.TextField("commentaire du référent", max_length=2000, blank=True)
    needs_attention = models.BooleanField("à surveiller", default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "suivi de séance"
        verbose_name_plural = "suivis de séance"

    def __str__(self):
        return f"Suivi de la {self.session}"


class PlannedMeeting(models.Model):
    """The next meeting the pair has planned: visible to both, downloadable as .ics."""

    mentorship = models.OneToOneField(
        Mentorship, on_delete=models.CASCADE, related_name="planned_meeting"
    )
    starts_at = models.DateTimeField("date et heure")
    duration_minutes = models.PositiveSmallIntegerField(
        "durée prévue (minutes)",
        default=MINIMUM_SESSION_MINUTES,
        validators=[MinValueValidator(MIN_DURATION), MaxValueValidator(MAX_DURATION)],
    )
    place = models.CharField("lieu", max_length=200, blank=True)
    # Put in an href of both members' pages and e-mails: a link a browser follows as typed.
    video_link = models.URLField(
        "lien de visio", max_length=500, blank=True, validators=[validate_web_link]
    )
    planned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "prochaine rencontre"
        verbose_name_plural = "prochaines rencontres"

    def __str__(self):
        return f"Rencontre du {timezone.localtime(self.starts_at):%d/%m/%Y %H:%M}"
