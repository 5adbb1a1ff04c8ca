import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Subquery
from django.utils import timezone
from simple_history.models import HistoricalRecords

from mentors.enums import ExchangeKind, ScreeningDocument, ScreeningState
from users.enums import HelpTopic, RegistrationStatus, Sector
from users.fields import ChoiceListField
from users.models import Registration, RegistrationQuerySet

from .rules import SCREENING_EXPIRY_WARNING
from .training import (  # noqa: F401 (the app's models, found by Django here)
    TrainingRegistration,
    TrainingSession,
    attended_initial_training,
)

ONE_DAY = datetime.timedelta(days=1)


def screening_valid_since(today: datetime.date) -> datetime.date:
    """The oldest check still valid on `today`: the one definition of a valid check."""
    return today - datetime.timedelta(days=settings.SCREENING_VALIDITY_DAYS)


def screening_expires_on(checked_on: datetime.date) -> datetime.date:
    """The last day a check made on `checked_on` is valid (`screening_valid_since` read the
    other way round)."""
    return checked_on + datetime.timedelta(days=settings.SCREENING_VALIDITY_DAYS)


def _valid_screening_on(day: datetime.date) -> Exists:
    return Exists(
        ScreeningRecord.objects.filter(
            mentor=OuterRef("pk"), checked_on__gte=screening_valid_since(day)
        )
    )


def _warning_day(today: datetime.date) -> datetime.date:
    # A check still valid on this day ends more than SCREENING_EXPIRY_WARNING from today.
    return today + SCREENING_EXPIRY_WARNING + ONE_DAY


def screening_state(
    *, accepts_minors: bool, last_checked_on: datetime.date | None, today: datetime.date
) -> ScreeningState | None:
    """The state of a mentor's honorability check from the date of their latest one (None for
    a mentor who does not accept minors): the reading, for one row, of the `controle` filters
    below."""
    if not accepts_minors:
        return None
    if last_checked_on is None:
        return ScreeningState.ABSENT
    if last_checked_on < screening_valid_since(today):
        return ScreeningState.EXPIRED
    if last_checked_on < screening_valid_since(_warning_day(today)):
        return ScreeningState.EXPIRING_SOON
    return ScreeningState.VALID


class MentorQuerySet(RegistrationQuerySet):
    def cleared_for_minors(self, *, today: datetime.date | None = None):
        """Mentors who accept minors and whose honorability check is still valid: the only
        ones who may ever be matched with a minor."""
        today = today or timezone.localdate()
        return self.filter(accepts_minors=True).filter(_valid_screening_on(today))

    def in_screening_state(self, state: str, *, today: datetime.date | None = None):
        """Mentors who accept minors whose check is in `state` (a ScreeningState, or
        « sans_controle_valide »: absent or expired) on `today`."""
        today = today or timezone.localdate()
        minors = self.filter(accepts_minors=True)
        any_check = Exists(ScreeningRecord.objects.filter(mentor=OuterRef("pk")))
        if state == ScreeningState.VALID:
            return minors.filter(_valid_screening_on(_warning_day(today)))
        if state == ScreeningState.EXPIRING_SOON:
            return minors.filter(_valid_screening_on(today)).exclude(
                _valid_screening_on(_warning_day(today))
            )
        if state == ScreeningState.EXPIRED:
            return minors.filter(any_check).exclude(_valid_screening_on(today))
        if state == ScreeningState.ABSENT:
            return minors.exclude(any_check)
        if state == NO_VALID_SCREENING:
            return minors.exclude(_valid_screening_on(today))
        raise ValueError(f"Unknown screening state: {state}")

    def screening_missing(self, *, today: datetime.date | None = None):
        """Not rejected, accepting minors, with no valid honorability check on `today` (none
        recorded, or expired): a check to ask for."""
        return self.in_screening_state(NO_VALID_SCREENING, today=today).exclude(
            status=RegistrationStatus.REJECTED
        )

    def screening_expiring(self, *, today: datetime.date | None = None):
        """Not rejected, accepting minors, whose check is valid today and ends within
        SCREENING_EXPIRY_WARNING (its last valid day at most that far away): to renew."""
        return self.in_screening_state(ScreeningState.EXPIRING_SOON, today=today).exclude(
            status=RegistrationStatus.REJECTED
        )

    def with_last_screening(self):
        """Annotate `last_screening_on`, the date of the latest check (None if none), in the
        same query: what `screening_state` reads."""
        latest = ScreeningRecord.objects.filter(mentor=OuterRef("pk")).order_by("-checked_on")
        return self.annotate(last_screening_on=Subquery(latest.values("checked_on")[:1]))

    def with_initial_training(self):
        """Annotate `initial_training`: attended an initial training (recorded by staff), in
        the same query."""
        return self.annotate(initial_training=attended_initial_training())

    def untrained(self):
        """Approved mentors who never attended an initial training: the staff home's count
        and the « formation initiale suivie : non » filter."""
        return self.approved().exclude(attended_initial_training())

    def without_referent(self):
        """Approved mentors nobody accompanies yet (programme rule: one référent per mentor)."""
        return self.approved().filter(referent__isnull=True)


# The `controle` filter's choice for « absent or expired ».
NO_VALID_SCREENING = "sans_controle_valide"


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
    # In person, a mentor meets young people of their département and the neighbouring ones;
    # this widens it to every département of their region.
    travels_whole_region = models.BooleanField(
        "je peux me déplacer dans toute la région", default=False
    )
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

    def needs_screening(self, *, today: datetime.date | None = None) -> bool:
        """Accepts minors without a valid check: approving them asks for one."""
        return self.accepts_minors and not self.is_cleared_for_minors(today=today)


class ScreeningRecord(models.Model):
    """Honorability check of a mentor who accepts minors (contrôle d'honorabilité)."""

    mentor = models.ForeignKey(Mentor, on_delete=models.CASCADE, related_name="screenings")
    document = models.CharField("pièce vue", max_length=200, choices=ScreeningDocument.choices)
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
