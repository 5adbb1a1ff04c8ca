"""A referral holds a young person's identity: erased with them, or with the prescriber who
typed it while it was never completed; what the dashboard counts stays."""

import datetime

import pytest

from mentorat.demo.factories import MenteeFactory, PrescriberFactory, ReferralFactory
from mentorat.privacy.access import person_data
from mentorat.privacy.erasure import person_anonymise
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
