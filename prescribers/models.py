"""Prescribers: the organisations that refer young people to the programme (a school, a
Mission Locale, a child-welfare or social-work service), their staff's accounts, and the
referrals they make. A referral is not a registration: the young person completes their own,
from a signed link, and nobody is matched before that."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from phonenumber_field.modelfields import PhoneNumberField

from mentees.models import Mentee, PriorityPublic

from .enums import ConsultedPage, OrganisationKind


class Organisation(models.Model):
    name = models.CharField("nom", max_length=200)
    kind = models.CharField("type", max_length=16, choices=OrganisationKind.choices)
    department = models.CharField(
        "département", max_length=3, help_text="Par exemple 93, 2A ou 974."
    )
    is_active = models.BooleanField(
        "active",
        default=True,
        help_text="Les comptes d'une structure inactive ne peuvent plus orienter de jeunes.",
    )
    created_at = models.DateTimeField("ajoutée le", default=timezone.now)

    class Meta:
        verbose_name = "structure prescriptrice"
        verbose_name_plural = "structures prescriptrices"
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.department})"


class PrescriberQuerySet(models.QuerySet):
    def able_to_refer(self):
        return self.filter(user__is_active=True, organisation__is_active=True)


class Prescriber(models.Model):
    """A prescriber's account: a User (not staff) of an organisation, created by a
    coordinator; the person chooses a password from an e-mailed link and then enrols the
    second factor."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="compte",
        on_delete=models.PROTECT,
        related_name="prescriber",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name="structure",
        on_delete=models.PROTECT,
        related_name="prescribers",
    )
    job_title = models.CharField("fonction", max_length=150, blank=True)
    created_at = models.DateTimeField("créé le", default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="créé par",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = PrescriberQuerySet.as_manager()

    class Meta:
        verbose_name = "prescripteur"
        verbose_name_plural = "prescripteurs"
        ordering = ["organisation__name", "user__last_name"]

    def __str__(self):
        return f"{self.user} – {self.organisation.name}"


class ReferralQuerySet(models.QuerySet):
    def of_prescriber(self, prescriber: Prescriber):
        """The one scope a prescriber has: the young people they referred themselves."""
        return self.filter(prescriber=prescriber)

    def awaiting_registration(self):
        return self.filter(mentee__isnull=True)


class Referral(models.Model):
    prescriber = models.ForeignKey(
        Prescriber,
        verbose_name="prescripteur",
        on_delete=models.SET_NULL,
        null=True,
        related_name="referrals",
    )
    # Kept apart from the prescriber: the organisation's figures outlive a person's account.
    organisation = models.ForeignKey(
        Organisation, verbose_name="structure", on_delete=models.PROTECT, related_name="referrals"
    )
    first_name = models.CharField("prénom", max_length=150)
    last_name = models.CharField("nom", max_length=150)
    email = models.EmailField("adresse e-mail")
    phone = PhoneNumberField("téléphone", blank=True)
    birth_date = models.DateField("date de naissance")
    reason = models.TextField("pourquoi le mentorat", max_length=1000)
    publics = models.ManyToManyField(
        PriorityPublic, verbose_name="publics prioritaires", blank=True, related_name="+"
    )
    guardian_name = models.CharField("nom du représentant légal", max_length=300, blank=True)
    guardian_email = models.EmailField("e-mail du représentant légal", blank=True)
    guardian_phone = PhoneNumberField("téléphone du représentant légal", blank=True)
    created_at = models.DateTimeField("orienté le", default=timezone.now, db_index=True)
    # Set when the young person completes their registration from the link.
    mentee = models.OneToOneField(
        Mentee,
        verbose_name="inscription du jeune",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="referral",
    )
    registered_at = models.DateTimeField("inscrit le", null=True, blank=True)

    objects = ReferralQuerySet.as_manager()

    class Meta:
        verbose_name = "orientation"
        verbose_name_plural = "orientations"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.first_name} {self.last_name}".strip() or f"Orientation n° {self.pk}"


class ReferralConsultation(models.Model):
    """The trace of a prescriber reading what the programme holds on a young person they
    referred: which referral, who, when, on which page. Ids only, like the RGPD trails."""

    referral = models.ForeignKey(
        Referral, verbose_name="orientation", on_delete=models.CASCADE, related_name="+"
    )
    consulted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="consulté par",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    consulted_at = models.DateTimeField("consulté le", default=timezone.now)
    page = models.CharField("page", max_length=8, choices=ConsultedPage.choices)

    class Meta:
        verbose_name = "consultation d'un prescripteur"
        verbose_name_plural = "consultations des prescripteurs"
        ordering = ["-consulted_at"]

    def __str__(self):
        return f"Orientation n° {self.referral_id} ({self.get_page_display().lower()})"
