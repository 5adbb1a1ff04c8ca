from django.db import models


class ExchangeKind(models.TextChoices):
    CALL = "call", "appel"
    MEETING = "meeting", "rencontre"
    WORKSHOP = "workshop", "atelier collectif de bonnes pratiques"
    NOTE = "note", "note"
