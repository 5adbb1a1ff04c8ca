"""French that fits its reader: agreement with a person's civility and exact validity dates.

`{% load wording %}` in members' pages and e-mails:

- `{% agree mentee "s'est inscrit" "s'est inscrite" "a demandé son inscription" %}`: the
  masculine, the feminine, or, when the person gave no civility, a neutral wording (never
  « inscrit·e »: written French read aloud or by a screen reader stumbles on it);
- `{% valid_until days=rules.guardian_consent_link_days %}` or
  `{% valid_until seconds=… %}`: the moment a link signed now stops working, in Europe/Paris,
  « 16 décembre 2026 à 7h08 » (a reader acts on a date, not on « quelques jours »).
"""

import datetime
import re

from django import template
from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format

from users.enums import Civility

register = template.Library()


@register.simple_tag
def agree(person, masculine: str, feminine: str, neutral: str | None = None) -> str:
    """The words agreeing with `person`'s civility (any object with `civility`: a mentor's or a
    young person's registration); `neutral` when none was given (the masculine if omitted,
    for words that do not change)."""
    civility = getattr(person, "civility", "") or ""
    if civility == Civility.MADAME:
        return feminine
    if civility == Civility.MONSIEUR:
        return masculine
    return masculine if neutral is None else neutral


# A label written for anybody, « Étudiant ou étudiante »: both forms, one word each.
BOTH_FORMS = re.compile(r"^(\w+) ou (\w+)$")


@register.filter
def agreed(label: str, person) -> str:
    """« Étudiant ou étudiante » as « Étudiant » or « Étudiante » when `person` gave a
    civility (the case of the first letter kept); any other label as it is."""
    match = BOTH_FORMS.match(str(label))
    if not match:
        return label
    civility = getattr(person, "civility", "") or ""
    if civility not in (Civility.MADAME, Civility.MONSIEUR):
        return label
    masculine, feminine = match.groups()
    word = feminine if civility == Civility.MADAME else masculine
    return word[0].upper() + word[1:] if label[0].isupper() else word


def expiry_words(moment: datetime.datetime) -> str:
    """« 16 décembre 2026 à 7h08 » in the current time zone (Europe/Paris)."""
    local = timezone.localtime(moment)
    # French writes the first day of a month as an ordinal: « 1er janvier ».
    day = "1er" if local.day == 1 else str(local.day)
    return f"{day} {date_format(local, 'F Y')} à {local.hour}h{local.minute:02d}"


@register.simple_tag
def valid_until(*, days: int = 0, seconds: int = 0) -> str:
    """When a link made now (the e-mail is rendered when the link is signed) expires."""
    return expiry_words(timezone.now() + datetime.timedelta(days=days, seconds=seconds))


@register.simple_tag
def password_link_valid_until() -> str:
    """When a password link made now expires (Django's tokens last PASSWORD_RESET_TIMEOUT)."""
    return expiry_words(
        timezone.now() + datetime.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT)
    )
