"""Signed, expiring links through which a minor's legal guardian gives consent."""

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


def guardian_consent_path(mentee: Mentee) -> str:
    # The guardian's address is signed too: changing it voids the links already sent.
    token = signing.dumps({"m": mentee.pk, "e": mentee.guardian_email}, salt=SALT)
    return reverse("mentees:guardian_consent", args=[token])


def mentee_from_consent_token(token: str) -> Mentee:
    max_age = settings.GUARDIAN_CONSENT_LINK_MAX_AGE_DAYS * 24 * 3600
    try:
        payload = load_signed_payload(token, salt=SALT, max_age=max_age)
    except SignedLinkExpired as error:
        raise ConsentLinkExpired(
            "Ce lien a expiré. Contactez l'équipe du programme pour en recevoir un nouveau."
        ) from error
    except SignedLinkInvalid as error:
        raise ConsentLinkError(INVALID) from error
    mentee = (
        Mentee.objects.select_related("user")
        .filter(pk=payload.get("m"), guardian_email=payload.get("e"))
        .first()
    )
    if mentee is None:
        raise ConsentLinkError("Ce lien n'est plus valide.")
    if mentee.guardian_consent_at is not None:
        raise ConsentAlreadyGiven(
            "Ce lien a déjà été utilisé : votre accord a bien été enregistré. Merci !"
        )
    return mentee
