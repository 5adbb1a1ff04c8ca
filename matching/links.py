"""Signed links through which a mentor or a young person answers a proposal by e-mail, and a
minor's guardian objects to it."""

from django.core import signing
from django.urls import reverse

from mentees.consent import ConsentLinkError, guardian_payload, guardian_token
from users.signed_links import (
    INVALID,
    SignedLinkExpired,
    SignedLinkInvalid,
    load_signed_payload,
)

from .enums import Side
from .models import Mentorship

SALT = "matching.proposal-response"
MAX_AGE = 30 * 24 * 3600


class ResponseLinkError(Exception):
    """The message is shown to the person, in French."""


def response_path(mentorship: Mentorship, side: Side) -> str:
    token = signing.dumps({"m": mentorship.pk, "s": str(side)}, salt=SALT)
    return reverse("matching:respond_by_link", args=[token])


def mentorship_from_token(token: str) -> tuple[Mentorship, Side]:
    try:
        payload = load_signed_payload(token, salt=SALT, max_age=MAX_AGE)
    except SignedLinkExpired as error:
        raise ResponseLinkError(
            "Ce lien a expiré : la réponse se donne maintenant depuis « Mes propositions », "
            "après connexion, ou en nous écrivant."
        ) from error
    except SignedLinkInvalid as error:
        raise ResponseLinkError(INVALID) from error
    mentorship = (
        Mentorship.objects.select_related("mentor__user", "mentee__user")
        .filter(pk=payload.get("m"))
        .first()
    )
    if mentorship is None or payload.get("s") not in Side.values:
        raise ResponseLinkError("Ce lien n'est plus valide.")
    return mentorship, Side(payload["s"])


# --- The link through which a minor's guardian objects to a proposed mentor: signed like the
# guardian's consent link (mentees.consent), with the same validity and the same words.
GUARDIAN_OBJECTION_SALT = "matching.guardian-objection"


def guardian_objection_path(mentorship: Mentorship) -> str:
    token = guardian_token(mentorship.mentee, salt=GUARDIAN_OBJECTION_SALT, p=mentorship.pk)
    return reverse("matching:guardian_objection", args=[token])


def mentorship_from_guardian_token(token: str) -> Mentorship:
    """The proposal the link was signed for; ConsentLinkError (French) when the link is
    expired, tampered with, or the guardian's address has changed since."""
    mentee, payload = guardian_payload(token, salt=GUARDIAN_OBJECTION_SALT)
    mentorship = (
        Mentorship.objects.select_related("mentor__user", "mentee__user", "proposed_by")
        .filter(pk=payload.get("p"), mentee=mentee)
        .first()
    )
    if mentorship is None:
        raise ConsentLinkError("Ce lien n'est plus valide.")
    return mentorship
