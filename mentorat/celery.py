import functools
import logging
import os

import redis
from celery import Celery
from celery.contrib.django.task import DjangoTask
from django.db import transaction
from kombu.exceptions import OperationalError as BrokerError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentorat.settings.dev")

logger = logging.getLogger(__name__)

# What publishing raises when the broker cannot be reached (kombu wraps most of them).
BROKER_UNREACHABLE = (
    BrokerError,
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
    ConnectionError,
    TimeoutError,
)
# A task queued after a request's commit tries the broker twice, briefly: the request answers
# within a few seconds even when the broker is gone (each connection attempt gives up after
# the transport's socket_connect_timeout, settings CELERY_BROKER_TRANSPORT_OPTIONS).
AFTER_COMMIT_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0.1,
    "interval_step": 0.2,
    "interval_max": 0.2,
}


class Task(DjangoTask):
    """Every task of the project (the app's task_cls). `delay_on_commit` and
    `apply_async_on_commit` run after the transaction has saved what the person submitted:
    a broker that cannot be reached then must not turn that saved submission into a 500. The
    task is not queued and an error is logged with its name and arguments (ids only).

    An e-mail task (`owed_email = True`, users.tasks.EMAIL_RETRY) is not queued itself: its
    `delay_on_commit` writes an outbox row (users.OwedEmail) in the caller's transaction, and
    the row is sent after the commit by users.tasks.send_owed_email, or by the outbox's sweep
    if the broker could not be reached (users/outbox.py). A rolled-back transaction owes
    nothing."""

    # Set on the tasks that send the e-mails the platform owes (users.tasks.EMAIL_RETRY).
    owed_email = False
    # Said in the log when the task could not be queued: what becomes of it.
    not_queued_note = "it is not run"

    def delay_on_commit(self, *args, **kwargs) -> None:
        self.apply_async_on_commit(args, kwargs)

    def apply_async_on_commit(self, args=None, kwargs=None, **options) -> None:
        args, kwargs = tuple(args or ()), dict(kwargs or {})
        if self.owed_email:
            # Imported here: the Celery app is configured before Django's apps are loaded.
            from users.outbox import owed_email_record

            row = owed_email_record(task=self.name, args=args, kwargs=kwargs)
            self.app.tasks["users.tasks.send_owed_email"].apply_async_on_commit(
                (row.pk,), **options
            )
            return
        transaction.on_commit(functools.partial(self._queue_after_commit, args, kwargs, options))

    def _queue_after_commit(self, args, kwargs, options):
        options = {"retry_policy": AFTER_COMMIT_RETRY_POLICY, **options}
        try:
            return self.apply_async(args, kwargs, **options)
        except BROKER_UNREACHABLE as error:
            logger.error(
                "Task %s%r not queued, the broker is unreachable (%s): %s",
                self.name,
                tuple(args),
                self.not_queued_note,
                error,
            )
            return None


app = Celery("mentorat", task_cls=Task)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
