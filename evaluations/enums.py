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
    # The closure questionnaire, one per member of a closed pair (Response.side): what went
    # well, whether they would recommend the programme, whether they would start again.
    CLOSURE = "closure", "Clôture du mentorat"


class QuestionMoment(models.TextChoices):
    BOTH = "both", "Début et fin"
    START = "start", "Début seulement"
    END = "end", "Fin seulement"


class ResponseStatus(models.TextChoices):
    DRAFT = "draft", "Brouillon"
    SUBMITTED = "submitted", "Envoyé"


class InterviewWith(models.TextChoices):
    """With whom the référent held the closure interview (« entretien de fin »)."""

    MENTOR = "mentor", "Le mentor"
    MENTEE = "mentee", "Le jeune"
    BOTH = "both", "Les deux"
