"""Antennes: the programme's local branches. An antenne covers départements (each in at most
one antenne, a constraint of the database), shows its own contacts to its members instead of
the programme's, has its yearly target of pairs and its staff. A registration belongs to the
antenne of its département (`Antenne.objects.covering`), or to none: the national programme.
A coordinator moves a person to another antenne (users.services.registration_move_antenne),
each move recorded as an `AntenneMove`.

Imported by users/models.py: the registrations (mentors, mentees) point to an antenne."""

import time

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from phonenumber_field.modelfields import PhoneNumberField

from .enums import AntenneRole
from .geography import DEPARTMENT_NAMES, department_choices, department_label


def validate_department(value: str) -> None:
    if value not in DEPARTMENT_NAMES:
        raise ValidationError(f"« {value} » n'est pas un département connu.", code="unknown")


class AntenneQuerySet(models.QuerySet):
    def covering(self, department: str | None):
        """The antenne whose départements include `department` (at most one)."""
        return self.filter(departments__department=department or "")

    def for_department(self, department: str | None) -> "Antenne | None":
        if not department:
            return None
        return self.covering(department).first()


class Antenne(models.Model):
    name = models.CharField("nom", max_length=120, unique=True)
    # Shown to the antenne's members (footer, « Mon espace », e-mails) instead of the
    # programme's contacts.
    contact_name = models.CharField(
        "nom du contact", max_length=150, blank=True, help_text="Par exemple « Équipe de Lyon »."
    )
    contact_email = models.EmailField("e-mail de contact")
    contact_phone = PhoneNumberField("téléphone de contact", blank=True)
    address = models.TextField("adresse", max_length=500, blank=True)
    opening_hours = models.CharField(
        "horaires d'accueil",
        max_length=200,
        blank=True,
        help_text="Par exemple « du lundi au vendredi, de 9 h à 17 h ».",
    )
    target_pairs_per_year = models.PositiveIntegerField(
        "objectif de binômes par an", null=True, blank=True
    )
    created_at = models.DateTimeField("créée le", default=timezone.now)

    objects = AntenneQuerySet.as_manager()

    class Meta:
        verbose_name = "antenne"
        verbose_name_plural = "antennes"
        ordering = ["name"]

    def __str__(self):
        return self.name

    def contacts(self) -> list[dict]:
        """The antenne's contacts, shaped as settings.PROGRAMME_CONTACTS (name, email) plus
        what only an antenne has (phone, address, hours)."""
        return [
            {
                "name": self.contact_name or f"Antenne {self.name}",
                "email": self.contact_email,
                # As people write it (« 01 48 00 00 00 »), and for a tel: link.
                "phone": str(self.contact_phone) if self.contact_phone else "",
                "phone_e164": self.contact_phone.as_e164 if self.contact_phone else "",
                "address": self.address,
                "hours": self.opening_hours,
                "antenne": self.name,
            }
        ]


class AntenneDepartment(models.Model):
    """One département an antenne covers: unique, so that a département is in one antenne."""

    antenne = models.ForeignKey(Antenne, on_delete=models.CASCADE, related_name="departments")
    department = models.CharField(
        "département",
        max_length=3,
        unique=True,
        choices=department_choices(),
        validators=[validate_department],
        error_messages={"unique": "Ce département appartient déjà à une autre antenne."},
    )

    class Meta:
        verbose_name = "département d'une antenne"
        verbose_name_plural = "départements d'une antenne"
        ordering = ["department"]

    def __str__(self):
        return department_label(self.department)


class AntenneMembership(models.Model):
    """A staff member's place in one antenne (one at most): its coordination or a référent."""

    antenne = models.ForeignKey(Antenne, on_delete=models.CASCADE, related_name="memberships")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="membre de l'équipe",
        on_delete=models.CASCADE,
        related_name="antenne_membership",
        limit_choices_to={"is_staff": True},
    )
    role = models.CharField("rôle", max_length=16, choices=AntenneRole.choices)
    created_at = models.DateTimeField("depuis le", default=timezone.now)

    class Meta:
        verbose_name = "membre de l'équipe d'une antenne"
        verbose_name_plural = "équipe de l'antenne"

    def __str__(self):
        return f"{self.user} ({self.get_role_display()}, {self.antenne})"


class AntenneMove(models.Model):
    """A person moved from one antenne to another by a coordinator: who, when, why. Keyed by
    the person's account (a registration is a mentor's or a young person's)."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="personne",
        on_delete=models.CASCADE,
        related_name="antenne_moves",
    )
    from_antenne = models.ForeignKey(
        Antenne,
        verbose_name="ancienne antenne",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    to_antenne = models.ForeignKey(
        Antenne,
        verbose_name="nouvelle antenne",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    moved_at = models.DateTimeField("le", default=timezone.now)
    moved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="par",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = models.TextField("motif", max_length=1000)

    class Meta:
        verbose_name = "changement d'antenne"
        verbose_name_plural = "changements d'antenne"
        ordering = ["-moved_at", "-pk"]

    def __str__(self):
        return (
            f"{self.person} : {self.from_antenne or 'national'} → {self.to_antenne or 'national'}"
        )


def antenne_of(user) -> Antenne | None:
    """The antenne of a member (a mentor's or a young person's registration), in one query;
    None for the national programme, staff and visitors."""
    if not getattr(user, "is_authenticated", False) or user.is_staff:
        return None
    return (
        Antenne.objects.filter(models.Q(mentors__user=user) | models.Q(mentees__user=user))
        .order_by()
        .first()
    )


def antenne_contacts(antenne: Antenne | None) -> list[dict]:
    return antenne.contacts() if antenne is not None else settings.PROGRAMME_CONTACTS


def contacts_for(user) -> list[dict]:
    """Whom a member writes to: their antenne's contacts, or the programme's (no antenne,
    staff, visitors). At most one query."""
    return antenne_contacts(antenne_of(user))


# Every page shows a member their contacts (the footer): read from the cache, not the database.
# Each member's entry carries the generation it was computed in; any change of an antenne or of
# who belongs where (`contacts_changed`) starts a new generation, and the older entries are
# computed again when next read. An entry lives an hour at most.
GENERATION_KEY = "antennes:contacts-generation"
MEMBER_CONTACTS_SECONDS = 3600


def _member_key(user_id: int) -> str:
    return f"antennes:contacts:{user_id}"


def contacts_changed() -> None:
    """An antenne's contacts changed, or somebody's antenne: every cached entry is stale. Call it
    once the change is committed (transaction.on_commit)."""
    cache.set(GENERATION_KEY, time.time_ns(), None)


def cached_contacts_for(user) -> list[dict]:
    """`contacts_for`, from the cache (no query) unless something changed since it was read."""
    if not getattr(user, "is_authenticated", False) or user.is_staff:
        return settings.PROGRAMME_CONTACTS
    key = _member_key(user.pk)
    found = cache.get_many([GENERATION_KEY, key])
    generation = found.get(GENERATION_KEY)
    if generation is None:
        # A cache emptied (or evicted): a new generation, so no older entry is trusted.
        generation = time.time_ns()
        cache.add(GENERATION_KEY, generation, None)
    entry = found.get(key)
    if entry is not None and entry[0] == generation:
        return entry[1]
    contacts = contacts_for(user)
    cache.set(key, (generation, contacts), MEMBER_CONTACTS_SECONDS)
    return contacts


def contacts_for_registration(registration) -> list[dict]:
    """`contacts_for` from a registration whose antenne is loaded (select_related): no query."""
    return antenne_contacts(registration.antenne if registration.antenne_id else None)


def antenne_changed(sender, instance, **kwargs) -> None:
    """An antenne saved or deleted (signals post_save, post_delete): its members' cached
    contacts are stale once committed."""
    transaction.on_commit(contacts_changed)


def note_member_contacts(sender, request, user, **kwargs) -> None:
    """At login (signal user_logged_in): the member's contacts are read once into the cache,
    so that their pages cost no query for them."""
    cached_contacts_for(user)
