"""Signed, expiring links sent by e-mail (a guardian's consent, an answer to a proposal)."""

from django.core import signing

INVALID = "Ce lien n'est pas valide : il n'a peut-être pas été copié en entier depuis l'e-mail."


class SignedLinkExpired(Exception):
    pass


class SignedLinkInvalid(Exception):
    pass


def load_signed_payload(token: str, *, salt: str, max_age: int) -> dict:
    """The payload of a link made with `signing.dumps(..., salt=salt)`; raises
    SignedLinkExpired or SignedLinkInvalid (tampered, truncated, another salt)."""
    try:
        payload = signing.loads(token, salt=salt, max_age=max_age)
    except signing.SignatureExpired as error:
        raise SignedLinkExpired from error
    except signing.BadSignature as error:
        raise SignedLinkInvalid from error
    if not isinstance(payload, dict):
        raise SignedLinkInvalid
    return payload
