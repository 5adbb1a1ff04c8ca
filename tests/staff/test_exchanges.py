import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from mentors.enums import ExchangeKind
from mentors.errors import MentorError
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
    # The creation, then the attendees set on it: the versions say who attended.
    assert [row.history_type for row in exchange.history.order_by("history_id")] == ["+", "~"]
    attended = exchange.history.latest().mentors.values_list("mentor_id", flat=True)
    assert set(attended) == {first.pk, second.pk}
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
    with pytest.raises(MentorError) as error:
        exchange_record(
            referent=referent,
            mentors=[other],
            happened_on=timezone.localdate(),
            kind=ExchangeKind.CALL,
            note="",
        )
    assert "mentors" in error.value.errors


def test_changing_the_attendees_is_a_new_version_by_its_author(referent):
    first, second, third = MentorFactory.create_batch(3, approved=True, referent=referent)
    exchange = exchange_record(
        referent=referent,
        mentors=[first, second],
        happened_on=timezone.localdate(),
        kind=ExchangeKind.WORKSHOP,
    )
    before = exchange.history.count()

    exchange.mentors.set([first, third])

    # set() removes then adds: one version each, the last one with the new list.
    versions = exchange.history.order_by("-history_id")
    assert exchange.history.count() == before + 2
    latest = versions[0]
    assert latest.history_type == "~"
    assert latest.history_user == referent
    assert set(latest.mentors.values_list("mentor_id", flat=True)) == {first.pk, third.pk}
    # The earlier versions keep the list as it was.
    original = versions[2]
    assert set(original.mentors.values_list("mentor_id", flat=True)) == {first.pk, second.pk}


def test_the_exchange_history_is_readable_in_the_admin(client):
    from tests.users.staff import login_staff, make_coordinator, make_referent

    owner = make_referent()
    mentor = MentorFactory(approved=True, referent=owner)
    exchange = exchange_record(
        referent=owner, mentors=[mentor], happened_on=timezone.localdate(), kind=ExchangeKind.CALL
    )
    url = reverse("admin:mentors_exchange_history", args=[exchange.pk])

    login_staff(client, make_coordinator())
    page = client.get(url)
    assert page.status_code == 200
    assert str(exchange) in page.content.decode()

    client.force_login(owner)
    assert client.get(url).status_code == 200
    client.force_login(make_referent())
    assert client.get(url).status_code == 404
    version = exchange.history.latest().history_id
    version_url = reverse("admin:mentors_exchange_simple_history", args=[exchange.pk, version])
    assert client.get(version_url).status_code == 404
    change_url = reverse("admin:mentors_exchange_change", args=[exchange.pk])
    assert client.get(change_url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302
