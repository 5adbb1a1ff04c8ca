"""French postal codes and départements."""

import re

from django.core.exceptions import ValidationError

POSTAL_CODE_RE = re.compile(r"^\d{5}$")
# Overseas départements use three digits (971 Guadeloupe … 976 Mayotte).
OVERSEAS_PREFIXES = {"971", "972", "973", "974", "976"}


def department_from_postal_code(postal_code: str) -> str | None:
    """Return the département code of a French postal code, or None if it is not one."""
    postal_code = (postal_code or "").strip()
    if not POSTAL_CODE_RE.match(postal_code):
        return None
    prefix = postal_code[:2]
    if prefix == "00" or prefix == "96":
        return None
    if prefix == "20":
        # Corsica: 200xx–201xx is Corse-du-Sud, 202xx–206xx Haute-Corse.
        return "2A" if int(postal_code[2]) <= 1 else "2B"
    if prefix == "97":
        return postal_code[:3] if postal_code[:3] in OVERSEAS_PREFIXES else None
    if prefix in {"98", "99"}:
        return None
    return prefix


def validate_postal_code(value: str) -> None:
    if department_from_postal_code(value) is None:
        raise ValidationError(
            "Saisissez un code postal français à 5 chiffres (par exemple 93200).",
            code="invalid_postal_code",
        )
