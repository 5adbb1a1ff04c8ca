from django.db import models


class DataAccessFormat(models.TextChoices):
    PAGE = "page", "Page"
    JSON = "json", "Fichier JSON"


class ErasureReason(models.TextChoices):
    REQUEST = "request", "Demande de la personne"
    RETENTION = "retention", "Durée de conservation écoulée"
