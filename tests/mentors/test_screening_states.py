"""Where each mentor who accepts minors stands with their honorability check: what the staff
home counts (`screening_missing`, `screening_expiring`), what the mentors' list filters
(`?controle=`) and what its « contrôle » column says, all read the same definition of a valid
check (SCREENING_VALIDITY_DAYS) and agree at the boundaries."""

import datetime

import pytest
from django.test import override_settings
from django.urls import reverse

from mentors.enums import ScreeningState
from mentors.models import Mentor, screening_expires_on, screening_state
from mentors.rules import SCREENING_EXPIRY_WARNING
from tests.mentors.factories import MentorFactory, ScreeningRecordFactory
from tests.users.staff import login_staff, make_coordinator

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fixed_validity")]

TODAY = datetime.date(2026, 6, 15)
VALIDITY = 365
MENTORS = reverse("admin:mentors_mentor_changelist")


@pytest.fixture
def fixed_validity():
    with override_settings(SCREENING_VALIDITY_DAYS=VALIDITY):
        yield


def checked(days_until_expiry: int | None, **mentor_kwargs) -> Mentor:
    """A mentor who accepts minors whose latest check's last valid day is `days_until_expiry`
    days from TODAY (negative: expired that long ago; None: no check at all)."""
    mentor = MentorFactory(accepts_minors=True, **mentor_kwargs)
    if days_until_expiry is not None:
        last_valid_day = TODAY + datetime.timedelta(days=days_until_expiry)
        ScreeningRecordFactory(
            mentor=mentor, checked_on=last_valid_day - datetime.timedelta(days=VALIDITY)
        )
    return mentor


def test_the_warning_comes_60_days_before_the_end():
    assert SCREENING_EXPIRY_WARNING.days == 60


def test_a_check_is_valid_until_its_date_plus_the_validity():
    assert screening_expires_on(datetime.date(2026, 1, 10)) == datetime.date(2027, 1, 10)


@pytest.mark.parametrize(
    ("days_until_expiry", "missing", "expiring"),
    [
        (None, True, False),  # never checked
        (-1, True, False),  # its last valid day was yesterday
        (0, False, True),  # valid today, its last day
        (60, False, True),  # ends exactly 60 days from now: warned
        (61, False, False),  # ends 61 days from now: not yet
    ],
)
def test_screening_missing_and_expiring_at_their_boundaries(days_until_expiry, missing, expiring):
    mentor = checked(days_until_expiry)

    assert (mentor in Mentor.objects.screening_missing(today=TODAY)) is missing
    assert (mentor in Mentor.objects.screening_expiring(today=TODAY)) is expiring
    # The same definition as the matching rule's.
    assert mentor.is_cleared_for_minors(today=TODAY) is (not missing)


def test_only_the_latest_check_counts():
    mentor = checked(-100)
    ScreeningRecordFactory(mentor=mentor, checked_on=TODAY - datetime.timedelta(days=10))

    assert mentor not in Mentor.objects.screening_missing(today=TODAY)
    assert mentor not in Mentor.objects.screening_expiring(today=TODAY)


def test_mentors_who_do_not_accept_minors_or_are_rejected_need_no_check():
    MentorFactory(accepts_minors=False)
    checked(None, rejected=True)
    checked(10, rejected=True)

    assert not Mentor.objects.screening_missing(today=TODAY).exists()
    assert not Mentor.objects.screening_expiring(today=TODAY).exists()


def test_mentors_without_referent_are_the_approved_ones_nobody_accompanies(django_user_model):
    alone = MentorFactory(approved=True)
    MentorFactory()  # pending: gets a référent once approved
    MentorFactory(approved=True, referent=make_coordinator())

    assert list(Mentor.objects.without_referent()) == [alone]


@pytest.mark.parametrize(
    ("days_until_expiry", "state"),
    [
        (None, ScreeningState.ABSENT),
        (-1, ScreeningState.EXPIRED),
        (0, ScreeningState.EXPIRING_SOON),
        (60, ScreeningState.EXPIRING_SOON),
        (61, ScreeningState.VALID),
    ],
)
def test_the_state_of_one_row_reads_like_the_filters(days_until_expiry, state):
    mentor = checked(days_until_expiry)
    row = Mentor.objects.with_last_screening().get(pk=mentor.pk)

    assert (
        screening_state(accepts_minors=True, last_checked_on=row.last_screening_on, today=TODAY)
        == state
    )
    for other in ScreeningState:
        found = Mentor.objects.in_screening_state(other, today=TODAY).filter(pk=mentor.pk)
        assert found.exists() is (other == state)


def test_a_mentor_who_does_not_accept_minors_has_no_state():
    assert screening_state(accepts_minors=False, last_checked_on=None, today=TODAY) is None


# The mentors' list: the « contrôle » column and the `controle` filter


@pytest.fixture
def coordinator_client(client, time_machine):
    time_machine.move_to(datetime.datetime(2026, 6, 15, 10, 0), tick=False)
    return login_staff(client, make_coordinator())


@pytest.fixture
def mentors_by_state():
    return {
        "valide": checked(61, user__last_name="Valide"),
        "expire_bientot": checked(60, user__last_name="Bientôt"),
        "expire": checked(-1, user__last_name="Expiré"),
        "absent": checked(None, user__last_name="Absent"),
        "adults_only": MentorFactory(accepts_minors=False, user__last_name="Majeurs"),
        "rejected": checked(None, rejected=True, user__last_name="Refusé"),
    }


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("valide", {"valide"}),
        ("expire_bientot", {"expire_bientot"}),
        ("expire", {"expire"}),
        ("absent", {"absent"}),
        ("sans_controle_valide", {"expire", "absent"}),
    ],
)
def test_the_controle_filter(coordinator_client, mentors_by_state, value, expected):
    response = coordinator_client.get(MENTORS, {"controle": value})

    assert set(response.context["cl"].result_list) == {mentors_by_state[n] for n in expected}


def test_the_filter_lists_exactly_what_the_staff_home_counts(coordinator_client, mentors_by_state):
    missing = coordinator_client.get(MENTORS, {"controle": "sans_controle_valide"})
    expiring = coordinator_client.get(MENTORS, {"controle": "expire_bientot"})

    assert set(missing.context["cl"].result_list) == set(
        Mentor.objects.screening_missing(today=TODAY)
    )
    assert set(expiring.context["cl"].result_list) == set(
        Mentor.objects.screening_expiring(today=TODAY)
    )
    assert "contrôle d&#x27;honorabilité" in missing.content.decode()


def test_the_column_says_the_state_in_words(coordinator_client, mentors_by_state):
    html = coordinator_client.get(MENTORS).content.decode()

    def cell(text):
        return f'<td class="field-screening_display">{text}</td>'

    assert cell("valide jusqu&#x27;au 15/08/2026") in html
    assert cell("expire bientôt (valide jusqu&#x27;au 14/08/2026)") in html
    assert cell("expiré (valide jusqu&#x27;au 14/06/2026)") in html
    assert html.count(cell("absent")) == 2  # the pending one and the rejected one
    assert cell("—") in html
    assert '<th scope="col" class="sortable column-screening_display">' in html


@pytest.mark.parametrize("size", [1, 8])
def test_the_column_costs_no_query_per_row(
    admin_client, time_machine, django_assert_num_queries, size
):
    time_machine.move_to(datetime.datetime(2026, 6, 15, 10, 0), tick=False)
    for days in range(size):
        checked(days * 20 - 30)
    # session, user, the verified second-factor device, filtered count (no total count), the
    # page of mentors with their users, référents, caseloads and latest checks, the distinct
    # départements.
    with django_assert_num_queries(6):
        response = admin_client.get(MENTORS)
    assert len(response.context["cl"].result_list) == size
