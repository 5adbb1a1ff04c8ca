import pytest

from tests.users.factories import UserFactory
from tests.users.staff import make_coordinator, make_referent, staff_groups
from users.roles import is_coordinator, is_referent

pytestmark = pytest.mark.django_db


def codenames(group):
    return {
        f"{p.content_type.app_label}.{p.codename}"
        for p in group.permissions.select_related("content_type")
    }


def test_coordinators_have_the_programme_but_not_auth():
    coordinators, _ = staff_groups()
    perms = codenames(coordinators)
    for perm in [
        "users.change_user",
        "mentors.add_mentor",
        "mentors.delete_mentor",
        "mentees.view_mentee",
        "matching.change_mentorship",
        "mentoring_sessions.delete_session",
        "evaluations.change_questionnaire",
        "reminders.change_reminder",
    ]:
        assert perm in perms
    assert not any(p.startswith("auth.") for p in perms)


def test_referents_read_and_write_follow_ups_only():
    _, referents = staff_groups()
    perms = codenames(referents)
    for perm in [
        "mentors.view_mentor",
        "mentees.view_mentee",
        "matching.view_mentorship",
        "mentoring_sessions.view_session",
        "mentoring_sessions.change_followup",
        "evaluations.view_response",
    ]:
        assert perm in perms
    assert "mentors.change_mentor" not in perms
    assert "matching.change_mentorship" not in perms
    assert "matching.view_matchingbatch" not in perms
    assert not any(p.startswith(("users.", "reminders.", "auth.")) for p in perms)
    writes = {p for p in perms if not p.split(".")[1].startswith("view_")}
    assert writes <= {
        "mentoring_sessions.change_session",
        "mentoring_sessions.add_followup",
        "mentoring_sessions.change_followup",
        "mentors.add_exchange",
        "mentors.change_exchange",
        # The attendance of their own mentors at a training (the admin scopes them).
        "mentors.change_trainingregistration",
    }
    assert "mentors.view_trainingsession" in perms
    assert "mentors.change_trainingsession" not in perms


def test_roles():
    referent, coordinator = make_referent(), make_coordinator()
    assert is_referent(referent) and not is_coordinator(referent)
    assert is_coordinator(coordinator) and not is_referent(coordinator)
    assert is_coordinator(UserFactory(coordinator=True))
    assert not is_referent(UserFactory(staff=True))
    referent.is_active = False
    assert not is_referent(referent)


def test_the_groups_give_their_permissions():
    referent, coordinator = make_referent(), make_coordinator()
    assert referent.has_perm("mentors.view_mentor")
    assert not referent.has_perm("mentors.change_mentor")
    assert coordinator.has_perm("mentors.change_mentor")
    assert not coordinator.has_perm("auth.change_group")
