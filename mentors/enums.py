from django.db import models


class ExchangeKind(models.TextChoices):
    CALL = "call", "appel"
    MEETING = "meeting", "rencontre"
    WORKSHOP = "workshop", "atelier collectif de bonnes pratiques"
    NOTE = "note", "note"


class ScreeningDocument(models.TextChoices):
    """The documents a coordinator may see for an honorability check. The stored value is
    the wording itself: checks recorded before the list existed keep reading the same."""

    CRIMINAL_RECORD = (
        "Extrait de casier judiciaire (bulletin n° 3)",
        "Extrait de casier judiciaire (bulletin n° 3)",
    )
    FIJAIS = "Attestation FIJAIS", "Attestation de non-inscription au FIJAIS"


class ScreeningState(models.TextChoices):
    """Where a mentor who accepts minors stands with their honorability check today."""

    VALID = "valide", "valide"
    EXPIRING_SOON = "expire_bientot", "expire bientôt"
    EXPIRED = "expire", "expiré"
    ABSENT = "absent", "absent"


class TrainingKind(models.TextChoices):
    """The trainings the association runs for its mentors: the initial one, before a first
    pair, and the workshops of good practice along the way."""

    INITIAL = "initial", "formation initiale"
    WORKSHOP = "workshop", "atelier de bonnes pratiques"
