from django.db import models


class Situation(models.TextChoices):
    COLLEGIEN = "collegien", "Collégien ou collégienne"
    LYCEEN = "lyceen", "Lycéen ou lycéenne"
    ETUDIANT = "etudiant", "Étudiant ou étudiante"
    APPRENTI = "apprenti", "Apprenti ou apprentie"
    JOB_SEEKER = "job_seeker", "En recherche d'emploi"
    EMPLOYED = "employed", "En emploi"
    INACTIVE = "inactive", "Sans activité"


class Declarant(models.TextChoices):
    """Who said a young person belongs to a priority public."""

    MENTEE = "mentee", "Le jeune"
    STAFF = "staff", "L'équipe"
    # The school, Mission Locale or service that referred the young person (prescribers/).
    PRESCRIBER = "referrer", "Le prescripteur"
