from celery import shared_task


@shared_task
def daily_sweep() -> None:
    from .sweep import sweep_and_enqueue

    sweep_and_enqueue()


@shared_task
def weekly_digests() -> None:
    from .sweep import digests_and_enqueue

    digests_and_enqueue()
