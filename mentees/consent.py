"""Signed, expiring links sent to a minor's legal guardian: to give consent here, and to
object to a proposed mentor (matching.links signs those with `guardian_token`)."""

from django.conf import settings
from django.core import signing
from django.urls import reverse

from users.signed_links import (
    INVALID,
    SignedLinkExpired,
    SignedLinkInvalid,
    load_signed_payload,
)

from .models import Mentee

SALT = "mentees.guardian-consent"


class ConsentLinkError(Exception):
    """The message is shown to the guardian, in French."""


class ConsentLinkExpired(ConsentLinkError):
    pass


class ConsentAlreadyGiven(ConsentLinkError):
    pass


def guardian_token(mentee: Mentee, *, salt: str, **extra) -> str:
    """A link's token for the guardian of `mentee`, with `extra` signed too. The guardian's
    address is signed as well: changing it voids the links already sent."""
    return signing.dumps({"m": mentee.pk, "e": mentee.guardian_email, **extra}, salt=salt)


def guardian_payload(token: str, *, salt: str) -> tuple[Mentee, dict]:
    """The young person and the payload of a guardian's link, valid for
    GUARDIAN_CONSENT_LINK_MAX_AGE_DAYS (the words the e-mails say:
    `rules.guardian_consent_link_validity`); ConsentLinkError (French) otherwise."""
    max_age = settings.GUARDIAN_CONSENT_LINK_MAX_AGE_DAYS * 24 * 3600
    try:
        payload = load_signed_payload(token, salt=salt, max_age=max_age)
    except SignedLinkExpired as error:
        raise ConsentLinkExpired(
            "Ce lien a expiré. Contactez l'équipe du programme pour en recevoir un nouveau."
        ) from error
    except SignedLinkInvalid as error:
        raise ConsentLinkError(INVALID) from error
    mentee = (
        Mentee.objects.select_related("user")
        .filter(pk=payload.get("m"), guardian_email=payload.get("e"))
        .exclude(guardian_email="")
        .first()
    )
    if mentee is None:
        raise ConsentLinkError("Ce lien n'est plus valide.")
    return mentee, payload


def guardian_consent_path(mentee: Mentee) -> str:
    return reverse("mentees:guardian_consent", args=[guardian_token(mentee, salt=SALT)])


def mentee_from_consent_token(token: str) -> Mentee:
    mentee, _ = guardian_payload(token, salt=SALT)
    if mentee.guardian_consent_at is not None:
        raise ConsentAlreadyGiven(
            "Ce lien a déjà été utilisé : votre accord a bien été enregistré. Merci !"
        )
    return mentee
