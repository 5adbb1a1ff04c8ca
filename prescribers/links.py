"""The signed, expiring link a referred young person receives to complete their
registration. The referral's address is signed too: correcting it voids the links sent."""

from django.conf import settings
from django.core import signing
from django.urls import reverse

from users.signed_links import (
    INVALID,
    SignedLinkExpired,
    SignedLinkInvalid,
    load_signed_payload,
)

from .models import Referral

SALT = "prescribers.referral-registration"


class ReferralLinkError(Exception):
    """The message is shown to the young person, in French."""


class ReferralLinkExpired(ReferralLinkError):
    pass


class ReferralAlreadyCompleted(ReferralLinkError):
    pass


def referral_token(referral: Referral) -> str:
    return signing.dumps({"r": referral.pk, "e": referral.email}, salt=SALT)


def referral_registration_path(referral: Referral) -> str:
    return reverse("prescribers:register", args=[referral_token(referral)])


def referral_from_token(token: str) -> Referral:
    """The referral a link is for, valid REFERRAL_LINK_MAX_AGE_DAYS (the e-mail says
    `rules.referral_link_validity`) and until the registration is completed;
    ReferralLinkError (French) otherwise."""
    max_age = settings.REFERRAL_LINK_MAX_AGE_DAYS * 24 * 3600
    try:
        payload = load_signed_payload(token, salt=SALT, max_age=max_age)
    except SignedLinkExpired as error:
        raise ReferralLinkExpired(
            "Ce lien a expiré. Demande à la personne qui t'a orienté vers le programme, ou à "
            "l'équipe du programme, de t'en envoyer un nouveau."
        ) from error
    except SignedLinkInvalid as error:
        raise ReferralLinkError(INVALID) from error
    referral = (
        Referral.objects.select_related("organisation")
        .filter(pk=payload.get("r"), email=payload.get("e"))
        .first()
    )
    if referral is None:
        raise ReferralLinkError("Ce lien n'est plus valide.")
    if referral.mentee_id is not None:
        raise ReferralAlreadyCompleted(
            "Ce lien a déjà servi : ton inscription est enregistrée. Tu as reçu un e-mail pour "
            "choisir ton mot de passe."
        )
    return referral
