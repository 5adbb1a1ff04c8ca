"""Priority publics as data: the list coordinators manage (seeded with the programme's and the
State's calls for projects' publics) and each young person's marks, with who declared them.

Funded associations commit to numbers of pairs by public and report them by the short code;
the young person is asked in plain words (`question`), staff see the `label`."""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db import models, transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone
from simple_history.models import HistoricalRecords

from .enums import Declarant

# The public whose young people are asked which Mission Locale follows them.
MISSION_LOCALE = "MISSION_LOCALE"
# The version of the active publics, in the shared cache (see `active_publics_version`).
ACTIVE_PUBLICS_VERSION_KEY = "mentees:active-publics-version:1"
ACTIVE_PUBLICS_VERSION_SECONDS = 60


class PriorityPublicQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class PriorityPublic(models.Model):
    code = models.SlugField(
        "code",
        max_length=20,
        unique=True,
        help_text="Code court repris dans les bilans et les exports (ex. QPV, ASE).",
    )
    label = models.CharField("libellé", max_length=100)
    question = models.CharField(
        "question posée au jeune",
        max_length=200,
        help_text="En mots simples, au tutoiement : un collégien doit la comprendre.",
    )
    is_active = models.BooleanField(
        "proposé à l'inscription",
        default=True,
        help_text="Un public retiré n'est plus proposé ; les déclarations passées restent.",
    )
    order = models.PositiveSmallIntegerField("ordre", default=0)

    objects = PriorityPublicQuerySet.as_manager()

    class Meta:
        verbose_name = "public prioritaire"
        verbose_name_plural = "publics prioritaires"
        ordering = ["order", "label"]

    def __str__(self):
        return self.label


class PriorityMarkQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(confirmed_at__isnull=False)

    def unconfirmed(self):
        return self.filter(confirmed_at__isnull=True)


class PriorityMark(models.Model):
    """A young person belongs to a priority public: declared by themselves at registration or
    by staff, and confirmed (or removed) by staff."""

    mentee = models.ForeignKey(
        "mentees.Mentee",
        verbose_name="jeune",
        on_delete=models.CASCADE,
        related_name="priority_marks",
    )
    public = models.ForeignKey(
        PriorityPublic,
        verbose_name="public prioritaire",
        on_delete=models.PROTECT,
        related_name="marks",
    )
    declared_by = models.CharField(
        "déclaré par", max_length=8, choices=Declarant.choices, default=Declarant.MENTEE
    )
    declared_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="membre de l'équipe qui l'a déclaré",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    declared_at = models.DateTimeField("déclaré le", default=timezone.now)
    confirmed_at = models.DateTimeField("confirmé le", null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="confirmé par",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = PriorityMarkQuerySet.as_manager()
    # Who added, confirmed or removed a mark, and when (a removed mark leaves its trace here).
    history = HistoricalRecords()

    class Meta:
        verbose_name = "public prioritaire du jeune"
        verbose_name_plural = "publics prioritaires des jeunes"
        constraints = [
            models.UniqueConstraint(fields=["mentee", "public"], name="one_mark_per_public")
        ]

    def __str__(self):
        return f"{self.public} – {self.mentee}"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None


def has_priority_public() -> Exists:
    """Condition on young people (as the outer query): at least one priority public marked."""
    return Exists(PriorityMark.objects.filter(mentee=OuterRef("pk")))


def priority_publics_count() -> Count:
    """Aggregate on young people: how many priority publics they are marked with."""
    return Count("priority_marks", distinct=True)


def in_public(code: str) -> Q:
    """Condition on young people: marked with the public of this code."""
    return Q(Exists(PriorityMark.objects.filter(mentee=OuterRef("pk"), public__code=code)))


def active_publics_version() -> str:
    """A short digest of the publics the registration form proposes (their id, code, question
    and order), so that the empty form's HTML is rendered again when they change
    (users/templatetags/blank_forms.py).

    Kept in the shared cache: no query on most requests. Saving or deleting a public (the
    admin, a service) forgets it at once and again at commit; a change that bypasses the
    model's signals (`QuerySet.update`, SQL, a data migration) shows within
    ACTIVE_PUBLICS_VERSION_SECONDS."""
    version = cache.get(ACTIVE_PUBLICS_VERSION_KEY)
    if version is None:
        rows = list(PriorityPublic.objects.active().values_list("pk", "code", "question", "order"))
        version = hashlib.blake2b(repr(rows).encode(), digest_size=8).hexdigest()
        cache.set(ACTIVE_PUBLICS_VERSION_KEY, version, ACTIVE_PUBLICS_VERSION_SECONDS)
    return version


@receiver(post_save, sender=PriorityPublic)
@receiver(post_delete, sender=PriorityPublic)
def _forget_active_publics_version(**kwargs) -> None:
    # Now, and once the change is visible to others (a request in between may have read the
    # rows as they were before the commit).
    cache.delete(ACTIVE_PUBLICS_VERSION_KEY)
    transaction.on_commit(lambda: cache.delete(ACTIVE_PUBLICS_VERSION_KEY))
