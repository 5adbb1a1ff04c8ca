from django.db import models

from users.programme import RULES


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


class ComplianceState(models.TextChoices):
    ON_TRACK = "on_track", "À jour"
    DUE_SOON = "due_soon", f"Rencontre à prévoir sous {RULES.due_soon}"
    OVERDUE = "overdue", "En retard"


class ObjectiveStatus(models.TextChoices):
    OPEN = "open", "À commencer"
    IN_PROGRESS = "in_progress", "En cours"
    ACHIEVED = "achieved", "Atteint"
    ABANDONED = "abandoned", "Abandonné"


class CloseReason(models.TextChoices):
    OBJECTIVES_ACHIEVED = "objectives_achieved", "Objectifs atteints"
    MENTEE_WITHDREW = "mentee_withdrew", "Le jeune a arrêté"
    MENTOR_WITHDREW = "mentor_withdrew", "Le mentor a arrêté"
    UNREACHABLE = "unreachable", "Plus de nouvelles"
    REMATCH_NEEDED = "rematch_needed", "Un autre mentor est nécessaire"
    OTHER = "other", "Autre raison"
