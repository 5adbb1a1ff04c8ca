from celery import shared_task


@shared_task
def daily_sweep() -> None:
    from .sweep import sweep_and_enqueue

    sweep_and_enqueue()


@shared_task
def requeue_stalled_reminders() -> None:
    from .sweep import requeue_stalled

    requeue_stalled()


@shared_task
def weekly_digests() -> None:
    from .sweep import digests_and_enqueue

    digests_and_enqueue()


# Short backoff only: a countdown longer than the Redis broker's visibility timeout would have
# the message redelivered to another worker while this one still holds it.
RETRY_BASE_SECONDS = 60
RETRY_MAX_SECONDS = 600


@shared_task(bind=True, max_retries=5)
def send_reminder(self, reminder_id: int) -> bool:
    """Send one recorded reminder (ids only: the row is read, and locked, at send time)."""
    from users.outbox import is_permanent

    from .sending import MAIL_ERRORS, mark_failed, send_reminder_now

    try:
        return send_reminder_now(reminder_id)
    except MAIL_ERRORS as error:
        # A 5xx refusal would be refused again: failed at once, as the owed e-mails are.
        if is_permanent(error) or self.request.retries >= self.max_retries:
            # Recorded, not lost: the admin's « Renvoyer » puts it back in the queue.
            mark_failed(reminder_id, error)
            return False
        countdown = min(RETRY_BASE_SECONDS * 2**self.request.retries, RETRY_MAX_SECONDS)
        raise self.retry(exc=error, countdown=countdown) from error
