from django.conf import settings
from django.db import models
from django.utils import timezone

from .enums import DataAccessFormat, ErasureReason


class ErasureRecord(models.Model):
    """The trace of an anonymisation (RGPD): which account, why, when and by whom. It holds
    nothing about the person but their account's id, so it outlives the erasure."""

    person_id = models.PositiveIntegerField("identifiant du compte", db_index=True)
    reason = models.CharField("motif", max_length=16, choices=ErasureReason.choices)
    performed_at = models.DateTimeField("anonymisé le", default=timezone.now)
    # None: the nightly retention task, not a person.
    performed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="anonymisé par",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = "anonymisation"
        verbose_name_plural = "anonymisations"
        ordering = ["-performed_at"]

    def __str__(self):
        return f"Compte n° {self.person_id} ({self.get_reason_display().lower()})"


class DataAccessRecord(models.Model):
    """The trace of a right-of-access export (RGPD accountability): whose data was read, by
    whom (the person themselves or a coordinator), when and in which form. Like an erasure's
    trace it holds only the account's id, so it outlives an anonymisation."""

    person_id = models.PositiveIntegerField("identifiant du compte", db_index=True)
    accessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="consulté par",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    accessed_at = models.DateTimeField("consulté le", default=timezone.now)
    format = models.CharField("forme", max_length=8, choices=DataAccessFormat.choices)

    class Meta:
        verbose_name = "consultation de données personnelles"
        verbose_name_plural = "consultations de données personnelles"
        ordering = ["-accessed_at"]

    def __str__(self):
        return f"Compte n° {self.person_id} ({self.get_format_display().lower()})"
