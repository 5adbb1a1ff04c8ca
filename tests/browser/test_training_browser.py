"""Trainings, clicked through in a real browser: a mentor on a phone goes from their space to
the coming trainings and signs up; a coordinator goes from the staff home to the seats whose
attendance is to record and records it. Every page clean for axe-core."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from mentors.models import TrainingRegistration
from tests.mentors.factories import (
    MentorFactory,
    TrainingRegistrationFactory,
    TrainingSessionFactory,
)
from tests.users.staff import confirmed_device, make_coordinator

from .test_staff_journeys import Walk

pytestmark = pytest.mark.browser


def test_a_mentor_on_a_phone_signs_up_for_a_training_from_their_space(open_page):
    mentor = MentorFactory(approved=True, user__first_name="Sophie")
    session = TrainingSessionFactory(
        title="Formation initiale des mentors",
        starts_at=timezone.now().replace(minute=0, second=0, microsecond=0)
        + datetime.timedelta(days=10),
    )
    walk = Walk(open_page("phone"))

    walk.log_in(mentor.user)

    walk.check("Mon espace")
    walk.click("Les prochaines formations", heading="Mes formations")
    walk.page.get_by_role("button", name="M'inscrire").click()
    walk.check("Mes formations")
    expect(walk.page.get_by_text("Je suis inscrit·e.")).to_be_visible()
    expect(walk.page.get_by_role("status")).to_contain_text("Inscription confirmée")
    assert TrainingRegistration.objects.filter(session=session, mentor=mentor).exists()
    walk.click("Mon attestation de bénévolat", heading="Attestation de bénévolat")


def test_a_coordinator_records_attendance_from_the_staff_home(open_page):
    coordinator = make_coordinator(first_name="Camille")
    seat = TrainingRegistrationFactory(
        session__past=True, mentor__user__first_name="Karim", mentor__user__last_name="Formé"
    )
    walk = Walk(open_page("staff"))

    walk.log_in(coordinator, code_of=confirmed_device(coordinator))

    walk.check("Que faire maintenant")
    walk.click("1 présence à une formation à noter")
    row = walk.page.get_by_role("row").filter(has_text="Karim Formé")
    row.get_by_label("Présence").select_option(label="présent")
    walk.click("Enregistrer", role="button")
    seat.refresh_from_db()
    assert seat.attended is True
    assert seat.attendance_recorded_by == coordinator
    # Recorded: nothing left to record.
    expect(walk.page.get_by_role("row").filter(has_text="Karim Formé")).to_have_count(0)
