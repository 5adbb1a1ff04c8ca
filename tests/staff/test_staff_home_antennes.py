"""The staff home of an antenne coordinator: the work waiting in their antenne only (a pair is
theirs when its young person or its mentor is of the antenne, as in their lists), figures
shared for a minute with the coordinators of the same scope and never with another, in a
number of queries that does not grow with the data."""

import datetime

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from mentees.models import Mentee
from mentorat.staff.home import PROGRAMME, figures, figures_cache_key
from mentors.models import Mentor
from reminders.models import Reminder
from tests.antennes.factories import make_antenne
from tests.matching.factories import MentorshipFactory
from tests.mentees.factories import MenteeFactory
from tests.staff.test_staff_home import NOW, world
from tests.users.factories import OwedEmailFactory
from tests.users.staff import login_staff, make_antenne_coordinator, make_coordinator
from users.models import OwedEmail
from users.scopes import staff_scope

pytestmark = pytest.mark.django_db

HOME = reverse("admin:staff_home")


@pytest.fixture(autouse=True)
def _fixed_day():
    with time_machine.travel(NOW, tick=False):
        cache.clear()
        yield
        cache.clear()


def _in_antenne(antenne) -> None:
    """Everything built so far belongs to `antenne`: its people, and the e-mails and reminders
    that went to one of them."""
    Mentee.objects.update(antenne=antenne)
    Mentor.objects.update(antenne=antenne)
    somebody = Mentor.objects.select_related("user").first().user
    OwedEmail.objects.update(recipient=somebody)
    Reminder.objects.update(recipient=somebody)


def _counts(page) -> list[int]:
    return [task.count for group in page.context["groups"] for task in group.tasks]


def test_an_antenne_coordinator_counts_the_work_of_their_antenne_only(client):
    lyon = make_antenne("Lyon", ["69"])
    world(2)
    _in_antenne(lyon)
    world(1)  # the national programme's
    marseille = make_antenne("Marseille", ["13"])
    MenteeFactory(antenne=marseille)  # a registration to review, in Marseille
    login_staff(client, make_antenne_coordinator(lyon))

    page = client.get(HOME)

    assert page.status_code == 200
    # test_staff_home.test_each_figure_counts_its_rows: the figures of world(2).
    assert _counts(page) == [4, 2, 2, 2, 2, 4, 2, 2, 2, 2, 2, 2, 14, 2, 2, 2]
    html = page.content.decode()
    assert "<h1>Accueil de la coordination : antenne Lyon</h1>" in html
    assert "dans votre antenne, Lyon" in html
    assert "Toutes les données de votre antenne" in html


def test_a_national_coordinator_counts_the_whole_programme(client):
    lyon = make_antenne("Lyon", ["69"])
    world(2)
    _in_antenne(lyon)
    world(1)
    login_staff(client, make_coordinator())

    counts = _counts(client.get(HOME))

    # world(3), the e-mails and reminders included.
    assert counts == [6, 3, 3, 3, 3, 6, 3, 3, 3, 3, 3, 3, 21, 3, 3, 3]


def test_a_pair_of_the_antennes_mentor_and_a_national_young_person_is_the_antennes_work():
    lyon = make_antenne("Lyon", ["69"])
    today = timezone.localdate()
    MentorshipFactory(
        active=True,
        started_on=today - datetime.timedelta(days=100),
        mentor__antenne=lyon,
        mentee__antenne=None,
    )
    coordinator = make_antenne_coordinator(lyon)

    mine = figures(today=today, scope=staff_scope(coordinator))

    assert mine["overdue"] == 1
    assert mine["awaiting_mentor"] == 0  # the young person is the national programme's


def test_the_cached_figures_are_never_shared_between_scopes(client):
    lyon = make_antenne("Lyon", ["69"])
    marseille = make_antenne("Marseille", ["13"])
    MenteeFactory(antenne=lyon)
    MenteeFactory(antenne=marseille)
    MenteeFactory(antenne=marseille)
    MenteeFactory()
    people = {
        "national": make_coordinator(),
        "lyon": make_antenne_coordinator(lyon),
        "marseille": make_antenne_coordinator(marseille),
    }

    def to_review(who):
        login_staff(client, people[who])
        return _counts(client.get(HOME))[0]

    # Each scope counted first, within the same minute: none reads another's entry.
    assert [to_review(who) for who in ("lyon", "national", "marseille", "lyon")] == [1, 4, 2, 1]
    today = timezone.localdate()
    keys = {
        figures_cache_key(today=today, scope=scope)
        for scope in (PROGRAMME, *(staff_scope(user) for user in people.values()))
    }
    assert len(keys) == 3


@pytest.mark.parametrize("size", [1, 4])
def test_an_antenne_coordinators_home_costs_the_same_queries_whatever_the_size(
    client, size, django_assert_num_queries
):
    lyon = make_antenne("Lyon", ["69"])
    world(size)
    _in_antenne(lyon)
    world(size)
    login_staff(client, make_antenne_coordinator(lyon))
    # As a national coordinator's (test_staff_home: 23) and the antenne's name.
    with django_assert_num_queries(24):
        assert client.get(HOME).status_code == 200


def test_owed_emails_to_nobodys_account_are_the_national_teams():
    lyon = make_antenne("Lyon", ["69"])
    # A guardian's consent request: an address, no account.
    OwedEmailFactory(failed=True, recipient=None, args=[1])
    coordinator = make_antenne_coordinator(lyon)
    today = timezone.localdate()

    assert figures(today=today, scope=staff_scope(coordinator))["failed_emails"] == 0
    assert figures(today=today)["failed_emails"] == 1
