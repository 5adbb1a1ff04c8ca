from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models.functions import Upper
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from phonenumber_field.modelfields import PhoneNumberField
from simple_history.models import HistoricalRecords

from .enums import (
    Availability,
    Civility,
    ConsentKind,
    Language,
    MeetingMode,
    OwedEmailStatus,
    RegistrationStatus,
)
from .fields import ChoiceListField
from .geography import validate_postal_code


class UserManager(BaseUserManager):
    use_in_migrations = True

    def get_by_natural_key(self, username):
        # People type their address with any case; accounts are unique case-insensitively.
        return self.get(email__iexact=username)

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """Everybody who logs in: mentors, young people and staff. The e-mail is the login."""

    username = None
    email = models.EmailField("adresse e-mail", unique=True)
    # A mail server refused this address for good (a 5xx answer to it): set by the outbox
    # (users/outbox.py), cleared when the address changes (users.services.user_email_changed).
    email_refused_at = models.DateTimeField("adresse refusée le", null=True, blank=True)
    # A default in the database too: code written against an older schema (data migrations
    # of other apps, their tests) still creates users.
    email_refused_reason = models.CharField(
        "réponse du serveur de messagerie", max_length=500, blank=True, default="", db_default=""
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["first_name", "last_name"]

    objects = UserManager()

    class Meta:
        verbose_name = "utilisateur"
        verbose_name_plural = "utilisateurs"
        indexes = [
            # Registration and login match the e-mail case-insensitively (`email__iexact`):
            # without it, each of those scans every user.
            models.Index(Upper("email"), name="users_user_email_upper"),
        ]

    def __str__(self):
        return self.get_full_name() or self.email


class Consent(models.Model):
    """What somebody agreed to, in which version, when, and who gave the agreement."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="consents")
    kind = models.CharField("objet", max_length=32, choices=ConsentKind.choices)
    version = models.CharField("version", max_length=32)
    given_at = models.DateTimeField("donné le", default=timezone.now)
    # The person who agreed: the user, or a minor's legal guardian.
    given_by_name = models.CharField("donné par", max_length=300)
    given_by_email = models.EmailField("e-mail de la personne", blank=True)

    class Meta:
        verbose_name = "consentement"
        verbose_name_plural = "consentements"
        ordering = ["-given_at"]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.version})"


class RegistrationQuerySet(models.QuerySet):
    def pending_review(self):
        return self.filter(status=RegistrationStatus.PENDING_REVIEW)

    def approved(self):
        return self.filter(status=RegistrationStatus.APPROVED)


class Registration(models.Model):
    """What a mentor's and a young person's registration have in common."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="%(class)s"
    )
    civility = models.CharField("civilité", max_length=8, choices=Civility.choices, blank=True)
    phone = PhoneNumberField("téléphone")
    postal_code = models.CharField("code postal", max_length=5, validators=[validate_postal_code])
    department = models.CharField("département", max_length=3, db_index=True)
    meeting_mode = models.CharField(
        "format des rencontres", max_length=16, choices=MeetingMode.choices
    )
    availability = ChoiceListField("disponibilités", item_choices=Availability.choices)
    languages = ChoiceListField("langues parlées", item_choices=Language.choices)
    status = models.CharField(
        "statut",
        max_length=32,
        choices=RegistrationStatus.choices,
        default=RegistrationStatus.PENDING_REVIEW,
        db_index=True,
    )
    rejection_reason = models.TextField("motif du refus", max_length=1000, blank=True)
    reviewed_at = models.DateTimeField("examinée le", null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="examinée par",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField("inscrit le", default=timezone.now, db_index=True)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)

    history = HistoricalRecords(inherit=True)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        abstract = True

    def __str__(self):
        return str(self.user)


class AuthenticatorDevice(TOTPDevice):
    """A staff member's authenticator app under a French name, for the admin and the RGPD
    pages: django-otp names its model « TOTP device », untranslated, and changing that would
    take a migration in the library. The same table and rows as TOTPDevice, which the rest
    of the code keeps using."""

    # The French names of the library's fields (its verbose names are English and are
    # not translated), for the admin's columns and the right-of-access pages.
    FIELD_LABELS = {
        "id": "n°",
        "user": "personne",
        "name": "nom de l'appareil",
        "confirmed": "activé",
        "throttling_failure_timestamp": "dernier code erroné le",
        "throttling_failure_count": "codes erronés à la suite",
        "created_at": "ajouté le",
        "last_used_at": "dernier code le",
        "key": "clé secrète",
        "step": "durée de validité d'un code (secondes)",
        "t0": "origine du décompte (temps Unix)",
        "digits": "nombre de chiffres d'un code",
        "tolerance": "tolérance (en durées de validité)",
        "drift": "décalage de l'horloge (en durées de validité)",
        "last_t": "rang du dernier code accepté",
    }

    class Meta:
        proxy = True
        verbose_name = "appareil d'authentification"
        verbose_name_plural = "appareils d'authentification"


class SentEmail(models.Model):
    """The marker of one event's e-mail to one recipient, recorded when it is sent: the task
    that sends it locks this row and sends nothing when it is already marked, so a task run
    twice (a retry, a redelivered message, a double click) sends the e-mail once. The key
    names the event and the recipient's role with ids only (no address, no name): this table
    holds no personal data and outlives nobody's erasure."""

    key = models.CharField("événement", max_length=200, unique=True)
    sent_at = models.DateTimeField("envoyé le", null=True, blank=True)

    class Meta:
        verbose_name = "e-mail d'événement envoyé"
        verbose_name_plural = "e-mails d'événements envoyés"

    def __str__(self):
        return self.key


class OwedEmailQuerySet(models.QuerySet):
    def failed(self):
        return self.filter(status=OwedEmailStatus.FAILED)

    def due(self, *, now):
        """What the sweep sends: rows still pending once their time has come (a broker that
        was down, a retry's backoff over), and rows whose sender stopped answering (a worker
        killed while sending: its claim has expired)."""
        return self.filter(
            status__in=[OwedEmailStatus.PENDING, OwedEmailStatus.SENDING],
            next_attempt_at__lte=now,
        )


class OwedEmail(models.Model):
    """The outbox: one row per e-mail task the platform owes, written in the same transaction
    as the change that owes it (mentorat/celery.py, `delay_on_commit` of an e-mail task),
    then sent by users.tasks.send_owed_email (users/outbox.py). The task and its arguments
    (ids only) are what is stored: the e-mail is written when it is sent, from the rows as
    they are then."""

    task = models.CharField("tâche", max_length=200)
    args = models.JSONField("arguments", default=list)
    kwargs = models.JSONField("arguments nommés", default=dict)
    # Whom it went to, when the address is an account's (a guardian has none): known once
    # it was tried.
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="destinataire",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # The e-mail's subject (subjects never carry personal data): what coordinators read.
    subject = models.CharField("objet", max_length=300, blank=True)
    status = models.CharField(
        "statut", max_length=16, choices=OwedEmailStatus.choices, default=OwedEmailStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField("tentatives", default=0)
    last_error = models.TextField("dernière erreur", blank=True)
    created_at = models.DateTimeField("créé le", default=timezone.now)
    # Pending: when the sweep may send it (a retry's backoff); sending: when the claim of the
    # worker sending it expires.
    next_attempt_at = models.DateTimeField("prochain essai le", default=timezone.now)
    done_at = models.DateTimeField("terminé le", null=True, blank=True)

    objects = OwedEmailQuerySet.as_manager()

    class Meta:
        verbose_name = "envoi d'e-mail"
        verbose_name_plural = "envois d'e-mails"
        indexes = [
            models.Index(fields=["status", "next_attempt_at"]),
            models.Index(fields=["status", "done_at"]),
        ]

    def __str__(self):
        return self.subject or self.task
