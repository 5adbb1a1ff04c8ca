"""The coordinator's staff home: « Que faire maintenant », each figure a link to the admin list
holding exactly its rows, read in a constant number of queries; coordinators only."""

import datetime

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from evaluations.enums import Moment
from matching.enums import ObjectiveStatus
from matching.models import Objective
from matching.rules import MEETING_INTERVAL, PROPOSAL_UNANSWERED_AFTER, WAITING_ALERT
from mentorat.staff.home import task_groups
from mentors.rules import SCREENING_EXPIRY_WARNING
from reminders.enums import ReminderKind, ReminderStatus
from reminders.models import Reminder
from tests.matching.factories import MentorshipFactory
from tests.mentees.factories import MenteeFactory
from tests.mentors.factories import MentorFactory, TrainingRegistrationFactory
from tests.spaces.questionnaires import respond
from tests.users.factories import OwedEmailFactory, UserFactory
from tests.users.staff import login_staff, make_coordinator, make_referent

pytestmark = pytest.mark.django_db

HOME = reverse("admin:staff_home")
NOW = datetime.datetime(2026, 3, 10, 9, 30, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _fixed_day():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def coordinator(client):
    user = make_coordinator()
    login_staff(client, user)
    return user


def world(size: int) -> None:
    """`size` rows behind every figure of the page (and nothing else behind them)."""
    today, now = timezone.localdate(), timezone.now()
    referent = make_referent()
    validity = datetime.timedelta(days=settings.SCREENING_VALIDITY_DAYS)
    for _ in range(size):
        # Registrations to review: a young adult and a minor; a mentor.
        MenteeFactory()
        MenteeFactory(minor=True)
        MentorFactory()
        # An under-15 whose guardian has not answered.
        MenteeFactory(under_15=True)
        # Mentors accepting minors: no check at all; a check ending in 20 days.
        MentorFactory(approved=True, accepts_minors=True, referent=referent)
        MentorFactory(
            approved=True,
            for_minors=True,
            referent=referent,
            screening__checked_on=today - validity + datetime.timedelta(days=20),
        )
        # Young people awaiting a mentor: since yesterday; for longer than the alert.
        MenteeFactory(approved=True, created_at=now - datetime.timedelta(days=1))
        MenteeFactory(approved=True, created_at=now - WAITING_ALERT - datetime.timedelta(days=5))
        # A proposal unanswered for too long.
        MentorshipFactory(
            mentor__referent=referent,
            proposed_at=now - PROPOSAL_UNANSWERED_AFTER - datetime.timedelta(days=2),
        )
        # A pair with no meeting since its start, 100 days ago, and its start questionnaire
        # submitted (unread).
        overdue = MentorshipFactory(
            active=True, mentor__referent=referent, started_on=today - datetime.timedelta(100)
        )
        respond(overdue, Moment.START)
        # A pair ready to close: 200 days, a recent meeting, its objective achieved.
        ready = MentorshipFactory(
            active=True,
            mentor__referent=referent,
            started_on=today - datetime.timedelta(days=200),
            last_session_on=today - datetime.timedelta(days=10),
            last_qualifying_session_on=today - datetime.timedelta(days=10),
        )
        Objective.objects.create(
            mentorship=ready,
            title="Trouver un stage",
            status=ObjectiveStatus.ACHIEVED,
            created_by=ready.mentor.user,
        )
        # An approved mentor nobody accompanies yet.
        MentorFactory(approved=True)
        # A seat at a past training whose attendance nobody recorded (its mentor is
        # approved: like every approved mentor of this world, not trained).
        TrainingRegistrationFactory(session__past=True, mentor__referent=referent)
        # An e-mail the mail server refused, and a reminder.
        OwedEmailFactory(failed=True)
        user = UserFactory()
        Reminder.objects.create(
            kind=ReminderKind.MEETING_OVERDUE,
            target="mentorship:1",
            recipient=user,
            recipient_email=user.email,
            period="1",
            status=ReminderStatus.FAILED,
        )


def counts() -> dict[str, int]:
    return {
        task.plural: task.count
        for group in task_groups(today=timezone.localdate())
        for task in group.tasks
    }


def test_each_figure_counts_its_rows():
    world(2)

    figures = list(counts().values())

    # Awaiting a mentor: both young people; to review: the adult and the minor. Not trained:
    # the 7 approved mentors of each round.
    assert figures == [4, 2, 2, 2, 2, 4, 2, 2, 2, 2, 2, 2, 14, 2, 2, 2]


def test_the_page_shows_each_figure_as_a_link_to_its_list_and_the_thresholds(client, coordinator):
    world(1)

    page = client.get(HOME)

    assert page.status_code == 200
    html = page.content.decode()
    assert html.count("<h1") == 1
    assert "Que faire maintenant" in html
    for group in page.context["groups"]:
        for task in group.tasks:
            assert f'href="{task.url.replace("&", "&amp;")}"' in html
    # The thresholds are the rules', not the template's.
    assert f"depuis plus de {WAITING_ALERT.days} jours" in html
    assert f"sans réponse depuis plus de {PROPOSAL_UNANSWERED_AFTER.days} jours" in html
    assert f"dans les {SCREENING_EXPIRY_WARNING.days} jours" in html
    assert f"depuis plus de {MEETING_INTERVAL.days} jours" in html
    # The long waits are flagged in words, not by colour alone.
    assert "À traiter en priorité" in html


def test_nothing_is_flagged_when_nobody_waits_too_long(client, coordinator):
    html = client.get(HOME).content.decode()

    assert "À traiter en priorité" not in html
    assert "0 jeunes attendent un mentor" in html.replace('<span class="task-count">', "").replace(
        "</span>", ""
    )


def test_each_count_is_the_number_of_rows_of_the_list_its_link_opens(client, coordinator):
    world(2)
    MenteeFactory(rejected=True)
    MentorFactory(rejected=True, accepts_minors=True)

    for group in task_groups(today=timezone.localdate()):
        for task in group.tasks:
            page = client.get(task.url)
            assert page.status_code == 200, task.url
            assert page.context["cl"].result_count == task.count, task.url


@pytest.mark.parametrize("size", [1, 5])
def test_the_page_costs_the_same_queries_whatever_the_programmes_size(
    client, coordinator, size, django_assert_num_queries
):
    world(size)
    # session, user, the verified second-factor device, the staff's groups (navigation and
    # role, the sidebar's admins: users.scopes, once), the permissions (2, for the sidebar's
    # sections); the figures (one COUNT each; waiting and waiting too long in one).
    with django_assert_num_queries(21):
        page = client.get(HOME)
    assert page.status_code == 200


def test_a_superuser_reads_it_too(admin_client):
    assert admin_client.get(HOME).status_code == 200


def test_a_referent_gets_403(client):
    login_staff(client, make_referent())

    assert client.get(HOME).status_code == 403


@pytest.mark.parametrize("who", ["anonymous", "member"])
def test_anybody_else_is_sent_to_the_admin_login(client, who):
    if who == "member":
        client.force_login(UserFactory())

    page = client.get(HOME)

    assert page.status_code == 302
    assert page.url.startswith(reverse("admin:login"))


def test_a_coordinator_who_is_also_a_referent_finds_their_follow_up_page(client):
    from tests.users.staff import staff_groups

    user = make_coordinator()
    user.groups.add(staff_groups()[1])
    login_staff(client, user)

    html = client.get(HOME).content.decode()

    assert reverse("admin:referent_home") in html


def test_the_figures_are_shared_for_a_minute_and_the_page_says_when_they_were_counted(client):
    with time_machine.travel(datetime.datetime(2026, 12, 2, 10, 0, tzinfo=datetime.UTC)):
        login_staff(client, make_coordinator())
        first = client.get(HOME)
        MenteeFactory()
        within_the_minute = client.get(HOME)
    with time_machine.travel(datetime.datetime(2026, 12, 2, 10, 1, 1, tzinfo=datetime.UTC)):
        later = client.get(HOME)

    def to_review(page):
        return next(
            task.count
            for group in page.context["groups"]
            for task in group.tasks
            if "a_examiner=oui" in task.url and "mentee" in task.url
        )

    assert "Chiffres comptés à 11:00" in first.content.decode()
    assert to_review(within_the_minute) == to_review(first)
    assert to_review(later) == to_review(first) + 1
    assert "Chiffres comptés à 11:01" in later.content.decode()
