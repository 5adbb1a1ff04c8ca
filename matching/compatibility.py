"""The compatibility score of a (young person, mentor) pair, 0 to 100, and its explanation.

`criteria` is the one formula: it takes numpy arrays (or plain integers) of bitmasks, so the
same code scores one pair for the admin and a whole matrix for batch matching. The score is
the mean of the criteria weighted by `MatchingWeights`, scaled to 0–100 and rounded half up.
"""

from dataclasses import dataclass

import numpy as np

from users.enums import Availability, HelpTopic, Language, Sector

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


@dataclass(frozen=True)
class Weights:
    needs: int = 35
    sectors: int = 15
    place: int = 20
    availability: int = 15
    language: int = 10
    meeting_format: int = 5

    @classmethod
    def from_model(cls, row) -> "Weights":
        return cls(**{name: getattr(row, name) for name in WEIGHT_NAMES})


@dataclass(frozen=True)
class Reason:
    label: str
    ok: bool

    def as_dict(self) -> dict:
        return {"label": self.label, "ok": self.ok}


@dataclass(frozen=True)
class Compatibility:
    score: int
    reasons: tuple[Reason, ...]

    def explanation(self) -> list[dict]:
        return [reason.as_dict() for reason in self.reasons]


def _coverage(wanted, offered):
    """Share of the wanted bits that are offered; 1 when nothing is wanted."""
    wanted_count = np.bitwise_count(wanted)
    covered = np.bitwise_count(np.bitwise_and(wanted, offered))
    return np.where(wanted_count == 0, 1.0, covered / np.maximum(wanted_count, 1))


def can_meet(mentee_department, mentee_modes, mentor_department, mentor_modes):
    """In person in the same département, or remotely when both accept it."""
    in_person = (
        (mentee_department == mentor_department)
        & (np.bitwise_and(mentee_modes, IN_PERSON) > 0)
        & (np.bitwise_and(mentor_modes, IN_PERSON) > 0)
    )
    remote = (np.bitwise_and(mentee_modes, REMOTE) > 0) & (np.bitwise_and(mentor_modes, REMOTE) > 0)
    return in_person, remote


def criteria(mentee, mentor) -> dict:
    """Each criterion as a fraction in [0, 1]. `mentee` and `mentor` are mappings of arrays
    (or scalars) with keys topics, sectors, department, modes, availability, languages;
    arrays broadcast, e.g. mentees as a column and mentors as a row."""
    in_person, remote = can_meet(
        mentee["department"], mentee["modes"], mentor["department"], mentor["modes"]
    )
    return {
        "needs": _coverage(mentee["topics"], mentor["topics"]),
        "sectors": np.where(
            mentee["sectors"] == 0, 0.5, _coverage(mentee["sectors"], mentor["sectors"])
        ),
        "place": np.where(in_person, 1.0, np.where(remote, 0.5, 0.0)),
        "availability": _coverage(mentee["availability"], mentor["availability"]),
        "language": (np.bitwise_and(mentee["languages"], mentor["languages"]) > 0).astype(float),
        "meeting_format": _coverage(mentee["modes"], mentor["modes"]),
    }


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


def compatibility(mentee: Profile, mentor: Profile, weights: Weights) -> Compatibility:
    """The score of one pair with the criteria that matched and those that did not."""
    fractions = criteria(as_mapping(mentee), as_mapping(mentor))
    reasons = []
    for topic in topics_of(mentee.topics):
        offered = topic in topics_of(mentor.topics)
        reasons.append(Reason(f"{HELP_PHRASES[topic]} : {'oui' if offered else 'non'}", offered))

    wanted_sectors = sectors_of(mentee.sectors)
    shared_sectors = [sector for sector in wanted_sectors if sector in sectors_of(mentor.sectors)]
    if not wanted_sectors:
        reasons.append(Reason("aucun secteur d'intérêt indiqué par le jeune", True))
    elif shared_sectors:
        reasons.append(Reason(f"secteurs en commun : {_labels(shared_sectors, Sector)}", True))
    else:
        reasons.append(Reason("aucun secteur d'intérêt en commun", False))

    if fractions["place"] == 1:
        reasons.append(Reason(f"même département ({mentee.department})", True))
    elif fractions["place"] > 0:
        reasons.append(
            Reason(
                f"rencontres à distance (départements {mentee.department} et {mentor.department})",
                False,
            )
        )
    else:
        reasons.append(
            Reason(
                f"pas de rencontre possible (départements {mentee.department} et "
                f"{mentor.department}, pas de rencontre à distance)",
                False,
            )
        )

    shared_availability = [
        slot
        for slot in availability_of(mentee.availability)
        if slot in availability_of(mentor.availability)
    ]
    if shared_availability:
        phrases = ", ".join(AVAILABILITY_PHRASES[slot] for slot in shared_availability)
        reasons.append(Reason(f"disponibilités communes : {phrases}", True))
    else:
        reasons.append(Reason("aucune disponibilité commune", False))

    shared_languages = [
        language
        for language in languages_of(mentee.languages)
        if language in languages_of(mentor.languages)
    ]
    if shared_languages:
        reasons.append(Reason(f"langue commune : {_labels(shared_languages, Language)}", True))
    else:
        reasons.append(Reason("aucune langue commune", False))

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
