"""Every rule of sessions.services at its boundary, called as the pages and the admin call it."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from matching.enums import Side
from matching.services import PairRuleError
from sessions import services
from sessions.models import EDIT_WINDOW, FollowUp, PlannedMeeting, Session, SessionEvaluation
from tests.matching.factories import MentorshipFactory
from tests.sessions.factories import FollowUpFactory, SessionFactory
from tests.users.factories import UserFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 3, 16, 11, 0, tzinfo=datetime.UTC)
TODAY = datetime.date(2026, 3, 16)
STARTED = datetime.date(2026, 1, 5)
ONE_DAY = datetime.timedelta(days=1)
ONE_MINUTE = datetime.timedelta(minutes=1)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def pair():
    return MentorshipFactory(
        active=True, started_on=STARTED, mentor__referent=UserFactory(staff=True)
    )


def log(pair, **overrides):
    fields = {
        "mentorship": pair,
        "author": pair.mentor.user,
        "held_on": TODAY - ONE_DAY,
        "duration_minutes": 90,
        "format": "in_person",
        "topics": ["orientation"],
        "summary": "  Point d'étape.  ",
    }
    return services.session_log(**(fields | overrides))


def errors_of(call) -> dict:
    with pytest.raises(PairRuleError) as raised:
        call()
    return raised.value.errors


# --- session_log ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("minutes", "accepted"), [(14, False), (15, True), (480, True), (481, False)]
)
def test_duration_bounds(pair, minutes, accepted):
    if accepted:
        assert log(pair, duration_minutes=minutes).duration_minutes == minutes
    else:
        assert errors_of(lambda: log(pair, duration_minutes=minutes)) == {
            "duration_minutes": "La durée doit être comprise entre 15 et 480 minutes."
        }


@pytest.mark.parametrize(("minutes", "flagged", "qualifying"), [(89, True, 0), (90, False, 1)])
def test_under_90_minutes_is_accepted_flagged_and_not_qualifying(
    pair, minutes, flagged, qualifying
):
    session = log(pair, duration_minutes=minutes)

    assert session.is_below_minimum is flagged
    assert list(Session.objects.qualifying()) == ([session] if qualifying else [])
    pair.refresh_from_db()
    assert pair.qualifying_sessions == qualifying
    assert pair.last_session_on == TODAY - ONE_DAY


@pytest.mark.parametrize(
    ("held_on", "error"),
    [
        (STARTED - ONE_DAY, "La séance ne peut pas précéder le début du mentorat (05/01/2026)."),
        (TODAY + ONE_DAY, "La séance ne peut pas être datée dans le futur."),
    ],
    ids=["before-the-start", "in-the-future"],
)
def test_dates_outside_the_pair_are_refused(pair, held_on, error):
    assert errors_of(lambda: log(pair, held_on=held_on)) == {"held_on": error}
    assert not Session.objects.exists()


@pytest.mark.parametrize("held_on", [STARTED, TODAY], ids=["the-start", "today"])
def test_the_start_day_and_today_are_accepted(pair, held_on):
    assert log(pair, held_on=held_on).held_on == held_on


def test_the_session_is_stripped_and_recorded_with_its_author(pair):
    session = log(pair)

    assert session.summary == "Point d'étape."
    assert session.logged_by == pair.mentor.user
    assert session.history.get().history_user == pair.mentor.user


def test_only_the_pair_mentor_logs(pair):
    for user in (pair.mentee.user, pair.mentor.referent, UserFactory(coordinator=True)):
        assert errors_of(lambda user=user: log(pair, author=user)) == {
            None: "Seul le mentor du binôme enregistre les séances."
        }


@pytest.mark.parametrize("trait", ["closed", "declined"])
def test_only_an_active_pair_takes_sessions(trait):
    pair = MentorshipFactory(**{trait: True}, started_on=STARTED)

    assert errors_of(lambda: log(pair)) == {None: "Les séances s'enregistrent pendant le mentorat."}


def test_the_other_topic_must_be_named(pair):
    assert errors_of(lambda: log(pair, topics=["other"], other_topic="  ")) == {
        "other_topic": "Précisez l'autre sujet abordé."
    }
    assert log(pair, topics=["other"], other_topic="Budget").other_topic == "Budget"


def test_the_rhythm_follows_the_latest_session_not_the_latest_logged(pair):
    log(pair, held_on=TODAY - ONE_DAY)
    log(pair, held_on=TODAY - 10 * ONE_DAY, duration_minutes=30)

    pair.refresh_from_db()
    assert pair.last_session_on == TODAY - ONE_DAY
    assert pair.qualifying_sessions == 1


# --- session_update ------------------------------------------------------------------------


def test_only_the_author_updates(pair):
    session = log(pair)

    assert errors_of(
        lambda: services.session_update(session=session, author=pair.mentee.user, summary="x")
    ) == {None: "Seul l'auteur de la séance peut la modifier."}


@pytest.mark.parametrize(
    ("elapsed", "allowed"), [(EDIT_WINDOW - ONE_MINUTE, True), (EDIT_WINDOW + ONE_MINUTE, False)]
)
def test_the_author_updates_for_7_days(pair, elapsed, allowed):
    session = log(pair)

    with time_machine.travel(NOW + elapsed, tick=False):
        if allowed:
            services.session_update(session=session, author=pair.mentor.user, summary="Corrigé")
        else:
            assert errors_of(
                lambda: services.session_update(
                    session=session, author=pair.mentor.user, summary="Corrigé"
                )
            ) == {None: "Une séance se modifie pendant 7 jours après sa saisie."}

    session.refresh_from_db()
    assert (session.summary == "Corrigé") is allowed


def test_an_update_recomputes_the_rhythm(pair):
    session = log(pair, held_on=TODAY - 3 * ONE_DAY, duration_minutes=120)

    services.session_update(
        session=session, author=pair.mentor.user, held_on=TODAY, duration_minutes=89
    )

    pair.refresh_from_db()
    assert (pair.last_session_on, pair.qualifying_sessions) == (TODAY, 0)


def test_an_update_checks_the_rules_on_the_merged_values(pair):
    session = log(pair)

    assert errors_of(
        lambda: services.session_update(
            session=session, author=pair.mentor.user, duration_minutes=481
        )
    ) == {"duration_minutes": "La durée doit être comprise entre 15 et 480 minutes."}


@pytest.mark.parametrize(
    ("held_on", "accepted"),
    [(datetime.date(2026, 3, 10), True), (datetime.date(2026, 3, 11), False)],
)
def test_after_the_end_of_a_closed_pair_is_refused(held_on, accepted):
    pair = MentorshipFactory(closed=True, started_on=STARTED, ended_on=datetime.date(2026, 3, 10))
    session = SessionFactory(mentorship=pair, held_on=datetime.date(2026, 3, 1), logged_at=NOW)

    def update():
        return services.session_update(session=session, author=pair.mentor.user, held_on=held_on)

    if accepted:
        assert update().held_on == held_on
    else:
        assert errors_of(update) == {
            "held_on": "La séance ne peut pas suivre la fin du mentorat (10/03/2026)."
        }


# --- session_delete ------------------------------------------------------------------------


def test_only_a_coordinator_deletes_and_the_deletion_is_recorded(pair):
    kept = log(pair, held_on=TODAY - 5 * ONE_DAY)
    session = log(pair, held_on=TODAY - ONE_DAY)
    coordinator = UserFactory(coordinator=True)
    deleted_pk = session.pk

    assert errors_of(
        lambda: services.session_delete(session=session, deleted_by=pair.mentor.referent)
    ) == {None: "Seule la coordination peut supprimer une séance."}
    services.session_delete(session=session, deleted_by=coordinator)

    assert list(Session.objects.all()) == [kept]
    deletion = Session.history.filter(id=deleted_pk, history_type="-").get()
    assert deletion.history_user == coordinator
    pair.refresh_from_db()
    assert (pair.last_session_on, pair.qualifying_sessions) == (TODAY - 5 * ONE_DAY, 1)


def test_deleting_the_last_session_resets_the_rhythm(pair):
    session = log(pair)

    services.session_delete(session=session, deleted_by=UserFactory(coordinator=True))

    pair.refresh_from_db()
    assert (pair.last_session_on, pair.qualifying_sessions) == (None, 0)


# --- session_evaluate ----------------------------------------------------------------------


def evaluate(session, user, **fields):
    return services.session_evaluate(session=session, author=user, **({"rating": 4} | fields))


def test_each_side_evaluates_once(pair):
    session = log(pair)

    evaluate(session, pair.mentor.user, objectives_progress="some")
    evaluate(session, pair.mentee.user, rating=5)
    evaluate(session, pair.mentee.user, rating=2, comment="Finalement moyen")

    evaluations = {e.side: e for e in SessionEvaluation.objects.all()}
    assert set(evaluations) == {Side.MENTOR, Side.MENTEE}
    assert evaluations[Side.MENTEE].rating == 2
    assert evaluations[Side.MENTEE].comment == "Finalement moyen"
    assert evaluations[Side.MENTEE].objectives_progress == ""


def test_the_side_comes_from_the_user(pair):
    session = log(pair)

    evaluation = evaluate(session, pair.mentee.user, objectives_progress="achieved")

    assert evaluation.side == Side.MENTEE
    # The young person is not asked about the objectives: nothing is recorded for them.
    assert evaluation.objectives_progress == ""


def test_the_mentor_must_say_how_the_objectives_move(pair):
    session = log(pair)

    assert errors_of(lambda: evaluate(session, pair.mentor.user)) == {
        "objectives_progress": "Indiquez où en sont les objectifs."
    }


@pytest.mark.parametrize("rating", [0, 6])
def test_the_rating_is_1_to_5(pair, rating):
    session = log(pair)

    assert errors_of(lambda: evaluate(session, pair.mentee.user, rating=rating)) == {
        "rating": "Choisissez une note de 1 à 5."
    }


def test_only_members_evaluate(pair):
    session = log(pair)

    for user in (pair.mentor.referent, UserFactory(coordinator=True)):
        assert errors_of(lambda user=user: evaluate(session, user, objectives_progress="some")) == {
            None: "Seuls les membres du binôme évaluent ses séances."
        }


@pytest.mark.parametrize(
    ("elapsed", "allowed"), [(EDIT_WINDOW - ONE_MINUTE, True), (EDIT_WINDOW + ONE_MINUTE, False)]
)
def test_an_evaluation_is_editable_for_7_days(pair, elapsed, allowed):
    session = log(pair)
    evaluate(session, pair.mentee.user, rating=3)

    with time_machine.travel(NOW + elapsed, tick=False):
        if allowed:
            evaluate(session, pair.mentee.user, rating=5)
        else:
            assert errors_of(lambda: evaluate(session, pair.mentee.user, rating=5)) == {
                None: "Une évaluation se modifie pendant 7 jours seulement."
            }

    assert SessionEvaluation.objects.get().rating == (5 if allowed else 3)


# --- session_follow_up ---------------------------------------------------------------------


def test_the_mentor_referent_follows_up(pair):
    session = log(pair)
    referent = pair.mentor.referent

    follow_up = services.session_follow_up(
        session=session, referent=referent, comment=" À rappeler ", needs_attention=True
    )

    assert (follow_up.reviewed, follow_up.reviewed_by, follow_up.reviewed_at) == (
        True,
        referent,
        timezone.now(),
    )
    assert (follow_up.comment, follow_up.needs_attention) == ("À rappeler", True)
    assert list(Session.objects.awaiting_follow_up()) == []


def test_a_coordinator_follows_up_any_session(pair):
    session = log(pair)

    services.session_follow_up(session=session, referent=UserFactory(coordinator=True))

    assert FollowUp.objects.get().reviewed


def test_others_do_not_follow_up(pair):
    session = log(pair)
    former = UserFactory(is_staff=False)
    pair.mentor.referent = former
    pair.mentor.save()
    others = [
        pair.mentor.user,
        pair.mentee.user,
        UserFactory(staff=True),  # another référent
        former,  # the mentor's référent, no longer on the staff
    ]

    for user in others:
        assert errors_of(
            lambda user=user: services.session_follow_up(session=session, referent=user)
        ) == {None: "Seul le référent du mentor suit ses séances."}
    assert not FollowUp.objects.exists()


def test_unreviewing_puts_the_session_back_in_the_queue(pair):
    session = log(pair)
    FollowUpFactory(session=session, reviewed_by=pair.mentor.referent)

    services.session_follow_up(session=session, referent=pair.mentor.referent, reviewed=False)

    follow_up = FollowUp.objects.get()
    assert (follow_up.reviewed, follow_up.reviewed_at, follow_up.reviewed_by) == (False, None, None)
    assert list(Session.objects.awaiting_follow_up()) == [session]


def test_the_queue_is_oldest_first_and_skips_reviewed_sessions(pair):
    recent = log(pair, held_on=TODAY - ONE_DAY)
    old = log(pair, held_on=TODAY - 20 * ONE_DAY)
    reviewed = log(pair, held_on=TODAY - 30 * ONE_DAY)
    FollowUpFactory(session=reviewed)
    FollowUpFactory(session=recent, reviewed=False, reviewed_at=None)

    assert list(Session.objects.awaiting_follow_up()) == [old, recent]


# --- meeting_plan --------------------------------------------------------------------------


def plan(pair, user, **fields):
    values = {"starts_at": NOW + 3 * ONE_DAY, "place": "Médiathèque"} | fields
    return services.meeting_plan(mentorship=pair, author=user, **values)


def test_either_member_plans_and_the_new_plan_replaces_the_old(pair):
    plan(pair, pair.mentor.user)
    meeting = plan(pair, pair.mentee.user, place="", video_link="https://visio.example.org/x")

    assert PlannedMeeting.objects.get() == meeting
    assert (meeting.planned_by, meeting.place) == (pair.mentee.user, "")


@pytest.mark.parametrize("delta", [datetime.timedelta(0), -ONE_MINUTE], ids=["now", "past"])
def test_a_meeting_is_in_the_future(pair, delta):
    assert errors_of(lambda: plan(pair, pair.mentor.user, starts_at=NOW + delta)) == {
        "starts_at": "Choisissez une date à venir."
    }
    assert plan(pair, pair.mentor.user, starts_at=NOW + ONE_MINUTE)


def test_a_meeting_has_a_place_or_a_link(pair):
    assert errors_of(lambda: plan(pair, pair.mentor.user, place="  ", video_link="")) == {
        "place": "Indiquez un lieu ou un lien de visio."
    }


@pytest.mark.parametrize(
    ("minutes", "accepted"), [(14, False), (15, True), (480, True), (481, False)]
)
def test_a_meeting_duration_has_the_session_bounds(pair, minutes, accepted):
    def call():
        return plan(pair, pair.mentor.user, duration_minutes=minutes)

    if accepted:
        assert call().duration_minutes == minutes
    else:
        assert "duration_minutes" in errors_of(call)


def test_only_members_of_an_active_pair_plan(pair):
    for user in (pair.mentor.referent, UserFactory(coordinator=True)):
        assert errors_of(lambda user=user: plan(pair, user)) == {
            None: "Seuls les membres du binôme planifient ses rencontres."
        }
    closed = MentorshipFactory(closed=True, started_on=STARTED)
    assert errors_of(lambda: plan(closed, closed.mentor.user)) == {
        None: "Les rencontres se planifient pendant le mentorat."
    }
