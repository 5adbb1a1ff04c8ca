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
    task is not queued and an error is logged with its name and arguments (ids only); the
    e-mail it would have sent is not sent (issue 16: the outbox will send it later)."""

    def delay_on_commit(self, *args, **kwargs) -> None:
        transaction.on_commit(functools.partial(self._queue_after_commit, args, kwargs, {}))

    def apply_async_on_commit(self, args=None, kwargs=None, **options) -> None:
        transaction.on_commit(
            functools.partial(self._queue_after_commit, args or (), kwargs or {}, options)
        )

    def _queue_after_commit(self, args, kwargs, options):
        options = {"retry_policy": AFTER_COMMIT_RETRY_POLICY, **options}
        try:
            return self.apply_async(args, kwargs, **options)
        except BROKER_UNREACHABLE as error:
            logger.error(
                "Task %s%r not queued, the broker is unreachable: %s", self.name, tuple(args), error
            )
            return None


app = Celery("mentorat", task_cls=Task)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
