from django.db import models


class OrganisationKind(models.TextChoices):
    SCHOOL = "school", "Établissement scolaire"
    MISSION_LOCALE = "mission_locale", "Mission Locale"
    CHILD_WELFARE = "child_welfare", "ASE (aide sociale à l'enfance)"
    SOCIAL_SERVICE = "social_service", "Service social"
    OTHER = "other", "Autre"


class Stage(models.TextChoices):
    """Where a referred young person is, as their prescriber sees it: nothing more."""

    REFERRED = "referred", "Orienté"
    REGISTERED = "registered", "Inscrit"
    APPROVED = "approved", "Validé"
    MATCHED = "matched", "En binôme"
    ACTIVE = "active", "Actif"
    ENDED = "ended", "Terminé"
    # Off the path: the registration was not retained (the reason stays with the team).
    NOT_RETAINED = "not_retained", "Inscription non retenue"


# The path, in order (NOT_RETAINED is off it).
PATH = [
    Stage.REFERRED,
    Stage.REGISTERED,
    Stage.APPROVED,
    Stage.MATCHED,
    Stage.ACTIVE,
    Stage.ENDED,
]


class ConsultedPage(models.TextChoices):
    LIST = "list", "Liste des jeunes orientés"
    DETAIL = "detail", "Suivi d'un jeune"
