import os
import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.urls import reverse

from mentorat.celery import app as celery_app
from mentors.models import Mentor
from tests.mentors.form_data import mentor_form_data


@pytest.fixture
def real_worker(settings):
    """A Celery worker consuming the real Redis broker, in a thread of this process."""
    if not os.environ.get("REDIS_URL"):
        pytest.skip("REDIS_URL is not set: no broker to run a real worker against")
    celery_app.conf.task_always_eager = False
    celery_app.control.purge()
    try:
        with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            yield
    finally:
        celery_app.conf.task_always_eager = True


# The worker reads the database from another thread: it only sees committed rows.
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_sends_the_acknowledgement_once_the_registration_is_committed(
    client, real_worker
):
    response = client.post(reverse("mentors:register"), mentor_form_data())
    assert response.status_code == 302
    assert Mentor.objects.count() == 1

    deadline = time.monotonic() + 20
    while not mail.outbox and time.monotonic() < deadline:
        time.sleep(0.1)

    [message] = mail.outbox
    assert message.to == ["sophie.lemoine@example.org"]
    assert "inscription bien reçue" in message.subject
