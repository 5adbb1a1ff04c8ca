from django.conf import settings
from django.db import models
from django.utils import timezone

from .enums import ReminderFrequency, ReminderKind, ReminderStatus


class Reminder(models.Model):
    """One e-mail reminder, recorded before it is sent: the unique key (kind, target,
    recipient, period) is what makes a sweep run twice, two beats at once or a redelivered
    task send it only once."""

    kind = models.CharField("type", max_length=32, choices=ReminderKind.choices)
    # What the reminder is about, as "<model>:<pk>" (e.g. "mentorship:12", "session:7").
    target = models.CharField("objet", max_length=64)
    # Who receives it: a user, or a minor's guardian (who has no account).
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="destinataire",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reminders",
    )
    recipient_email = models.EmailField("adresse", blank=True)
    # The occurrence: a due date, an ISO week ("2026-W48"), a rank ("1", "2") or "once".
    period = models.CharField("période", max_length=32)
    status = models.CharField(
        "état", max_length=16, choices=ReminderStatus.choices, default=ReminderStatus.PENDING
    )
    created_at = models.DateTimeField("créé le", default=timezone.now, db_index=True)
    sent_at = models.DateTimeField("envoyé le", null=True, blank=True)
    attempts = models.PositiveSmallIntegerField("tentatives", default=0)
    last_error = models.TextField("dernière erreur", blank=True)

    class Meta:
        verbose_name = "rappel"
        verbose_name_plural = "rappels"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "target", "recipient_email", "period"],
                name="one_reminder_per_occurrence",
            )
        ]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.period})"


class ReminderPreference(models.Model):
    """How often a person wants the non-essential reminders; the essential ones (meeting
    due, questionnaires, consent) are always sent."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_preference"
    )
    frequency = models.CharField(
        "fréquence des rappels",
        max_length=16,
        choices=ReminderFrequency.choices,
        default=ReminderFrequency.EVERY_TIME,
    )

    class Meta:
        verbose_name = "préférence de rappels"
        verbose_name_plural = "préférences de rappels"

    def __str__(self):
        return f"{self.user} : {self.get_frequency_display()}"
