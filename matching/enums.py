from django.db import models


class MentorshipStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposé"
    ACTIVE = "active", "Actif"
    DECLINED = "declined", "Refusé"
    CLOSED = "closed", "Terminé"


class Response(models.TextChoices):
    PENDING = "pending", "En attente"
    ACCEPTED = "accepted", "Accepté"
    DECLINED = "declined", "Refusé"


class Side(models.TextChoices):
    MENTOR = "mentor", "Mentor"
    MENTEE = "mentee", "Jeune"


class BatchStatus(models.TextChoices):
    PENDING = "pending", "En attente"
    RUNNING = "running", "En cours"
    DONE = "done", "Terminé"
    FAILED = "failed", "Échec"
