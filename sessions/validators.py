"""A web link as a browser follows it: what a member types for a video meeting is put in an
`href` of the other member's pages and e-mails."""

import unicodedata

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

LINK_INVALID = (
    "Saisissez une adresse web valide, qui commence par https:// (sans espace ni guillemet)."
)

# ASCII characters that the URL standard (WHATWG) does not allow unencoded in a URL: a
# browser would have to guess, and in markup they end an attribute or open a tag.
FORBIDDEN = frozenset(' "<>\\^`{|}')

_url = URLValidator(schemes=["http", "https"], message=LINK_INVALID)


def validate_web_link(value: str) -> None:
    """http(s) only, no whitespace, quote, angle bracket or control character anywhere."""
    if not value:
        return
    for character in value:
        if (
            character in FORBIDDEN
            or character.isspace()
            or unicodedata.category(character) in ("Cc", "Cf", "Cs", "Co", "Cn")
        ):
            raise ValidationError(LINK_INVALID, code="invalid")
    _url(value)
