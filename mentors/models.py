import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef
from django.utils import timezone
from simple_history.models import HistoricalRecords

from mentors.enums import ExchangeKind
from users.enums import HelpTopic, Sector
from users.fields import ChoiceListField
from users.models import Registration, RegistrationQuerySet


def screening_valid_since(today: datetime.date) -> datetime.date:
    return today - datetime.timedelta(days=settings.SCREENING_VALIDITY_DAYS)


class MentorQuerySet(RegistrationQuerySet):
    def cleared_for_minors(self, *, today: datetime.date | None = None):
        """Mentors who accept minors and whose honorability check is still valid: the only
        ones who may ever be matched with a minor."""
        today = today or timezone.localdate()
        valid_screening = ScreeningRecord.objects.filter(
            mentor=OuterRef("pk"), checked_on__gte=screening_valid_since(today)
        )
        return self.filter(accepts_minors=True).filter(Exists(valid_screening))


class Mentor(Registration):
    employer = models.CharField("employeur", max_length=150)
    job_title = models.CharField("métier / poste", max_length=150)
    sector = models.CharField("secteur d'activité", max_length=32, choices=Sector.choices)
    years_of_experience = models.PositiveSmallIntegerField(
        "années d'expérience", validators=[MaxValueValidator(60)]
    )
    help_topics = ChoiceListField("je peux aider à", item_choices=HelpTopic.choices)
    sectors_to_share = ChoiceListField("secteurs dont je peux parler", item_choices=Sector.choices)
    capacity = models.PositiveSmallIntegerField(
        "nombre de jeunes suivis en même temps",
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(3)],
    )
    accepts_minors = models.BooleanField("accepte d'accompagner des mineurs", default=False)
    motivation = models.TextField("motivation", max_length=2000)
    charter_version = models.CharField("version de la charte acceptée", max_length=32)
    charter_accepted_at = models.DateTimeField("charte acceptée le")
    # The staff member who accompanies this mentor (programme rule: one référent per mentor).
    referent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="référent",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mentors_followed",
        limit_choices_to={"is_staff": True},
    )

    objects = MentorQuerySet.as_manager()

    class Meta:
        verbose_name = "mentor"
        verbose_name_plural = "mentors"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "department"])]

    def is_cleared_for_minors(self, *, today: datetime.date | None = None) -> bool:
        return type(self).objects.cleared_for_minors(today=today).filter(pk=self.pk).exists()


class ScreeningRecord(models.Model):
    """Honorability check of a mentor who accepts minors (contrôle d'honorabilité)."""

    mentor = models.ForeignKey(Mentor, on_delete=models.CASCADE, related_name="screenings")
    document = models.CharField(
        "pièce vue",
        max_length=200,
        help_text="Par exemple : extrait de casier judiciaire (bulletin n° 3), attestation FIJAIS.",
    )
    checked_on = models.DateField("date du contrôle")
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="contrôlé par",
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "contrôle d'honorabilité"
        verbose_name_plural = "contrôles d'honorabilité"
        ordering = ["-checked_on"]

    def __str__(self):
        return f"{self.document} ({self.checked_on:%d/%m/%Y})"

    def clean(self):
        if self.checked_on and self.checked_on > timezone.localdate():
            raise ValidationError({"checked_on": "La date du contrôle ne peut pas être future."})


class Exchange(models.Model):
    """A référent's exchange with their mentors: a call, a meeting, a note, or a group
    workshop of good practice, recorded once with every mentor who attended."""

    referent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="référent",
        on_delete=models.PROTECT,
        related_name="exchanges",
    )
    mentors = models.ManyToManyField(Mentor, verbose_name="mentors", related_name="exchanges")
    happened_on = models.DateField("date de l'échange")
    kind = models.CharField("type", max_length=16, choices=ExchangeKind.choices)
    note = models.TextField("note", max_length=2000, blank=True)
    created_at = models.DateTimeField("saisi le", default=timezone.now)

    # The attendees are versioned too (simple-history's m2m tracking): each change of the
    # list is a version of its own, so the audit tells who attended, not only what was written.
    history = HistoricalRecords(m2m_fields=[mentors])

    class Meta:
        verbose_name = "échange avec les mentors"
        verbose_name_plural = "échanges avec les mentors"
        ordering = ["-happened_on", "-pk"]
        indexes = [models.Index(fields=["referent", "happened_on"])]

    def __str__(self):
        return f"{self.get_kind_display().capitalize()} du {self.happened_on:%d/%m/%Y}"

    def clean(self):
        if self.happened_on and self.happened_on > timezone.localdate():
            raise ValidationError({"happened_on": "La date de l'échange ne peut pas être future."})
