import datetime

from django.db import models
from django.db.models import Q
from django.utils import timezone
from phonenumber_field.modelfields import PhoneNumberField

from users.enums import HelpTopic, RegistrationStatus, Sector
from users.fields import ChoiceListField
from users.models import Registration, RegistrationQuerySet

from .ages import DIGITAL_CONSENT_AGE, MAJORITY_AGE, age_on, years_before
from .enums import Situation
from .priority import PriorityMark, PriorityPublic  # noqa: F401  (models of this app)


def minor_condition(today: datetime.date) -> Q:
    return Q(birth_date__gt=years_before(today, MAJORITY_AGE))


def matchable_condition(today: datetime.date) -> Q:
    """Approved, and either adult or with their guardian's consent: nobody else is ever
    matched. A condition, so that a list can also annotate it."""
    return Q(status=RegistrationStatus.APPROVED) & (
        ~minor_condition(today) | Q(guardian_consent_at__isnull=False)
    )


class MenteeQuerySet(RegistrationQuerySet):
    def minors(self, *, today: datetime.date | None = None):
        return self.filter(minor_condition(today or timezone.localdate()))

    def awaiting_guardian_consent(self):
        return self.filter(status=RegistrationStatus.AWAITING_GUARDIAN_CONSENT)

    def matchable(self, *, today: datetime.date | None = None):
        """Approved, and either adult or with their guardian's consent: nobody else is ever
        matched."""
        return self.filter(matchable_condition(today or timezone.localdate()))


class Mentee(Registration):
    birth_date = models.DateField("date de naissance")
    situation = models.CharField("situation", max_length=16, choices=Situation.choices)
    school_or_structure = models.CharField("établissement ou structure", max_length=200, blank=True)
    # The priority publics are marks (priority.PriorityMark, `priority_marks`); the name of
    # the Mission Locale goes with the MISSION_LOCALE one.
    mission_locale_name = models.CharField("Mission Locale", max_length=150, blank=True)
    needs = ChoiceListField("besoins", item_choices=HelpTopic.choices)
    sectors_of_interest = ChoiceListField(
        "secteurs qui l'intéressent", item_choices=Sector.choices, blank=True
    )
    goals = models.TextField("objectifs", max_length=1500)
    wants_same_gender_mentor = models.BooleanField(
        "souhaite un mentor du même genre", default=False
    )
    guardian_name = models.CharField("nom du représentant légal", max_length=300, blank=True)
    guardian_email = models.EmailField("e-mail du représentant légal", blank=True)
    guardian_phone = PhoneNumberField("téléphone du représentant légal", blank=True)
    guardian_consent_at = models.DateTimeField(
        "accord du représentant légal le", null=True, blank=True
    )

    objects = MenteeQuerySet.as_manager()

    class Meta:
        verbose_name = "jeune"
        verbose_name_plural = "jeunes"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "department"])]

    def age(self, *, today: datetime.date | None = None) -> int:
        return age_on(self.birth_date, today or timezone.localdate())

    def is_minor(self, *, today: datetime.date | None = None) -> bool:
        return self.age(today=today) < MAJORITY_AGE

    def needs_consent_before_review(self, *, today: datetime.date | None = None) -> bool:
        return self.age(today=today) < DIGITAL_CONSENT_AGE
