from django.db import models


class SessionFormat(models.TextChoices):
    IN_PERSON = "in_person", "En personne"
    VIDEO = "video", "En visio"
    PHONE = "phone", "Au téléphone"


class SessionTopic(models.TextChoices):
    ORIENTATION = "orientation", "Orientation"
    PROJECT = "project", "Projet professionnel"
    PROFESSIONAL_WORLD = "professional_world", "Découverte du monde professionnel"
    INTERNSHIP = "internship", "Recherche de stage"
    ALTERNANCE = "alternance", "Recherche d'alternance"
    JOB_SEARCH = "job_search", "Recherche d'emploi"
    CV_INTERVIEW = "cv_interview", "CV, lettre, entretien"
    SOFT_SKILLS = "soft_skills", "Savoir-être"
    SELF_CONFIDENCE = "self_confidence", "Confiance en soi"
    NETWORK = "network", "Réseau"
    OTHER = "other", "Autre"


class ObjectivesProgress(models.TextChoices):
    NONE = "none", "Pas encore"
    SOME = "some", "Un peu"
    CLEAR = "clear", "Nettement"
    ACHIEVED = "achieved", "Objectifs atteints"
