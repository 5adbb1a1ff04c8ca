"""The compatibility score of a (young person, mentor) pair, 0 to 100, and its explanation.

`criteria` is the one formula: it takes numpy arrays (or plain integers) of bitmasks, so the
same code scores one pair for the admin and a whole matrix for batch matching. The score is
the mean of the criteria weighted by `MatchingWeights`, scaled to 0–100 and rounded half up.
A criterion one side left empty is « non renseigné »: it scores nothing and is explained as
neither a match nor a mismatch (unknown is not a match).
"""

import functools
from dataclasses import dataclass

import numpy as np

from users.enums import Availability, HelpTopic, Language, Sector
from users.programme import PRIORITY_PUBLIC_BONUS, WAITING_BONUS_CAP, WAITING_BONUS_PER_MONTH

from .geography import (
    NEIGHBOUR,
    SAME,
    SAME_REGION,
    department_codes,
    department_indices,
    proximity,
    region_name,
    region_of,
    within_reach,
)
from .profiles import (
    IN_PERSON,
    REMOTE,
    Profile,
    availability_of,
    languages_of,
    sectors_of,
    topics_of,
)

# The values of a bitmask, once per distinct mask: a batch explains thousands of pairs whose
# people share a few hundred masks. Tuples, so that nobody changes the kept answer.
_topics = functools.lru_cache(maxsize=4096)(lambda mask: tuple(topics_of(mask)))
_sectors = functools.lru_cache(maxsize=4096)(lambda mask: tuple(sectors_of(mask)))
_availability = functools.lru_cache(maxsize=4096)(lambda mask: tuple(availability_of(mask)))
_languages = functools.lru_cache(maxsize=4096)(lambda mask: tuple(languages_of(mask)))

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
    code = meeting(mentee_department, mentee_modes, mentor_department, mentor_modes, whole_region)
    return code >= 2, np.bitwise_and(code, 1) > 0


@functools.cache
def _meetings() -> np.ndarray:
    """`meeting` for every (mentee's département index, modes) and (mentor's département
    index, whole region, modes), as one flat table."""
    size = len(department_codes()) + 1
    mentee_place, mentee_modes, mentor_place, whole_region, mentor_modes = np.indices(
        (size, 4, size, 2, 4), dtype=np.int64
    ).reshape(5, -1)
    in_person = (
        within_reach(mentee_place, mentor_place, whole_region.astype(bool))
        & (np.bitwise_and(mentee_modes, IN_PERSON) > 0)
        & (np.bitwise_and(mentor_modes, IN_PERSON) > 0)
    )
    remote = (np.bitwise_and(mentee_modes, REMOTE) > 0) & (np.bitwise_and(mentor_modes, REMOTE) > 0)
    return (2 * in_person + remote).astype(np.uint8)


def meeting(mentee_department, mentee_modes, mentor_department, mentor_modes, whole_region):
    """2 × « can meet in person » + « can meet remotely » (`can_meet`), by one look-up per
    pair: each side's part of the index is computed on its own array (a column of young
    people, a row of mentors) before they broadcast. Départements as codes or indices
    (`geography.department_indices`)."""
    size = len(department_codes()) + 1
    modes = np.intp(IN_PERSON | REMOTE)
    mentee_at = department_indices(mentee_department).astype(np.intp) * 4
    mentee_at = (mentee_at + np.bitwise_and(mentee_modes, modes)) * (size * 8)
    mentor_at = department_indices(mentor_department).astype(np.intp) * 2
    mentor_at = mentor_at + np.asarray(whole_region, dtype=np.intp)
    mentor_at = mentor_at * 4 + np.bitwise_and(mentor_modes, modes)
    return _meetings().take(mentee_at + mentor_at)


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


# --- The score of a whole matrix of pairs, for batch matching

# How many bits each coverage criterion compares: the size of its vocabulary (`MODES` has two).
COVERAGE_BITS = {
    "needs": len(HelpTopic),
    "sectors": len(Sector),
    "availability": len(Availability),
    "meeting_format": 2,
}


@functools.cache
def _terms(weights: Weights) -> dict[str, np.ndarray]:
    """Each criterion's weighted term (`weight × fraction`, what `score` adds up) for every
    value it can take, computed by `_coverage` and the same products as for one pair: so a
    look-up gives the very same float. Coverage criteria by (bits wanted × (bits + 1) + bits
    shared); the place by 2 × in person + remote; the language by « one in common »."""
    terms = {}
    for name, bits in COVERAGE_BITS.items():
        wanted, shared = np.divmod(np.arange((bits + 1) ** 2), bits + 1)
        masks = (np.int64(1) << np.minimum(wanted, shared)) - 1
        fraction = np.where(shared <= wanted, _coverage((np.int64(1) << wanted) - 1, masks), 0.0)
        terms[name] = getattr(weights, name) * fraction
    terms["place"] = weights.place * np.array([0.0, 0.5, 1.0, 1.0])
    terms["language"] = weights.language * np.array([0.0, 1.0])
    return terms


def score_matrix(mentees: dict, mentors: dict, weights: Weights) -> np.ndarray:
    """`score(criteria(mentees, mentors), weights)` for broadcasting columns (mentees as a
    column, mentors as a row), by looking each criterion's term up (`_terms`) instead of
    computing fractions pair by pair: the same floats added in the same order, so the same
    integers, several times faster. `department` may hold `geography.department_indices`."""
    terms = _terms(weights)
    weighted = None
    for name in WEIGHT_NAMES:
        if name == "place":
            at = meeting(
                mentees["department"],
                mentees["modes"],
                mentors["department"],
                mentors["modes"],
                mentors["whole_region"],
            )
        elif name == "language":
            shared = np.bitwise_and(mentees["languages"], mentors["languages"]) != 0
            at = shared.astype(np.intp)
        else:
            key, bits = CRITERION_FIELDS[name], COVERAGE_BITS[name]
            wanted = np.bitwise_count(mentees[key]).astype(np.intp) * (bits + 1)
            at = np.bitwise_count(np.bitwise_and(mentees[key], mentors[key])) + wanted
        # Indices as intp: numpy's `take` converts any other type first, at a cost.
        term = terms[name].take(at)
        # As `sum()` in `score`: 0 + the first term, then each in WEIGHT_NAMES's order.
        if weighted is None:
            weighted = np.asarray(term)
        else:
            np.add(weighted, term, out=weighted)
    total = sum(getattr(weights, name) for name in WEIGHT_NAMES) or 1
    # `floor(100 * weighted / total + 0.5)` in place: the same operations, fewer arrays.
    np.multiply(weighted, 100, out=weighted)
    np.divide(weighted, total, out=weighted)
    np.add(weighted, 0.5, out=weighted)
    return np.floor(weighted, out=weighted).astype(np.int8)


# What `criteria` reads of each side.
MAPPING_KEYS = (
    "topics",
    "sectors",
    "department",
    "modes",
    "availability",
    "languages",
    "whole_region",
)


def as_mapping(profile: Profile) -> dict:
    """A profile in the shape `criteria` reads (scalars broadcast against columns)."""
    return {key: getattr(profile, key) for key in MAPPING_KEYS}


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


@functools.cache
def _labels_of(choices) -> dict:
    # TextChoices.choices rebuilds its list on every access: read once per vocabulary.
    return dict(choices.choices)


def _labels(values, choices) -> str:
    labels = _labels_of(choices)
    return ", ".join(labels[value].lower() for value in values)


def _not_given(subject: str, mentee_empty, mentor_empty) -> Reason:
    """A criterion one side left empty: neither a match nor a mismatch."""
    if mentee_empty and mentor_empty:
        who = "le jeune et le mentor"
    else:
        who = "le jeune" if mentee_empty else "le mentor"
    return Reason(f"{subject} (par {who})", None)


def _place_reason(mentee: Profile, mentor: Profile, fraction, level) -> Reason:
    departments = f"départements {mentee.department} et {mentor.department}"
    if fraction == 1:
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
    return compatibilities([(mentee, mentor)], weights)[0]


def compatibilities(pairs: list[tuple[Profile, Profile]], weights: Weights) -> list[Compatibility]:
    """`compatibility` of each (young person, mentor) pair: the criteria, the scores and the
    proximity computed once over columns of pairs (batch matching explains thousands of
    proposals), then each pair's reasons."""
    if not pairs:
        return []
    sides = [
        {key: np.array([getattr(profile, key) for profile in profiles]) for key in MAPPING_KEYS}
        for profiles in zip(*pairs, strict=True)
    ]
    fractions = criteria(*sides)
    scores = score(fractions, weights)
    levels = proximity(sides[0]["department"], sides[1]["department"], sides[1]["whole_region"])
    return [
        Compatibility(
            score=int(scores[at]),
            reasons=_reasons(
                mentee, mentor, {name: values[at] for name, values in fractions.items()}, levels[at]
            ),
        )
        for at, (mentee, mentor) in enumerate(pairs)
    ]


def _reasons(mentee: Profile, mentor: Profile, fractions: dict, level) -> tuple[Reason, ...]:
    """The reasons of one pair, given its criteria and the proximity of its départements."""
    empty = {
        name: (getattr(mentee, key) == 0, getattr(mentor, key) == 0)
        for name, key in CRITERION_FIELDS.items()
    }
    reasons = []
    if any(empty["needs"]):
        reasons.append(_not_given("besoins d'aide non renseignés", *empty["needs"]))
    else:
        offered_topics = _topics(mentor.topics)
        for topic in _topics(mentee.topics):
            offered = topic in offered_topics
            reasons.append(
                Reason(f"{HELP_PHRASES[topic]} : {'oui' if offered else 'non'}", offered)
            )

    offered_sectors = _sectors(mentor.sectors)
    shared_sectors = [sector for sector in _sectors(mentee.sectors) if sector in offered_sectors]
    if any(empty["sectors"]):
        reasons.append(_not_given("secteurs d'intérêt non renseignés", *empty["sectors"]))
    elif shared_sectors:
        reasons.append(Reason(f"secteurs en commun : {_labels(shared_sectors, Sector)}", True))
    else:
        reasons.append(Reason("aucun secteur d'intérêt en commun", False))

    if any(empty["place"]):
        reasons.append(_not_given("lieu de rencontre non renseigné", *empty["place"]))
    else:
        reasons.append(_place_reason(mentee, mentor, fractions["place"], level))

    offered_availability = _availability(mentor.availability)
    shared_availability = [
        slot for slot in _availability(mentee.availability) if slot in offered_availability
    ]
    if any(empty["availability"]):
        reasons.append(_not_given("disponibilités non renseignées", *empty["availability"]))
    elif shared_availability:
        phrases = ", ".join(AVAILABILITY_PHRASES[slot] for slot in shared_availability)
        reasons.append(Reason(f"disponibilités communes : {phrases}", True))
    else:
        reasons.append(Reason("aucune disponibilité commune", False))

    offered_languages = _languages(mentor.languages)
    shared_languages = [
        language for language in _languages(mentee.languages) if language in offered_languages
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
    return tuple(reasons)
