"""Redis stopped under the site (issue 16): it is the shared cache (rate limits, cached
figures) and the Celery broker. A test's own redis-server is stopped and started again; the
forms keep saving, the limits keep limiting (per process), the cache goes back to Redis, the
health check says « dégradé »."""

import logging
import time

import pytest
from django.test import override_settings
from django.urls import reverse

from mentees.models import Mentee
from mentors.models import Mentor
from tests.mentees.form_data import mentee_form_data
from tests.mentors.form_data import mentor_form_data
from tests.users.factories import DEFAULT_PASSWORD, UserFactory
from users.enums import OwedEmailStatus
from users.models import OwedEmail, User

from .services import RETRY_SECONDS, queued_tasks


def keys_in_redis(redis_server) -> list[bytes]:
    with redis_server.client() as client:
        return client.keys("*")


# Every e-mail is queued after the commit: the broker is only reached once the transaction
# has committed, so these tests commit for real.
@pytest.mark.django_db(transaction=True)
def test_with_redis_stopped_registrations_are_saved_and_answered(
    client, shared_cache, broker, caplog
):
    broker.stop()

    with caplog.at_level(logging.WARNING):
        young = client.post(reverse("mentees:register"), mentee_form_data())
        mentor = client.post(reverse("mentors:register"), mentor_form_data())

    assert young.status_code == 302
    assert mentor.status_code == 302
    assert Mentee.objects.filter(user__email="yanis.benali@example.org").exists()
    assert Mentor.objects.filter(user__email="sophie.lemoine@example.org").exists()
    # Said in the log, once per process for the cache and once per task not queued.
    warnings = [record.getMessage() for record in caplog.records]
    assert sum("Redis cache unreachable" in message for message in warnings) == 1
    not_queued = [message for message in warnings if "not queued" in message]
    assert len(not_queued) == 2
    assert all("users.tasks.send_owed_email" in message for message in not_queued)
    assert all("sweep sends it once the broker is back" in message for message in not_queued)
    # Owed, not lost: both acknowledgements wait in the outbox (test_outbox_faults.py sends
    # them once Redis is back).
    assert (
        list(OwedEmail.objects.values_list("task", "status"))
        == [("users.tasks.send_registration_email", OwedEmailStatus.PENDING)] * 2
    )

    # Redis back: the next submission's e-mail reaches the broker again.
    broker.start()
    again = client.post(
        reverse("mentors:register"), mentor_form_data(email="marc.dupont@example.org")
    )

    assert again.status_code == 302
    assert queued_tasks(broker) == ["users.tasks.send_owed_email"]


@pytest.mark.django_db(transaction=True)
def test_with_redis_stopped_people_log_in_and_ask_for_a_new_password(client, shared_cache, broker):
    UserFactory(email="lea.martin@example.org")
    broker.stop()

    reset = client.post(reverse("password_reset"), {"email": "lea.martin@example.org"})
    login = client.post(
        reverse("login"), {"username": "lea.martin@example.org", "password": DEFAULT_PASSWORD}
    )

    assert reset.status_code == 302
    assert login.status_code == 302
    assert client.session["_auth_user_id"] == str(User.objects.get().pk)
    # The password link is owed, not lost: the sweep sends it once the broker is back.
    [owed] = OwedEmail.objects.filter(task="users.tasks.send_password_reset_email")
    assert owed.status == OwedEmailStatus.PENDING


@pytest.mark.django_db
@override_settings(REGISTRATION_RATE_LIMIT="2/h")
def test_with_redis_stopped_the_registration_limit_still_counts_in_the_process(
    client, shared_cache, redis_server
):
    redis_server.stop()

    answers = [
        client.post(reverse("mentors:register"), mentor_form_data(email=f"m{n}@example.org"))
        for n in range(3)
    ]

    assert [answer.status_code for answer in answers] == [302, 302, 429]
    assert Mentor.objects.count() == 2


@pytest.mark.django_db
@override_settings(REGISTRATION_RATE_LIMIT="2/h")
def test_with_redis_running_the_registration_limit_counts_in_redis(
    client, shared_cache, redis_server
):
    client.post(reverse("mentors:register"), mentor_form_data())

    # Shared by every web process: the counter is in Redis, not in this process.
    assert len(keys_in_redis(redis_server)) == 1
    assert not shared_cache.degraded


def test_the_cache_goes_back_to_redis_once_it_restarts(quick_retry_cache, redis_server, caplog):
    shared_cache = quick_retry_cache
    redis_server.stop()
    with caplog.at_level(logging.WARNING):
        for _ in range(10):
            shared_cache.set("figures", "counted while Redis was down")
        assert shared_cache.get("figures") == "counted while Redis was down"
    assert shared_cache.degraded
    # One warning for the outage, not one per call.
    assert len([r for r in caplog.records if "unreachable" in r.getMessage()]) == 1

    redis_server.start()
    time.sleep(RETRY_SECONDS)
    shared_cache.set("figures", "counted with Redis back")

    assert not shared_cache.degraded
    assert keys_in_redis(redis_server) != []
    assert shared_cache.get("figures") == "counted with Redis back"
    # What was kept in the process during the outage is gone: it cannot resurface later.
    redis_server.stop()
    time.sleep(RETRY_SECONDS)
    assert shared_cache.get("figures") is None


def test_the_cache_does_not_try_a_stopped_redis_again_before_the_retry_delay(
    shared_cache, redis_server
):
    redis_server.stop()
    shared_cache.set("figures", 1)
    redis_server.start()

    shared_cache.set("figures", 2)

    # Still local: Redis is tried again only after the retry delay.
    assert shared_cache.degraded
    assert keys_in_redis(redis_server) == []


@pytest.mark.django_db
def test_the_health_check_says_redis_is_degraded_while_it_is_stopped(client, redis_server):
    with override_settings(REDIS_URL=redis_server.url):
        running = client.get(reverse("health"))
        redis_server.stop()
        stopped = client.get(reverse("health"))

    assert running.status_code == 200
    assert "Redis : en service" in running.content.decode()
    assert stopped.status_code == 200
    page = stopped.content.decode()
    assert "En service, dégradé" in page
    assert "Redis : dégradé, injoignable" in page
    assert "Base de données : en service" in page
