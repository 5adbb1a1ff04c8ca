import time

import pytest
from django.core import mail
from django.urls import reverse

from mentors.models import Mentor
from tests.mentors.form_data import mentor_form_data


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
