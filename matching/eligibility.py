"""Hard constraints: a pair that breaks one is never proposed, whatever its score.

`blocking_reasons` states them in French for one pair from plain facts; `eligible_mask` is the
same rules over a matrix for batch matching; `mentor_candidates` is their SQL pre-filter
(all but the availability rule, applied by the suggestions on the candidates' table: the
lists are stored as JSON).

« Même antenne »: a young person is matched within their antenne, by the suggestions, by hand
and by batch. Only the coordinator's widened search (« Élargir aux antennes voisines »,
`antennes_within_reach`) adds the antennes of the young person's département and of the
bordering ones. The national programme (no antenne) is matched the same way, as one more
antenne: a young person of the national programme with national mentors only, and a national
mentor is never offered to an antenne's young person. A national association expects it so:
each antenne's team follows its own pairs (référents, meetings, events) and never sees the
national programme's people, the national programme is simply the territory no antenne
covers yet (an antenne that opens there takes its people), and batches of different antennes
run side by side without competing for the same mentors' places."""

from dataclasses import dataclass

from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q

from mentors.models import (
    Mentor,
    ScreeningRecord,
    attended_initial_training,
    screening_valid_since,
)
from users.antennes import Antenne
from users.enums import MeetingMode, RegistrationStatus

from .capacity import HAS_FREE_SLOT, with_free_slots
from .compatibility import availability_compatible, can_meet
from .enums import MentorshipStatus
from .geography import departments_of_region, neighbours, region_of
from .models import OPEN_STATUSES, Mentorship
from .profiles import Profile

INITIAL_TRAINING_MISSING = (
    "le mentor n'a pas encore suivi la formation initiale, exigée avant un premier binôme"
)


def antenne_blocking_reason(mentor_antenne_name: str, *, widened: bool) -> str:
    """Why a mentor of another antenne (`mentor_antenne_name`; empty: the national programme)
    is not for this young person."""
    if not mentor_antenne_name:
        return "le mentor appartient au programme national (sans antenne)"
    if widened:
        return f"le mentor appartient à une antenne qui n'est pas voisine ({mentor_antenne_name})"
    return f"le mentor appartient à une autre antenne ({mentor_antenne_name})"


def mentee_blocking_reasons(
    *, status: str, is_minor: bool, has_guardian_consent: bool, has_open_pair: bool
) -> list[str]:
    reasons = []
    if status != RegistrationStatus.APPROVED:
        reasons.append("l'inscription du jeune n'est pas validée")
    if is_minor and not has_guardian_consent:
        reasons.append("le jeune est mineur et son représentant légal n'a pas donné son accord")
    if has_open_pair:
        reasons.append("le jeune a déjà un binôme proposé ou actif")
    return reasons


def pair_blocking_reasons(
    *,
    mentee: Profile,
    mentor: Profile,
    mentor_status: str,
    mentor_capacity: int,
    mentor_open_pairs: int,
    mentor_accepts_minors: bool,
    previous_pair_status: str | None,
    availability_required: bool = True,
    initial_training_required: bool = False,
    mentor_antenne_name: str = "",
    antennes: frozenset | None = None,
) -> list[str]:
    """`antennes`: the antennes the search covers (`AntennesInReach.ids`); None, the young
    person's own only. `mentor_antenne_name` names the mentor's antenne in the reason."""
    reasons = []
    if mentor.antenne not in (antennes if antennes is not None else {mentee.antenne}):
        reasons.append(antenne_blocking_reason(mentor_antenne_name, widened=antennes is not None))
    if mentor_status != RegistrationStatus.APPROVED:
        reasons.append("l'inscription du mentor n'est pas validée")
    if initial_training_required and mentor.needs_initial_training:
        reasons.append(INITIAL_TRAINING_MISSING)
    if mentor_open_pairs >= mentor_capacity:
        reasons.append(
            f"le mentor n'a plus de place ({mentor_open_pairs} binôme(s) pour "
            f"{mentor_capacity} place(s))"
        )
    if mentee.is_minor and not mentor_accepts_minors:
        reasons.append("le jeune est mineur et le mentor n'accepte pas les mineurs")
    elif mentee.is_minor and not mentor.cleared_for_minors:
        reasons.append("le jeune est mineur et le mentor n'a pas de contrôle d'honorabilité valide")
    if mentee.wants_same_gender and (not mentee.civility or mentee.civility != mentor.civility):
        reasons.append("le jeune souhaite un mentor du même genre")
    if previous_pair_status in OPEN_STATUSES:
        reasons.append("ces deux personnes forment déjà un binôme proposé ou actif")
    elif previous_pair_status == MentorshipStatus.CLOSED:
        reasons.append("ces deux personnes ont déjà formé un binôme, aujourd'hui terminé")
    elif previous_pair_status == MentorshipStatus.DECLINED:
        reasons.append("ce binôme a déjà été proposé puis refusé")
    in_person, remote = can_meet(
        mentee.department, mentee.modes, mentor.department, mentor.modes, mentor.whole_region
    )
    if not (in_person or remote):
        reasons.append(
            f"ils ne peuvent pas se rencontrer (départements {mentee.department} et "
            f"{mentor.department}, pas de rencontre à distance acceptée par les deux)"
        )
    if availability_required and not availability_compatible(
        mentee.availability, mentor.availability
    ):
        reasons.append("ils n'ont aucune disponibilité en commun")
    return reasons


def eligible_mask(
    mentees: dict,
    mentors: dict,
    previous_pairs,
    *,
    availability_required=True,
    initial_training_required=False,
):
    """The pair rules over a matrix (mentees as rows, mentors as columns). `previous_pairs`
    is a boolean matrix of pairs that already existed. Capacity is handled by the slots.
    Batch matching never widens: the same antenne only (`profiles.NATIONAL` for none)."""
    in_person, remote = can_meet(
        mentees["department"],
        mentees["modes"],
        mentors["department"],
        mentors["modes"],
        mentors["whole_region"],
    )
    minors_ok = ~mentees["is_minor"] | mentors["cleared_for_minors"]
    gender_ok = ~mentees["wants_same_gender"] | (
        (mentees["civility"] != "") & (mentees["civility"] == mentors["civility"])
    )
    eligible = (
        (in_person | remote) & minors_ok & gender_ok & ~previous_pairs & (mentors["free_slots"] > 0)
    )
    eligible &= mentees["antenne"] == mentors["antenne"]
    if availability_required:
        eligible &= availability_compatible(mentees["availability"], mentors["availability"])
    if initial_training_required:
        eligible &= ~mentors["needs_initial_training"]
    return eligible


@dataclass(frozen=True)
class AntennesInReach:
    """What « Élargir aux antennes voisines » searches for one young person: their antenne
    (None: the national programme) and the antennes covering their département or a
    bordering one (`geography.neighbours`, the adjacency the meeting place reads)."""

    ids: frozenset
    # The antennes the widening adds, by name (what the page says it searched).
    added: tuple[str, ...] = ()


def antennes_within_reach(*, department: str, antenne_id: int | None) -> AntennesInReach:
    """One query. The national programme is added only for a young person of it: an antenne
    never reaches the national programme's people (its coordinators do not see them)."""
    nearby = (
        Antenne.objects.filter(departments__department__in=[department, *neighbours(department)])
        .exclude(pk=antenne_id)
        .order_by("name")
        .values_list("pk", "name")
        .distinct()
    )
    nearby = list(nearby)
    return AntennesInReach(
        ids=frozenset({antenne_id, *(pk for pk, _ in nearby)}),
        added=tuple(name for _, name in nearby),
    )


def in_antennes(antennes, path: str = "antenne") -> Q:
    """Rows whose antenne (at `path`) is one of `antennes` (None: the national programme)."""
    condition = Q(**{f"{path}__in": [pk for pk in antennes if pk is not None]})
    if None in antennes:
        condition |= Q(**{f"{path}__isnull": True})
    return condition


def in_person_reach(department: str) -> Q:
    """Mentors who can meet in person someone of this département, in SQL: same or
    neighbouring département, or the same region for those who travel across it."""
    region = region_of(department)
    if region is None:
        return Q(pk__in=[])
    return Q(department__in=[department, *neighbours(department)]) | Q(
        travels_whole_region=True, department__in=departments_of_region(region)
    )


def mentees_within_reach(*, department: str, whole_region: bool) -> Q:
    """Young people a mentor of this département can meet in person, in SQL (the same rule
    as `in_person_reach`, seen from the mentor)."""
    region = region_of(department)
    if region is None:
        return Q(pk__in=[])
    reach = [department, *neighbours(department)]
    if whole_region:
        reach += departments_of_region(region)
    return Q(department__in=reach)


def needs_initial_training() -> Q:
    """On mentors: never attended an initial training and never had a pair that started (a
    mentor already mentoring when the rule was turned on is not held back)."""
    return ~Q(attended_initial_training()) & ~Exists(
        Mentorship.objects.filter(mentor=OuterRef("pk"), started_on__isnull=False)
    )


def with_matching_facts(mentors, *, today):
    """Mentors annotated with what the constraints need: open pairs and free slots
    (`capacity.with_free_slots`), a valid screening and `needs_initial_training`."""
    return with_free_slots(mentors).annotate(
        has_valid_screening=Exists(
            ScreeningRecord.objects.filter(
                mentor=OuterRef("pk"), checked_on__gte=screening_valid_since(today)
            )
        ),
        needs_initial_training=ExpressionWrapper(
            needs_initial_training(), output_field=BooleanField()
        ),
    )


def mentor_candidates(
    *,
    mentee: Profile,
    today,
    initial_training_required: bool = False,
    antennes: frozenset | None = None,
):
    """Approved mentors with a free slot who can meet this young person and break no pair
    rule, in SQL: what is left is only scored. `antennes` as for `pair_blocking_reasons`."""
    mentors = with_matching_facts(
        Mentor.objects.approved().filter(
            in_antennes(antennes if antennes is not None else {mentee.antenne})
        ),
        today=today,
    ).filter(HAS_FREE_SLOT)
    if initial_training_required:
        mentors = mentors.exclude(needs_initial_training())
    meet = Q(pk__in=[])
    if mentee.modes & 1:
        meet |= Q(
            in_person_reach(mentee.department),
            meeting_mode__in=[MeetingMode.IN_PERSON, MeetingMode.BOTH],
        )
    if mentee.modes & 2:
        meet |= Q(meeting_mode__in=[MeetingMode.REMOTE, MeetingMode.BOTH])
    mentors = mentors.filter(meet)
    if mentee.is_minor:
        mentors = mentors.filter(accepts_minors=True, has_valid_screening=True)
    if mentee.wants_same_gender:
        mentors = mentors.filter(civility=mentee.civility) if mentee.civility else mentors.none()
    return mentors.exclude(
        Exists(Mentorship.objects.filter(mentor=OuterRef("pk"), mentee_id=mentee.pk))
    )
