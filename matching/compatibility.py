"""The compatibility score of a (young person, mentor) pair, 0 to 100, and its explanation.

`criteria` is the one formula: it takes numpy arrays (or plain integers) of bitmasks, so the
same code scores one pair for the admin and a whole matrix for batch matching. The score is
the mean of the criteria weighted by `MatchingWeights`, scaled to 0–100 and rounded half up.
A criterion one side left empty is « non renseigné »: it scores nothing and is explained as
neither a match nor a mismatch (unknown is not a match).
"""

from dataclasses import dataclass

import numpy as np

from users.enums import Availability, HelpTopic, Language, Sector
from users.programme import PRIORITY_PUBLIC_BONUS, WAITING_BONUS_CAP, WAITING_BONUS_PER_MONTH

from .geography import FAR, NEIGHBOUR, SAME, SAME_REGION, proximity, region_name, region_of
from .profiles import (
    IN_PERSON,
    REMOTE,
    Profile,
    availability_of,
    languages_of,
    sectors_of,
    topics_of,
)

WEIGHT_NAMES = ("needs", "sectors", "place", "availability", "language", "meeting_format")
# Not weights of the score: points of priority added to every pair of a young person by batch
# matching (`priority.py`); the pair's score out of 100 stays what the weights above give.
BONUS_NAMES = ("priority_bonus", "waiting_bonus_per_month", "waiting_bonus_cap")


@dataclass(frozen=True)
class Weights:
    needs: int = 35
    sectors: int = 15
    place: int = 20
    availability: int = 15
    language: int = 10
    meeting_format: int = 5
    # Not a weight: whether a pair whose two sides gave availabilities without any in common
    # is excluded (a hard constraint) rather than only scored 0 on that criterion.
    availability_required: bool = True
    # Not a weight: whether a mentor who never attended an initial training and never had a
    # pair is excluded (a hard constraint).
    initial_training_required: bool = False
    # Priority in batch matching (`priority.py`), not part of the score.
    priority_bonus: int = PRIORITY_PUBLIC_BONUS
    waiting_bonus_per_month: int = WAITING_BONUS_PER_MONTH
    waiting_bonus_cap: int = WAITING_BONUS_CAP

    @classmethod
    def from_model(cls, row) -> "Weights":
        return cls(
            **{name: getattr(row, name) for name in (*WEIGHT_NAMES, *BONUS_NAMES)},
            availability_required=row.availability_required,
            initial_training_required=row.initial_training_required,
        )


@dataclass(frozen=True)
class Reason:
    label: str
    # True: a match (✓); False: not one (✗); None: one side left it empty (« non renseigné »).
    ok: bool | None

    def as_dict(self) -> dict:
        return {"label": self.label, "ok": self.ok}


@dataclass(frozen=True)
class Compatibility:
    score: int
    reasons: tuple[Reason, ...]

    def explanation(self) -> list[dict]:
        return [reason.as_dict() for reason in self.reasons]


def _coverage(wanted, offered):
    """Share of the wanted bits that are offered (callers rule out an empty side first)."""
    wanted_count = np.bitwise_count(wanted)
    covered = np.bitwise_count(np.bitwise_and(wanted, offered))
    return covered / np.maximum(wanted_count, 1)


def can_meet(mentee_department, mentee_modes, mentor_department, mentor_modes, whole_region):
    """In person within the same or a neighbouring département (the mentor's whole region
    when they travel that far), or remotely when both accept it."""
    in_person = (
        (proximity(mentee_department, mentor_department, whole_region) != FAR)
        & (np.bitwise_and(mentee_modes, IN_PERSON) > 0)
        & (np.bitwise_and(mentor_modes, IN_PERSON) > 0)
    )
    remote = (np.bitwise_and(mentee_modes, REMOTE) > 0) & (np.bitwise_and(mentor_modes, REMOTE) > 0)
    return in_person, remote


def availability_compatible(mentee_availability, mentor_availability):
    """Whether the two sides share an availability, or one left it empty (« non renseigné »
    is no reason to exclude a pair). Arrays broadcast."""
    mentee_availability = np.asarray(mentee_availability)
    mentor_availability = np.asarray(mentor_availability)
    return (
        (mentee_availability == 0)
        | (mentor_availability == 0)
        | (np.bitwise_and(mentee_availability, mentor_availability) != 0)
    )


# What each criterion compares: a side that left it empty makes it « non renseigné ».
CRITERION_FIELDS = {
    "needs": "topics",
    "sectors": "sectors",
    "place": "modes",
    "availability": "availability",
    "language": "languages",
    "meeting_format": "modes",
}


def unknown(mentee, mentor) -> dict:
    """For each criterion, whether one side left it empty (arrays broadcast)."""
    return {
        name: (np.asarray(mentee[key]) == 0) | (np.asarray(mentor[key]) == 0)
        for name, key in CRITERION_FIELDS.items()
    }


def criteria(mentee, mentor) -> dict:
    """Each criterion as a fraction in [0, 1]. `mentee` and `mentor` are mappings of arrays
    (or scalars) with keys topics, sectors, department, modes, availability, languages (and
    whole_region for the mentor); arrays broadcast, e.g. mentees as a column and mentors as
    a row. A criterion one side left empty is not a match: it scores nothing."""
    in_person, remote = can_meet(
        mentee["department"],
        mentee["modes"],
        mentor["department"],
        mentor["modes"],
        mentor["whole_region"],
    )
    fractions = {
        "needs": _coverage(mentee["topics"], mentor["topics"]),
        "sectors": _coverage(mentee["sectors"], mentor["sectors"]),
        "place": np.where(in_person, 1.0, np.where(remote, 0.5, 0.0)),
        "availability": _coverage(mentee["availability"], mentor["availability"]),
        "language": (np.bitwise_and(mentee["languages"], mentor["languages"]) > 0).astype(float),
        "meeting_format": _coverage(mentee["modes"], mentor["modes"]),
    }
    empty = unknown(mentee, mentor)
    return {name: np.where(empty[name], 0.0, fraction) for name, fraction in fractions.items()}


def score(fractions: dict, weights: Weights):
    total = sum(getattr(weights, name) for name in WEIGHT_NAMES) or 1
    weighted = sum(getattr(weights, name) * fractions[name] for name in WEIGHT_NAMES)
    return np.floor(100 * weighted / total + 0.5).astype(int)


def as_mapping(profile: Profile) -> dict:
    """A profile in the shape `criteria` reads (scalars broadcast against columns)."""
    return {
        "topics": profile.topics,
        "sectors": profile.sectors,
        "department": profile.department,
        "modes": profile.modes,
        "availability": profile.availability,
        "languages": profile.languages,
        "whole_region": profile.whole_region,
    }


HELP_PHRASES = {
    HelpTopic.ORIENTATION: "aide à l'orientation",
    HelpTopic.SELF_CONFIDENCE: "aide à la confiance en soi",
    HelpTopic.PROFESSIONAL_WORLD: "aide à découvrir le monde professionnel",
    HelpTopic.INTERNSHIP: "aide à trouver un stage",
    HelpTopic.ALTERNANCE: "aide à trouver une alternance",
    HelpTopic.JOB_SEARCH: "aide à la recherche d'emploi",
    HelpTopic.CV_INTERVIEW: "aide pour le CV et l'entretien",
    HelpTopic.SOFT_SKILLS: "aide au savoir-être",
}
AVAILABILITY_PHRASES = {
    Availability.WEEKDAY_DAYTIME: "journée en semaine",
    Availability.WEEKDAY_EVENING: "soir en semaine",
    Availability.WEEKEND: "week-end",
}


def _labels(values, choices) -> str:
    labels = dict(choices.choices)
    return ", ".join(labels[value].lower() for value in values)


def _not_given(subject: str, mentee_empty, mentor_empty) -> Reason:
    """A criterion one side left empty: neither a match nor a mismatch."""
    if mentee_empty and mentor_empty:
        who = "le jeune et le mentor"
    else:
        who = "le jeune" if mentee_empty else "le mentor"
    return Reason(f"{subject} (par {who})", None)


def _place_reason(mentee: Profile, mentor: Profile, fraction) -> Reason:
    departments = f"départements {mentee.department} et {mentor.department}"
    if fraction == 1:
        level = proximity(mentee.department, mentor.department, mentor.whole_region)
        if level == SAME:
            return Reason(f"même département ({mentee.department})", True)
        if level == NEIGHBOUR:
            return Reason(f"département voisin ({departments})", True)
        if level == SAME_REGION:
            region = region_name(region_of(mentor.department))
            return Reason(
                f"même région, le mentor s'y déplace ({region}, {departments})",
                True,
            )
    if fraction > 0:
        return Reason(f"rencontres à distance ({departments})", False)
    return Reason(f"pas de rencontre possible ({departments}, pas de rencontre à distance)", False)


def compatibility(mentee: Profile, mentor: Profile, weights: Weights) -> Compatibility:
    """The score of one pair with the criteria that matched, those that did not, and those
    one side left empty (« non renseigné », neither)."""
    mentee_side, mentor_side = as_mapping(mentee), as_mapping(mentor)
    fractions = criteria(mentee_side, mentor_side)
    empty = {
        name: (getattr(mentee, key) == 0, getattr(mentor, key) == 0)
        for name, key in CRITERION_FIELDS.items()
    }
    reasons = []
    if any(empty["needs"]):
        reasons.append(_not_given("besoins d'aide non renseignés", *empty["needs"]))
    else:
        for topic in topics_of(mentee.topics):
            offered = topic in topics_of(mentor.topics)
            reasons.append(
                Reason(f"{HELP_PHRASES[topic]} : {'oui' if offered else 'non'}", offered)
            )

    wanted_sectors = sectors_of(mentee.sectors)
    shared_sectors = [sector for sector in wanted_sectors if sector in sectors_of(mentor.sectors)]
    if any(empty["sectors"]):
        reasons.append(_not_given("secteurs d'intérêt non renseignés", *empty["sectors"]))
    elif shared_sectors:
        reasons.append(Reason(f"secteurs en commun : {_labels(shared_sectors, Sector)}", True))
    else:
        reasons.append(Reason("aucun secteur d'intérêt en commun", False))

    if any(empty["place"]):
        reasons.append(_not_given("lieu de rencontre non renseigné", *empty["place"]))
    else:
        reasons.append(_place_reason(mentee, mentor, fractions["place"]))

    shared_availability = [
        slot
        for slot in availability_of(mentee.availability)
        if slot in availability_of(mentor.availability)
    ]
    if any(empty["availability"]):
        reasons.append(_not_given("disponibilités non renseignées", *empty["availability"]))
    elif shared_availability:
        phrases = ", ".join(AVAILABILITY_PHRASES[slot] for slot in shared_availability)
        reasons.append(Reason(f"disponibilités communes : {phrases}", True))
    else:
        reasons.append(Reason("aucune disponibilité commune", False))

    shared_languages = [
        language
        for language in languages_of(mentee.languages)
        if language in languages_of(mentor.languages)
    ]
    if any(empty["language"]):
        reasons.append(_not_given("langues non renseignées", *empty["language"]))
    elif shared_languages:
        reasons.append(Reason(f"langue commune : {_labels(shared_languages, Language)}", True))
    else:
        reasons.append(Reason("aucune langue commune", False))

    if any(empty["meeting_format"]):
        reasons.append(_not_given("format de rencontre non renseigné", *empty["meeting_format"]))
    else:
        format_ok = fractions["meeting_format"] == 1
        reasons.append(
            Reason(
                "format de rencontre accepté par le mentor"
                if format_ok
                else "format de rencontre en partie seulement accepté par le mentor",
                bool(format_ok),
            )
        )
    return Compatibility(score=int(score(fractions, weights)), reasons=tuple(reasons))
