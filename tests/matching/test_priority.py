"""Priority in matching (issue 15): a bonus for young people in a priority public and for the
months they have waited, added to every eligible pair of theirs, so that the batch's optimum
(score + bonus) favours them when slots are scarce; the waiting list taken in priority order;
each young person's priority explained; and the « rematch » of a young person whose pair ended
early, back with their original wait, while one whose pair reached its objectives no longer
awaits a mentor."""

import datetime
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from matching.batch import batch_compute, matching_batch_start
from matching.compatibility import Weights
from matching.enums import CloseReason, MentorshipStatus
from matching.models import MatchingWeights, Mentorship
from matching.priority import Priority, bonus_column, priority_of
from matching.rules import months_between
from matching.selectors import mentees_awaiting_mentor, pair_evaluation, with_waiting_since
from matching.waiting import whole_months_since
from mentees.models import Mentee
from mentees.priority import PriorityMark, PriorityPublic
from tests.matching.factories import MentorshipFactory
from tests.mentees.factories import MenteeFactory
from tests.mentors.factories import MentorFactory
from tests.users.staff import login_staff, make_coordinator
from users import programme

PARIS = ZoneInfo("Europe/Paris")
TODAY = datetime.date(2026, 6, 15)
WEIGHTS = Weights(priority_bonus=10, waiting_bonus_per_month=2, waiting_bonus_cap=12)
MENTEES = reverse("admin:mentees_mentee_changelist")


def paris(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=PARIS)


@pytest.fixture
def today(time_machine):
    time_machine.move_to(paris(TODAY, 11), tick=False)


def mark(mentee, *codes):
    for code in codes:
        PriorityMark.objects.create(mentee=mentee, public=PriorityPublic.objects.get(code=code))
    return mentee


def waiting_since(day: datetime.date, **fields):
    """A young person approved on `day`, in Saint-Denis, who can meet the test's mentor."""
    values = {"approved": True, "postal_code": "93200", "civility": "mme"}
    return MenteeFactory(**(values | fields), reviewed_at=paris(day))


def one_slot(**fields):
    values = {"approved": True, "postal_code": "93200", "civility": "mme", "capacity": 1}
    return MentorFactory(**(values | fields))


# --- The formula and its words


def test_the_starting_values_are_the_programme_s():
    defaults = {
        name: MatchingWeights._meta.get_field(name).default
        for name in ["priority_bonus", "waiting_bonus_per_month", "waiting_bonus_cap"]
    }
    assert defaults == {
        "priority_bonus": programme.PRIORITY_PUBLIC_BONUS,
        "waiting_bonus_per_month": programme.WAITING_BONUS_PER_MONTH,
        "waiting_bonus_cap": programme.WAITING_BONUS_CAP,
    }
    assert (Weights().priority_bonus, Weights().waiting_bonus_cap) == (
        programme.PRIORITY_PUBLIC_BONUS,
        programme.WAITING_BONUS_CAP,
    )


@pytest.mark.parametrize(
    ("publics", "months", "bonus", "words"),
    [
        (["QPV", "ASE"], 3, 16, "public prioritaire : QPV, ASE (+10) ; attend depuis 3 mois (+6)"),
        ([], 1, 2, "attend depuis 1 mois (+2)"),
        ([], 0, 0, "attend depuis moins d'un mois (+0)"),
        # Capped: six months' worth at most.
        (["NEET"], 10, 22, "public prioritaire : NEET (+10) ; attend depuis 10 mois (+12)"),
        (["NEET"], None, 10, "public prioritaire : NEET (+10)"),
        ([], None, 0, "aucune priorité"),
    ],
)
def test_a_young_person_s_priority_in_words(publics, months, bonus, words):
    priority = priority_of(publics=publics, months=months, rematch=False, weights=WEIGHTS)

    assert (priority.bonus, priority.words) == (bonus, words)
    assert Priority.from_dict(priority.as_dict()) == priority


def test_the_bonus_of_a_whole_queue_is_the_one_of_each_young_person():
    has_priority = np.array([True, False, True, False])
    months = np.array([0, 2, 9, 30])

    column = bonus_column(has_priority, months, WEIGHTS)

    assert column.tolist() == [10, 4, 22, 12]
    assert column.tolist() == [
        priority_of(
            publics=["QPV"] if p else [], months=int(m), rematch=False, weights=WEIGHTS
        ).bonus
        for p, m in zip(has_priority, months, strict=True)
    ]


@given(
    st.lists(st.dates(datetime.date(2023, 1, 1), datetime.date(2026, 12, 31)), max_size=20),
    st.dates(datetime.date(2025, 1, 1), datetime.date(2026, 12, 31)),
)
def test_whole_months_of_a_column_are_counted_as_for_one_pair(days, today):
    months = whole_months_since(np.array(days, dtype="datetime64[D]"), today=today)

    assert months.tolist() == [months_between(day, today) for day in days]


# --- The batch: priority order and the optimum with bonuses


@pytest.mark.django_db
def test_when_one_slot_is_left_the_priority_public_young_person_gets_it(today):
    mentor = one_slot()
    # Registered and approved the same day; the one in a priority public was registered last.
    first = waiting_since(TODAY)
    priority = mark(waiting_since(TODAY), "QPV", "ASE")

    result = batch_compute(weights=WEIGHTS)

    [proposal] = result.proposals
    assert (proposal.mentee_id, proposal.mentor_id, proposal.bonus) == (priority.pk, mentor.pk, 10)
    assert result.unmatched == [
        (first.pk, "les mentors compatibles n'ont plus de place dans ce lot")
    ]
    assert result.priorities[priority.pk]["publics"] == ["QPV", "ASE"]
    assert Priority.from_dict(result.priorities[priority.pk]).words == (
        "public prioritaire : QPV, ASE (+10) ; attend depuis moins d'un mois (+0)"
    )


@pytest.mark.django_db
def test_when_one_slot_is_left_the_young_person_waiting_longest_gets_it(today):
    one_slot()
    waiting_since(TODAY - datetime.timedelta(days=5))
    three_months = waiting_since(datetime.date(2026, 3, 10))

    result = batch_compute(weights=WEIGHTS)

    assert [p.mentee_id for p in result.proposals] == [three_months.pk]
    assert result.proposals[0].bonus == 6
    assert Priority.from_dict(result.priorities[three_months.pk]).words == (
        "attend depuis 3 mois (+6)"
    )


@pytest.mark.django_db
def test_a_bonus_outweighs_a_smaller_gap_of_score_but_not_a_larger_one(today):
    # The same slot; the other young person's pair scores a few points more.
    mentor = one_slot(languages=["fr", "ar"])
    better_score = waiting_since(TODAY, languages=["ar"])
    priority = mark(waiting_since(TODAY, languages=["es"]), "NEET")
    # The pairs' own scores, as a single pair is scored and judged.
    verdicts = {
        mentee.pk: pair_evaluation(mentee=mentee, mentor=mentor, weights=WEIGHTS)
        for mentee in [better_score, priority]
    }
    assert all(reasons == [] for reasons, _ in verdicts.values())
    difference = verdicts[better_score.pk][1].score - verdicts[priority.pk][1].score
    assert difference > 1

    outweighs = batch_compute(weights=Weights(priority_bonus=difference + 1))
    falls_short = batch_compute(weights=Weights(priority_bonus=difference - 1))

    assert [p.mentee_id for p in outweighs.proposals] == [priority.pk]
    assert [p.mentee_id for p in falls_short.proposals] == [better_score.pk]
    # The score stays the pair's: the bonus is beside it.
    [proposal] = outweighs.proposals
    assert (proposal.score, proposal.bonus) == (verdicts[priority.pk][1].score, difference + 1)


@pytest.mark.django_db
def test_no_bonus_makes_an_impossible_pair_possible(today):
    one_slot()
    # Lives in Lyon and only meets in person: no pair with a mentor of Seine-Saint-Denis.
    far = mark(
        waiting_since(datetime.date(2025, 1, 1), postal_code="69008", meeting_mode="in_person"),
        "QPV",
    )
    near = waiting_since(TODAY)

    result = batch_compute(weights=Weights(priority_bonus=100, waiting_bonus_cap=100))

    assert [p.mentee_id for p in result.proposals] == [near.pk]
    assert (far.pk, result.priorities[far.pk]["public_bonus"]) == (far.pk, 100)
    assert dict(result.unmatched)[far.pk].startswith("aucun mentor disponible")


@pytest.mark.django_db
def test_the_cut_of_a_large_waiting_list_keeps_priority_first_and_says_so(today, settings):
    settings.MATCHING_BATCH_MAX_MENTEES = 2
    MentorFactory(approved=True, capacity=3, postal_code="93200", civility="mme")
    first = waiting_since(TODAY)
    second = waiting_since(TODAY)
    priority = mark(waiting_since(TODAY), "ZRR")
    long_wait = waiting_since(datetime.date(2026, 4, 1))

    result = batch_compute(weights=WEIGHTS)

    # Priority public first (+10), then the longest wait (+4), then the first registered.
    assert {p.mentee_id for p in result.proposals} == {priority.pk, long_wait.pk}
    assert [p.mentee_id for p in result.proposals] == [priority.pk, long_wait.pk]
    assert [pk for pk, _ in result.unmatched] == [first.pk, second.pk]
    for _, reason in result.unmatched:
        assert reason == (
            "hors de ce lot (au plus 2 jeunes par lot, pris par ordre de priorité : bonus le "
            "plus élevé, puis attente la plus longue)"
        )
    # The left-out young people's priority is explained too.
    assert result.priorities[first.pk]["months"] == 0


@pytest.mark.django_db
def test_a_batch_s_result_page_explains_each_young_person_s_priority(
    today, client, django_capture_on_commit_callbacks
):
    MatchingWeights.load()
    coordinator = make_coordinator()
    one_slot()
    mark(waiting_since(datetime.date(2026, 3, 1)), "QPV", "ASE")
    ended_early = waiting_since(datetime.date(2026, 1, 5))
    MentorshipFactory(mentee=ended_early, closed=True, close_reason=CloseReason.MENTOR_WITHDREW)
    with django_capture_on_commit_callbacks(execute=True):
        batch = matching_batch_start(created_by=coordinator, mentee_ids=None)

    html = (
        login_staff(client, coordinator)
        .get(reverse("admin:matching_matchingbatch_result", args=[batch.pk]))
        .content.decode()
    )

    assert '<th scope="col">Priorité du jeune</th>' in html
    assert (
        '<span class="matching-bonus">+16</span> (public prioritaire : QPV, ASE (+10) ; '
        "attend depuis 3 mois (+6))"
    ) in html
    # Back after a pair that ended early, waiting since January: 5 months, capped at 12.
    assert (
        '<strong class="matching-mark">rematch</strong> <span class="matching-bonus">+10</span>'
        " (attend depuis 5 mois (+10))"
    ) in html
    assert "total maximisé (compatibilité + bonus) : " in html


# --- Rematch, and the end of a mentoring that reached its objectives


@pytest.mark.django_db
@pytest.mark.parametrize(
    "reason", [reason for reason in CloseReason.values if reason != CloseReason.OBJECTIVES_ACHIEVED]
)
def test_a_pair_that_ended_early_puts_the_young_person_back_with_their_original_wait(today, reason):
    approved_on = paris(datetime.date(2025, 12, 1))
    mentee = MenteeFactory(approved=True, reviewed_at=approved_on)
    MentorshipFactory(mentee=mentee, closed=True, close_reason=reason)
    MentorFactory(approved=True, postal_code=mentee.postal_code, civility=mentee.civility)

    listed = with_waiting_since(Mentee.objects.filter(pk=mentee.pk), today=TODAY).get()
    result = batch_compute(weights=Weights(waiting_bonus_per_month=1, waiting_bonus_cap=100))

    assert mentee in mentees_awaiting_mentor(today=TODAY)
    assert (listed.awaiting_since, listed.is_rematch) == (approved_on, True)
    # Six whole months since the approval (1 December to 15 June), not since the closure.
    [proposal] = result.proposals
    assert (proposal.mentee_id, proposal.bonus) == (mentee.pk, 6)
    assert result.priorities[mentee.pk]["rematch"] is True


@pytest.mark.django_db
def test_a_pair_that_reached_its_objectives_ends_the_wait(today):
    mentee = MenteeFactory(approved=True)
    MentorshipFactory(mentee=mentee, closed=True, close_reason=CloseReason.OBJECTIVES_ACHIEVED)
    MentorFactory(approved=True, postal_code=mentee.postal_code, civility=mentee.civility)

    assert mentee not in mentees_awaiting_mentor(today=TODAY)
    listed = with_waiting_since(Mentee.objects.filter(pk=mentee.pk), today=TODAY).get()
    assert (listed.awaiting_since, listed.is_rematch) == (None, False)
    assert batch_compute(weights=WEIGHTS).proposals == []


@pytest.mark.django_db
def test_a_young_person_who_was_never_paired_or_only_declined_is_no_rematch(today):
    never = MenteeFactory(approved=True)
    declined = MentorshipFactory(declined=True).mentee

    rows = with_waiting_since(Mentee.objects.filter(pk__in=[never.pk, declined.pk]), today=TODAY)

    assert {row.pk: row.is_rematch for row in rows} == {never.pk: False, declined.pk: False}


@pytest.fixture
def coordinator_client(client, today):
    return login_staff(client, make_coordinator())


@pytest.mark.django_db
def test_the_waiting_list_marks_a_rematch(coordinator_client):
    rematch = MenteeFactory(approved=True, reviewed_at=paris(TODAY - datetime.timedelta(days=95)))
    MentorshipFactory(mentee=rematch, closed=True, close_reason=CloseReason.UNREACHABLE)
    MenteeFactory(approved=True, reviewed_at=paris(TODAY - datetime.timedelta(days=3)))

    html = coordinator_client.get(MENTEES).content.decode()

    assert (
        '<td class="field-waiting_display">en attente depuis 95 jours '
        '<strong class="matching-mark">rematch</strong></td>'
    ) in html
    assert '<td class="field-waiting_display">en attente depuis 3 jours</td>' in html


@pytest.mark.django_db
@pytest.mark.parametrize("size", [1, 6])
def test_the_waiting_list_with_rematches_and_priorities_costs_the_same_queries_whatever_its_size(
    admin_client, django_assert_num_queries, size, today
):
    for _ in range(size):
        mentee = mark(MenteeFactory(approved=True), "QPV")
        MentorshipFactory(mentee=mentee, closed=True, close_reason=CloseReason.OTHER)
        MentorshipFactory(closed=True, close_reason=CloseReason.OBJECTIVES_ACHIEVED)
    # session, user, the verified second-factor device, filtered count (no total count), the
    # page of young people with their users, waits and rematch marks, the distinct départements,
    # the priority publics' names (their filter).
    with django_assert_num_queries(7):
        response = admin_client.get(MENTEES, {"en_attente_de_mentor": "oui"})
    assert len(response.context["cl"].result_list) == size


def matching_page(mentee):
    return reverse("admin:mentees_mentee_matching", args=[mentee.pk])


def facts(response) -> dict[str, str]:
    return {fact.label: fact.value for fact in response.context["facts"]}


@pytest.mark.django_db
def test_the_matching_page_shows_the_priority_and_the_rematch(coordinator_client):
    MatchingWeights.load()
    mentee = mark(MenteeFactory(approved=True, reviewed_at=paris(datetime.date(2026, 3, 1))), "QPV")
    MentorshipFactory(mentee=mentee, closed=True, close_reason=CloseReason.REMATCH_NEEDED)
    MentorFactory(approved=True, postal_code=mentee.postal_code, civility=mentee.civility)

    response = coordinator_client.get(matching_page(mentee))

    summary = facts(response)
    assert summary["Priorité (appariement par lot)"] == (
        "+16 : public prioritaire : QPV (+10) ; attend depuis 3 mois (+6)"
    )
    assert summary["Rematch"].startswith("oui : son binôme précédent s'est arrêté")
    labels = list(summary)
    assert labels.index("Attente") + 1 == labels.index("Rematch")
    html = response.content.decode()
    # The suggestions' score is the pair's; the bonus is said apart, with what it is for.
    assert "Bonus de priorité de ce jeune : " in html
    assert "Il ne change pas la compatibilité sur 100 de chaque binôme ci-dessous" in html
    assert "l'appariement par lot, lui, maximise le total compatibilité + bonus" in html
    [suggestion] = response.context["matching"]["suggestions"]
    assert f"{suggestion.compatibility.score}/100" in html


@pytest.mark.django_db
def test_the_matching_page_of_a_young_person_whose_objectives_were_achieved(coordinator_client):
    mentee = MenteeFactory(approved=True)
    MentorshipFactory(mentee=mentee, closed=True, close_reason=CloseReason.OBJECTIVES_ACHIEVED)

    summary = facts(coordinator_client.get(matching_page(mentee)))

    assert summary["Attente"] == "n'attend pas de mentor"
    assert summary["Fin de mentorat"] == "objectifs atteints : n'attend plus de mentor"
    assert summary["Priorité (appariement par lot)"] == "aucune : n'attend pas de mentor"
    assert "Rematch" not in summary


@pytest.mark.django_db
def test_a_mentor_s_suggestions_show_each_young_person_s_bonus_beside_the_score(
    coordinator_client,
):
    MatchingWeights.load()
    mentor = one_slot()
    mark(waiting_since(datetime.date(2026, 5, 1)), "PJJ")

    response = coordinator_client.get(reverse("admin:mentors_mentor_matching", args=[mentor.pk]))

    [suggestion] = response.context["matching"]["suggestions"]
    assert suggestion.priority.bonus == 12
    html = response.content.decode()
    assert (
        '<span class="matching-bonus">+12</span> (public prioritaire : PJJ (+10) ; '
        "attend depuis 1 mois (+2))"
    ) in html
    assert (
        "le bonus de priorité du jeune (public prioritaire, mois d'attente) est montré à part"
        in html
    )


# --- The closed pair's page leads to the young person's matching page


def pair_page(pair):
    return reverse("admin:matching_mentorship_change", args=[pair.pk])


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("reason", "link"),
    [
        (CloseReason.MENTEE_WITHDREW, "Trouver un nouveau mentor au jeune (rematch)"),
        (CloseReason.OBJECTIVES_ACHIEVED, "Page d'appariement du jeune"),
    ],
)
def test_a_closed_pair_s_page_links_to_the_young_person_s_matching_page(
    coordinator_client, reason, link
):
    pair = MentorshipFactory(closed=True, close_reason=reason)

    html = coordinator_client.get(pair_page(pair)).content.decode()

    assert f'<a href="{matching_page(pair.mentee)}" class="matching-rematch">{link}</a>' in html
    assert coordinator_client.get(matching_page(pair.mentee)).status_code == 200


@pytest.mark.django_db
def test_an_open_pair_s_page_has_no_rematch_link(coordinator_client):
    pair = MentorshipFactory(active=True)

    html = coordinator_client.get(pair_page(pair)).content.decode()

    assert 'class="matching-rematch"' not in html
    assert Mentorship.objects.get(pk=pair.pk).status == MentorshipStatus.ACTIVE


# --- The weights page


@pytest.mark.django_db
def test_the_weights_page_sets_the_bonuses_and_says_what_they_do(admin_client):
    weights = MatchingWeights.load()
    change = reverse("admin:matching_matchingweights_change", args=[weights.pk])

    html = admin_client.get(change).content.decode()
    assert "Priorité dans l&#x27;appariement par lot" in html
    assert "Le score sur 100 du binôme ne change pas" in html

    response = admin_client.post(
        change,
        {
            "needs": 35, "sectors": 15, "place": 20, "availability": 15, "language": 10,
            "meeting_format": 5, "availability_required": "on", "priority_bonus": 25,
            "waiting_bonus_per_month": 3, "waiting_bonus_cap": 101,
        },
    )  # fmt: skip
    assert response.status_code == 200
    assert "Assurez-vous que cette valeur est inférieure ou égale à 100." in (
        response.content.decode()
    )

    response = admin_client.post(
        change,
        {
            "needs": 35, "sectors": 15, "place": 20, "availability": 15, "language": 10,
            "meeting_format": 5, "availability_required": "on", "priority_bonus": 25,
            "waiting_bonus_per_month": 3, "waiting_bonus_cap": 9,
        },
    )  # fmt: skip
    assert response.status_code == 302
    weights.refresh_from_db()
    assert Weights.from_model(weights) == Weights(
        priority_bonus=25, waiting_bonus_per_month=3, waiting_bonus_cap=9
    )
