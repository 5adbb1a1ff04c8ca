"""A referral holds a young person's identity: erased with them, or with the prescriber who
typed it while it was never completed; what the dashboard counts stays."""

import datetime

import pytest

from mentorat.demo.factories import MenteeFactory, PrescriberFactory, ReferralFactory
from mentorat.privacy.access import person_data
from mentorat.privacy.erasure import person_anonymise
from mentorat.privacy.retention import referrals_unanswered_anonymise, retention_due
from prescribers.models import Referral
from tests.users.staff import make_coordinator

pytestmark = pytest.mark.django_db
BORN = datetime.date(2007, 4, 12)


def test_erasing_a_young_person_erases_the_referral_that_brought_them():
    mentee = MenteeFactory(birth_date=BORN)
    referral = ReferralFactory(
        mentee=mentee, birth_date=BORN, guardian_name="Karima Moreau", reason="Décrochage."
    )

    person_anonymise(user=mentee.user, performed_by=make_coordinator(), reason="request")

    referral = Referral.objects.get(pk=referral.pk)
    assert (referral.first_name, referral.last_name, referral.email) == ("", "", "")
    assert (referral.guardian_name, referral.reason, str(referral.phone)) == ("", "", "")
    assert referral.birth_date == datetime.date(2007, 7, 1)
    # The figures stay: who referred, when, and the registration it became.
    assert (referral.organisation_id, referral.mentee_id) == (
        referral.prescriber.organisation_id,
        mentee.pk,
    )


def test_erasing_a_prescriber_erases_their_referrals_never_completed_only():
    prescriber = PrescriberFactory(job_title="CPE")
    open_referral = ReferralFactory(prescriber=prescriber, birth_date=BORN)
    completed = ReferralFactory(prescriber=prescriber, mentee=MenteeFactory())

    person_anonymise(user=prescriber.user, performed_by=make_coordinator(), reason="request")

    open_referral.refresh_from_db()
    completed.refresh_from_db()
    prescriber.refresh_from_db()
    assert open_referral.last_name == ""
    assert open_referral.birth_date == datetime.date(2007, 7, 1)
    # The young person who registered answers for their own data.
    assert completed.last_name != ""
    assert prescriber.job_title == ""


def test_the_young_person_reads_the_referral_in_their_data():
    mentee = MenteeFactory()
    ReferralFactory(mentee=mentee, reason="Décrochage-a-lire")

    data = person_data(user=mentee.user)

    [row] = data["Orientation par un prescripteur"]
    assert "Décrochage-a-lire" in row.values()


def test_retention_blanks_referrals_never_completed_after_the_link_and_the_delay():
    now = datetime.datetime(2026, 10, 1, 9, tzinfo=datetime.UTC)
    # Link of 30 days, then 6 months: created before 2026-03-05 or so.
    old = ReferralFactory(created_at=datetime.datetime(2026, 2, 20, tzinfo=datetime.UTC))
    recent = ReferralFactory(created_at=datetime.datetime(2026, 4, 1, tzinfo=datetime.UTC))
    completed = ReferralFactory(
        created_at=datetime.datetime(2026, 1, 5, tzinfo=datetime.UTC), mentee=MenteeFactory()
    )

    assert referrals_unanswered_anonymise(now=now) == 1
    assert referrals_unanswered_anonymise(now=now) == 0

    old.refresh_from_db()
    recent.refresh_from_db()
    completed.refresh_from_db()
    assert (old.last_name, old.email, old.reason) == ("", "", "")
    assert recent.last_name != "" and completed.last_name != ""


def test_retention_never_anonymises_a_prescribers_account():
    prescriber = PrescriberFactory()
    prescriber.user.date_joined = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    prescriber.user.save()

    assert prescriber.user not in retention_due()
