"""What the score and the hard constraints read of a registration, as bitmasks, so that one
formula scores a single pair or a whole matrix of pairs (numpy).

`mentee_profile` / `mentor_profile` read one model instance; `mentee_table` / `mentor_table`
read a whole queryset as numpy columns with the same values, for the ranking of tens of
thousands of candidates (suggestions) and for batch matching."""

import datetime
import functools
import itertools
import json
from dataclasses import dataclass

import numpy as np
from django.db.models import TextField
from django.db.models.functions import Cast

from mentees.ages import MAJORITY_AGE, years_before
from mentees.priority import has_priority_public
from users.enums import Availability, Civility, HelpTopic, Language, MeetingMode, Sector

from .waiting import WAITING_SINCE_DAY, ended_early, whole_months_since

IN_PERSON = 1
REMOTE = 2
MODES = {MeetingMode.IN_PERSON: IN_PERSON, MeetingMode.REMOTE: REMOTE, MeetingMode.BOTH: 3}


@functools.cache
def _bit_of(vocabulary) -> dict[str, int]:
    # TextChoices.values rebuilds its list on every access: computed once per vocabulary.
    return {value: 1 << position for position, value in enumerate(vocabulary.values)}


@functools.cache
def _vocabulary(vocabulary) -> tuple[str, ...]:
    return tuple(vocabulary.values)


def _bits(values, vocabulary) -> int:
    bit_of = _bit_of(vocabulary)
    mask = 0
    for value in values or []:
        mask |= bit_of.get(value, 0)
    return mask


def _values(mask: int, vocabulary) -> list:
    return [value for position, value in enumerate(_vocabulary(vocabulary)) if mask >> position & 1]


# The mask of each list stored as JSON, by its text and vocabulary: a national population
# has only a few hundred distinct lists, so each is parsed once instead of once per row.
_JSON_MASKS: dict = {}
_JSON_MASKS_LIMIT = 100_000


def _mask_column(texts: tuple, vocabulary) -> np.ndarray:
    known = _JSON_MASKS.get(vocabulary)
    if known is None or len(known) > _JSON_MASKS_LIMIT:
        # Replaced, never cleared in place: another thread may be reading the old one.
        known = _JSON_MASKS[vocabulary] = {}
    masks = dict.fromkeys(texts)
    for text in masks:
        mask = known.get(text)
        if mask is None:
            mask = known[text] = _bits(json.loads(text) if text else [], vocabulary)
        masks[text] = mask
    return np.fromiter(map(masks.__getitem__, texts), np.int64, len(texts))


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
    # Meets in person anywhere in their département's region, not only next door.
    whole_region: bool = False
    # Never attended an initial training and never had a pair: kept out of a first pair when
    # the weights require the training.
    needs_initial_training: bool = False
    # The antenne the person belongs to (its primary key); None: the national programme.
    antenne: int | None = None


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
        antenne=mentee.antenne_id,
    )


def mentor_profile(
    mentor, *, cleared_for_minors: bool, free_slots: int, needs_initial_training: bool = False
) -> Profile:
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
        whole_region=mentor.travels_whole_region,
        needs_initial_training=needs_initial_training,
        antenne=mentor.antenne_id,
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


# --- Whole querysets as numpy columns (same values as the profiles above)


def _as_text(field: str):
    """A list field read as its JSON text, parsed once per distinct text (`_mask_column`)
    rather than once per row."""
    return Cast(field, output_field=TextField())


def _lookup_column(values: tuple, table: dict) -> np.ndarray:
    """`table[value]` (0 when unknown) for each value, without a Python loop per row."""
    return np.fromiter(map(table.get, values, itertools.repeat(0)), np.int64, len(values))


# In the tables, the national programme (no antenne) is 0: primary keys start at 1, and an
# integer column compares in one numpy operation.
NATIONAL = 0


def antenne_column(values) -> np.ndarray:
    """Antenne primary keys (None: the national programme) as an integer column."""
    return np.fromiter((value or NATIONAL for value in values), np.int64, len(values))


def _text_column(values) -> np.ndarray:
    # An explicit dtype keeps an empty column comparable with strings.
    return np.array(values, dtype=str) if values else np.array([], dtype="<U3")


def _columns(queryset, fields: dict) -> dict[str, tuple]:
    """One query; each named field or expression as a tuple of values. Unordered: the
    callers rank or index the rows themselves."""
    rows = list(queryset.order_by().values_list(*fields.values()))
    columns = list(zip(*rows, strict=True)) or [()] * len(fields)
    return dict(zip(fields, columns, strict=True))


def _mentee_priority() -> dict:
    return {
        "has_priority": has_priority_public(),
        "waiting_since": WAITING_SINCE_DAY,
        "rematch": ended_early(),
    }


def mentee_table(mentees, *, today: datetime.date, priority: bool = False) -> dict[str, np.ndarray]:
    """`mentee_profile` of every young person of the queryset, as columns (one query).

    With `priority`, also what their priority reads (`priority.py`), in the same query:
    `has_priority` (marked in a priority public), `waiting_since` (the day they started
    waiting, in Paris), `waiting_months` (whole months since) and `rematch` (a pair of theirs
    ended early)."""
    read = _columns(
        mentees,
        (_mentee_priority() if priority else {})
        | {
            "pk": "pk",
            "topics": _as_text("needs"),
            "sectors": _as_text("sectors_of_interest"),
            "department": "department",
            "modes": "meeting_mode",
            "availability": _as_text("availability"),
            "languages": _as_text("languages"),
            "civility": "civility",
            "birth_date": "birth_date",
            "wants_same_gender": "wants_same_gender_mentor",
            "antenne": "antenne_id",
        },
    )
    born = np.array(read["birth_date"], dtype="datetime64[D]")
    return {
        "pk": np.array(read["pk"], dtype=np.int64),
        "topics": _mask_column(read["topics"], HelpTopic),
        "sectors": _mask_column(read["sectors"], Sector),
        "department": _text_column(read["department"]),
        "modes": _lookup_column(read["modes"], MODES),
        "availability": _mask_column(read["availability"], Availability),
        "languages": _mask_column(read["languages"], Language),
        "civility": _text_column(read["civility"]),
        "is_minor": born > np.datetime64(years_before(today, MAJORITY_AGE)),
        "wants_same_gender": np.array(read["wants_same_gender"], dtype=bool),
        "antenne": antenne_column(read["antenne"]),
    } | (_priority_columns(read, today=today) if priority else {})


def _priority_columns(read: dict, *, today: datetime.date) -> dict[str, np.ndarray]:
    since = np.array(read["waiting_since"], dtype="datetime64[D]")
    return {
        "has_priority": np.array(read["has_priority"], dtype=bool),
        "waiting_since": since,
        "waiting_months": whole_months_since(since, today=today),
        "rematch": np.array(read["rematch"], dtype=bool),
    }


_MENTOR_SCORING = {
    "pk": "pk",
    "topics": _as_text("help_topics"),
    "sectors": _as_text("sectors_to_share"),
    "sector": "sector",
    "department": "department",
    "modes": "meeting_mode",
    "availability": _as_text("availability"),
    "languages": _as_text("languages"),
    "civility": "civility",
    "whole_region": "travels_whole_region",
    "antenne": "antenne_id",
}
_MENTOR_FACTS = {
    "accepts_minors": "accepts_minors",
    "has_valid_screening": "has_valid_screening",
    "free_slots": "free_slots",
    "needs_initial_training": "needs_initial_training",
}


def mentor_table(mentors, *, facts: bool = True) -> dict[str, np.ndarray]:
    """`mentor_profile` of every mentor of the queryset, as columns (one query).

    With `facts`, the queryset must carry the annotations of
    `eligibility.with_matching_facts` and the table has `cleared_for_minors`, `free_slots`
    and `needs_initial_training`. Without, only what the score reads: the subqueries behind
    those facts are then not evaluated for every row."""
    read = _columns(mentors, _MENTOR_SCORING | (_MENTOR_FACTS if facts else {}))
    table = {
        "pk": np.array(read["pk"], dtype=np.int64),
        "topics": _mask_column(read["topics"], HelpTopic),
        "sectors": _mask_column(read["sectors"], Sector)
        | _lookup_column(read["sector"], _bit_of(Sector)),
        "department": _text_column(read["department"]),
        "modes": _lookup_column(read["modes"], MODES),
        "availability": _mask_column(read["availability"], Availability),
        "languages": _mask_column(read["languages"], Language),
        "civility": _text_column(read["civility"]),
        "whole_region": np.array(read["whole_region"], dtype=bool),
        "antenne": antenne_column(read["antenne"]),
    }
    if facts:
        table["cleared_for_minors"] = np.array(read["accepts_minors"], dtype=bool) & np.array(
            read["has_valid_screening"], dtype=bool
        )
        table["free_slots"] = np.array(read["free_slots"], dtype=np.int64)
        table["needs_initial_training"] = np.array(read["needs_initial_training"], dtype=bool)
    return table


_OPTIONAL = {
    "is_minor": bool,
    "wants_same_gender": bool,
    "cleared_for_minors": bool,
    "whole_region": bool,
    "needs_initial_training": bool,
}


def profile_from_table(table: dict[str, np.ndarray], row: int) -> Profile:
    """One row of a table back as the Profile its model instance gives."""
    return Profile(
        pk=int(table["pk"][row]),
        topics=int(table["topics"][row]),
        sectors=int(table["sectors"][row]),
        department=str(table["department"][row]),
        modes=int(table["modes"][row]),
        availability=int(table["availability"][row]),
        languages=int(table["languages"][row]),
        civility=str(table["civility"][row]),
        **{name: kind(table[name][row]) for name, kind in _OPTIONAL.items() if name in table},
        **({"free_slots": int(table["free_slots"][row])} if "free_slots" in table else {}),
        **({"antenne": int(table["antenne"][row]) or None} if "antenne" in table else {}),
    )
