from celery import shared_task

from .retention import retention_apply


@shared_task
def apply_retention() -> int:
    """Nightly (beat): anonymise the accounts past their retention period."""
    return len(retention_apply())
