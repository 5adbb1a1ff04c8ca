from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.db.models import Max, Q

from mentees.ages import DIGITAL_CONSENT_AGE, MAX_AGE, MIN_AGE
from mentees.models import Mentee
from mentorat.demo import COORDINATOR_EMAIL, MENTEE_EMAIL, MENTOR_EMAIL, REFERENT_EMAIL
from mentorat.demo_national import NATIONAL_DOMAIN
from mentorat.management.commands.seed_demo import PRODUCTION_SETTINGS
from mentors.models import Mentor, ScreeningRecord
from tests.users.factories import DEFAULT_PASSWORD
from users.enums import RegistrationStatus
from users.geography import department_from_postal_code
from users.history import status_changes
from users.models import Consent, User

pytestmark = pytest.mark.django_db

DEMO_LOGINS = [COORDINATOR_EMAIL, REFERENT_EMAIL, MENTOR_EMAIL, MENTEE_EMAIL]


def seed(**options) -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out, **options)
    return out.getvalue()


def seed_national(*, mentees: int = 300, mentors: int = 150) -> str:
    return seed(scale="national", mentees=mentees, mentors=mentors)


def national(model):
    return model.objects.filter(user__email__endswith=f"@{NATIONAL_DOMAIN}")


def snapshot() -> dict:
    """Everything a second run could create or touch."""
    return {
        "users": User.objects.count(),
        "mentors": Mentor.objects.count(),
        "mentees": Mentee.objects.count(),
        "screenings": ScreeningRecord.objects.count(),
        "consents": Consent.objects.count(),
        "mentor history": Mentor.history.count(),
        "mentee history": Mentee.history.count(),
        "last mentor change": Mentor.objects.aggregate(Max("updated_at"))["updated_at__max"],
        "last mentee change": Mentee.objects.aggregate(Max("updated_at"))["updated_at__max"],
        "last login": User.objects.aggregate(Max("last_login"))["last_login__max"],
    }


def test_running_the_demo_twice_creates_and_changes_nothing():
    seed()
    first = snapshot()

    output = seed()

    assert snapshot() == first
    assert "0 personne(s) créée(s)" in output


def test_the_demo_has_about_a_dozen_mentors_and_twenty_young_people():
    seed()

    assert Mentor.objects.count() == 12
    assert Mentee.objects.count() == 20


@pytest.mark.parametrize("email", DEMO_LOGINS)
def test_each_demo_login_authenticates_with_the_demo_password(email):
    seed()

    assert authenticate(username=email, password=DEFAULT_PASSWORD) is not None


def test_the_demo_logins_have_the_roles_their_names_promise():
    seed()

    coordinator = User.objects.get(email=COORDINATOR_EMAIL)
    referent = User.objects.get(email=REFERENT_EMAIL)
    mentee = Mentee.objects.get(user__email=MENTEE_EMAIL)
    assert coordinator.is_staff and coordinator.is_superuser
    assert referent.is_staff and not referent.is_superuser
    assert Mentor.objects.approved().filter(user__email=MENTOR_EMAIL).exists()
    assert mentee.status == RegistrationStatus.APPROVED
    assert not mentee.is_minor()


def test_the_demo_prints_the_four_logins_and_the_password_in_french():
    output = seed()

    assert f"Comptes de démonstration (mot de passe : {DEFAULT_PASSWORD})" in output
    for email in DEMO_LOGINS:
        assert email in output


def test_the_demo_has_an_under_15_awaiting_guardian_consent():
    seed()

    waiting = Mentee.objects.awaiting_guardian_consent()
    assert any(mentee.age() < 15 and mentee.guardian_email for mentee in waiting)


def test_the_demo_has_minors_with_and_without_guardian_consent():
    seed()

    minors = Mentee.objects.minors()
    assert minors.filter(guardian_consent_at__isnull=False).exists()
    assert minors.filter(guardian_consent_at__isnull=True).exists()


def test_the_demo_has_an_approved_mentor_cleared_for_minors():
    seed()

    assert Mentor.objects.approved().cleared_for_minors().filter(user__email=MENTOR_EMAIL).exists()


def test_the_demo_has_a_mentor_accepting_minors_whose_screening_expired():
    seed()

    accepting = Mentor.objects.filter(accepts_minors=True, screenings__isnull=False)
    assert accepting.exclude(pk__in=Mentor.objects.cleared_for_minors()).exists()


def test_the_demo_covers_every_status_priority_public_and_several_departements():
    seed()

    for model in (Mentor, Mentee):
        statuses = set(model.objects.values_list("status", flat=True))
        assert {"pending_review", "approved", "rejected"} <= statuses
    assert Mentee.objects.filter(lives_in_qpv=True).exists()
    assert Mentee.objects.filter(followed_by_mission_locale=True).exists()
    assert Mentee.objects.filter(has_no_network=True).exists()
    assert Mentee.objects.filter(at_risk_of_dropout=True).exists()
    assert Mentee.objects.values("department").distinct().count() >= 5


def test_a_demo_review_shows_in_the_history_with_the_reviewer():
    seed()

    mentee = Mentee.objects.get(user__email=MENTEE_EMAIL)
    last_change = status_changes(mentee)[-1]
    assert last_change.to_status == RegistrationStatus.APPROVED
    assert last_change.by == User.objects.get(email=REFERENT_EMAIL)


def test_the_national_mode_creates_the_requested_counts():
    output = seed_national()

    assert national(Mentee).count() == 300
    assert national(Mentor).count() == 150
    assert "Jeu national : 300 jeunes" in output


def test_the_national_mode_is_idempotent():
    seed_national()
    first = snapshot()

    seed_national()

    assert snapshot() == first


def test_the_national_mode_tops_up_to_larger_counts():
    seed_national()

    seed_national(mentees=320, mentors=160)

    assert national(Mentee).count() == 320
    assert national(Mentor).count() == 160


def test_every_national_minor_has_a_guardian():
    seed_national()

    minors = national(Mentee).minors()
    assert minors.exists()
    without_guardian = Q(guardian_name="") | Q(guardian_email="") | Q(guardian_phone="")
    assert not minors.filter(without_guardian).exists()


def test_no_national_adult_has_a_guardian():
    seed_national()

    adults = national(Mentee).exclude(pk__in=Mentee.objects.minors())
    assert not adults.exclude(guardian_name="").exists()


def test_every_national_row_has_the_departement_of_its_postal_code():
    seed_national()

    for model in (Mentee, Mentor):
        rows = national(model).values_list("postal_code", "department")
        assert all(department == department_from_postal_code(code) for code, department in rows)
        assert national(model).values("department").distinct().count() > 10


def test_every_national_phone_number_is_valid():
    seed_national()

    mentees = list(national(Mentee))
    assert all(mentee.phone.is_valid() for mentee in mentees + list(national(Mentor)))
    assert all(mentee.guardian_phone.is_valid() for mentee in mentees if mentee.guardian_phone)


def test_national_under_15s_without_consent_wait_for_it():
    seed_national()

    waiting = national(Mentee).awaiting_guardian_consent()
    assert waiting.exists()
    assert not waiting.filter(guardian_consent_at__isnull=False).exists()
    assert all(mentee.age() < DIGITAL_CONSENT_AGE for mentee in waiting)


def test_national_young_people_are_between_11_and_30():
    seed_national()

    ages = {mentee.age() for mentee in national(Mentee)}
    assert min(ages) >= MIN_AGE
    assert max(ages) <= MAX_AGE


def test_national_mode_gives_some_approved_mentors_a_valid_screening():
    seed_national()

    assert national(Mentor).approved().cleared_for_minors().exists()


def test_counts_are_refused_without_the_national_scale():
    with pytest.raises(CommandError, match="--scale national"):
        seed(mentees=10)


def test_the_seed_refuses_production_settings_unless_forced(settings):
    settings.SETTINGS_MODULE = PRODUCTION_SETTINGS

    with pytest.raises(CommandError, match="--force"):
        seed()
    assert not User.objects.exists()


def test_the_demo_sends_no_email(django_capture_on_commit_callbacks):
    from django.core import mail

    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=StringIO())
    assert mail.outbox == []


def test_the_demo_has_an_active_pair_and_a_proposal_created_once():
    from matching.models import Mentorship

    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())

    active = Mentorship.objects.active().get()
    assert active.mentor.user.email == MENTOR_EMAIL
    assert active.mentee.user.email == MENTEE_EMAIL
    assert active.started_on is not None
    assert active.explanation
    assert Mentorship.objects.proposed().count() == 1
