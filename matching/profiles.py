"""What the score and the hard constraints read of a registration, as bitmasks, so that one
formula scores a single pair or a whole matrix of pairs (numpy)."""

from dataclasses import dataclass

from users.enums import Availability, Civility, HelpTopic, Language, MeetingMode, Sector

IN_PERSON = 1
REMOTE = 2
MODES = {MeetingMode.IN_PERSON: IN_PERSON, MeetingMode.REMOTE: REMOTE, MeetingMode.BOTH: 3}


def _bits(values, vocabulary) -> int:
    index = {value: position for position, value in enumerate(vocabulary.values)}
    mask = 0
    for value in values or []:
        if value in index:
            mask |= 1 << index[value]
    return mask


def _values(mask: int, vocabulary) -> list:
    return [value for position, value in enumerate(vocabulary.values) if mask >> position & 1]


@dataclass(frozen=True)
class Profile:
    """A mentor's or a young person's side of a pair.

    `topics` is what the young person needs or what the mentor helps with; `sectors` what the
    young person is curious about or what the mentor can talk about."""

    pk: int
    topics: int
    sectors: int
    department: str
    modes: int
    availability: int
    languages: int
    civility: str = ""
    # Mentee only.
    is_minor: bool = False
    wants_same_gender: bool = False
    # Mentor only.
    cleared_for_minors: bool = False
    free_slots: int = 0


def mentee_profile(mentee, *, is_minor: bool) -> Profile:
    return Profile(
        pk=mentee.pk,
        topics=_bits(mentee.needs, HelpTopic),
        sectors=_bits(mentee.sectors_of_interest, Sector),
        department=mentee.department,
        modes=MODES.get(mentee.meeting_mode, 0),
        availability=_bits(mentee.availability, Availability),
        languages=_bits(mentee.languages, Language),
        civility=mentee.civility,
        is_minor=is_minor,
        wants_same_gender=mentee.wants_same_gender_mentor,
    )


def mentor_profile(mentor, *, cleared_for_minors: bool, free_slots: int) -> Profile:
    return Profile(
        pk=mentor.pk,
        topics=_bits(mentor.help_topics, HelpTopic),
        sectors=_bits([*mentor.sectors_to_share, mentor.sector], Sector),
        department=mentor.department,
        modes=MODES.get(mentor.meeting_mode, 0),
        availability=_bits(mentor.availability, Availability),
        languages=_bits(mentor.languages, Language),
        civility=mentor.civility,
        cleared_for_minors=cleared_for_minors,
        free_slots=free_slots,
    )


def topics_of(mask: int) -> list[str]:
    return _values(mask, HelpTopic)


def sectors_of(mask: int) -> list[str]:
    return _values(mask, Sector)


def availability_of(mask: int) -> list[str]:
    return _values(mask, Availability)


def languages_of(mask: int) -> list[str]:
    return _values(mask, Language)


CIVILITIES = Civility.values
