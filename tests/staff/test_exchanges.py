import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from matching.services import PairRuleError
from mentors.enums import ExchangeKind
from mentors.models import Exchange
from mentors.services_exchanges import exchange_record
from tests.mentors.factories import MentorFactory
from tests.users.factories import UserFactory

pytestmark = pytest.mark.django_db
EXCHANGE = reverse("admin:referent_exchange")


@pytest.fixture
def referent(client):
    user = UserFactory(staff=True)
    client.force_login(user)
    return user


def test_a_workshop_is_recorded_once_with_several_mentors(client, referent):
    first, second = MentorFactory.create_batch(2, approved=True, referent=referent)
    today = timezone.localdate()

    page = client.post(
        EXCHANGE,
        {
            "mentors": [first.pk, second.pk],
            "happened_on": today.isoformat(),
            "kind": ExchangeKind.WORKSHOP,
            "note": "Atelier sur la première séance.",
        },
        follow=True,
    )

    assert page.status_code == 200
    exchange = Exchange.objects.get()
    assert exchange.referent == referent
    assert set(exchange.mentors.all()) == {first, second}
    assert exchange.kind == ExchangeKind.WORKSHOP
    assert exchange.history.count() == 1
    html = page.content.decode()
    assert "Atelier collectif de bonnes pratiques" in html
    assert "Atelier sur la première séance." in html


def test_only_the_referents_own_mentors_are_offered(client, referent):
    mine = MentorFactory(approved=True, referent=referent)
    other = MentorFactory(approved=True, referent=UserFactory(staff=True))

    html = client.get(reverse("admin:referent_home")).content.decode()
    assert f'value="{mine.pk}"' in html
    assert str(other) not in html

    page = client.post(
        EXCHANGE,
        {
            "mentors": [other.pk],
            "happened_on": timezone.localdate().isoformat(),
            "kind": ExchangeKind.CALL,
        },
    )
    assert page.status_code == 400
    assert "mentors que vous suivez" in page.content.decode()
    assert not Exchange.objects.exists()


def test_a_future_date_is_refused_in_french(client, referent):
    mentor = MentorFactory(approved=True, referent=referent)
    page = client.post(
        EXCHANGE,
        {
            "mentors": [mentor.pk],
            "happened_on": (timezone.localdate() + datetime.timedelta(days=1)).isoformat(),
            "kind": ExchangeKind.CALL,
        },
    )
    assert page.status_code == 400
    assert "ne peut pas être future" in page.content.decode()
    assert not Exchange.objects.exists()


def test_at_least_one_mentor_is_required(client, referent):
    page = client.post(
        EXCHANGE, {"happened_on": timezone.localdate().isoformat(), "kind": ExchangeKind.NOTE}
    )
    assert page.status_code == 400
    assert "Choisissez au moins un mentor." in page.content.decode()


def test_the_service_refuses_another_referents_mentor():
    referent = UserFactory(staff=True)
    other = MentorFactory(approved=True, referent=UserFactory(staff=True))
    with pytest.raises(PairRuleError) as error:
        exchange_record(
            referent=referent,
            mentors=[other],
            happened_on=timezone.localdate(),
            kind=ExchangeKind.CALL,
            note="",
        )
    assert "mentors" in error.value.errors
