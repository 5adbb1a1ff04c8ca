from django.db import models


class QuestionKind(models.TextChoices):
    SCALE = "scale", "Échelle de 1 à 5"
    SINGLE_CHOICE = "single_choice", "Choix unique"
    MULTIPLE_CHOICE = "multiple_choice", "Choix multiple"
    SHORT_TEXT = "short_text", "Texte court"
    LONG_TEXT = "long_text", "Texte long"


class Moment(models.TextChoices):
    START = "start", "Début du mentorat"
    END = "end", "Fin du mentorat"


class QuestionMoment(models.TextChoices):
    BOTH = "both", "Début et fin"
    START = "start", "Début seulement"
    END = "end", "Fin seulement"


class ResponseStatus(models.TextChoices):
    DRAFT = "draft", "Brouillon"
    SUBMITTED = "submitted", "Envoyé"
