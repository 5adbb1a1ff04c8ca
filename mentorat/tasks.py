"""Celery's autodiscovery imports `<app>.tasks` of every installed app: this module makes the
project app's tasks, which live in sub-packages, known to the worker."""

from .privacy.tasks import apply_retention

__all__ = ["apply_retention"]
