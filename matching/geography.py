"""Where a young person and a mentor can meet in person: the same département, a neighbouring
one, or anywhere in the mentor's region when the mentor said they would travel that far.

The neighbours and the regions come from `data/departements_voisins.json` (its source is named
in the README). Every function takes numpy arrays of département codes (or plain strings) and
broadcasts, so the same code decides one pair and a whole matrix of pairs."""

import functools
import json
from pathlib import Path

import numpy as np

DATA_FILE = Path(__file__).parent / "data" / "departements_voisins.json"

# How close two départements are, from the closest; what the explanation names.
FAR = 0
SAME = 1
NEIGHBOUR = 2
SAME_REGION = 3


@functools.cache
def data() -> dict:
    return json.loads(DATA_FILE.read_text(encoding="utf-8"))


@functools.cache
def department_codes() -> tuple[str, ...]:
    return tuple(data()["departements"])


def neighbours(department: str) -> list[str]:
    """The départements sharing a border with this one (not itself); none when unknown."""
    entry = data()["departements"].get(department)
    return list(entry["voisins"]) if entry else []


def region_of(department: str) -> str | None:
    entry = data()["departements"].get(department)
    return entry["region"] if entry else None


def region_name(region: str) -> str:
    return data()["regions"][region]


def departments_of_region(region: str | None) -> list[str]:
    return [code for code, entry in data()["departements"].items() if entry["region"] == region]


@functools.cache
def _tables() -> tuple[dict[str, int], np.ndarray, np.ndarray]:
    """Each known code's index; the adjacency matrix (itself included) and each index's
    region number. The last index stands for any unknown or empty code: it is nobody's
    neighbour and in no region, not even its own."""
    codes = department_codes()
    index = {code: position for position, code in enumerate(codes)}
    unknown = len(codes)
    adjacent = np.zeros((unknown + 1, unknown + 1), dtype=bool)
    regions = {region: number for number, region in enumerate(data()["regions"])}
    region = np.full(unknown + 1, -1, dtype=np.int64)
    for code, entry in data()["departements"].items():
        adjacent[index[code], index[code]] = True
        for other in entry["voisins"]:
            adjacent[index[code], index[other]] = True
        region[index[code]] = regions[entry["region"]]
    return index, adjacent, region


def department_indices(departments) -> np.ndarray:
    """The index of each code of an array (any shape) in the tables of `_tables`. An integer
    array is taken as indices already looked up: batch matching looks its people's codes up
    once, not once per chunk of pairs."""
    departments = np.asarray(departments)
    if departments.dtype.kind in "iu":
        return departments
    return _indices(departments)


def _indices(departments) -> np.ndarray:
    """The index of each code of an array (any shape) in the tables of `_tables`."""
    index, adjacent, _ = _tables()
    unknown = len(adjacent) - 1
    departments = np.asarray(departments)
    # A few hundred distinct codes at most, whatever the number of people: looked up once each.
    distinct, inverse = np.unique(departments, return_inverse=True)
    looked_up = np.array([index.get(str(code), unknown) for code in distinct], dtype=np.int64)
    return looked_up[inverse].reshape(departments.shape)


@functools.cache
def _reach() -> np.ndarray:
    """`proximity(…) != FAR` for every pair of indices and both values of whole_region, as
    one flat table: index (mentee × indices + mentor) × 2 + whole_region."""
    _, adjacent, region = _tables()
    same_region = (region[:, None] == region[None, :]) & (region[:, None] >= 0)
    return np.stack([adjacent, adjacent | same_region], axis=-1).ravel()


def within_reach(mentee_department, mentor_department, mentor_whole_region):
    """Whether they can meet in person as far as places go (`proximity(…) != FAR`), with one
    look-up per pair; codes or `department_indices`, arrays broadcast."""
    size = len(_tables()[1])
    at = department_indices(mentee_department).astype(np.int32) * np.int32(size * 2)
    at = at + department_indices(mentor_department).astype(np.int32) * np.int32(2)
    at = at + np.asarray(mentor_whole_region, dtype=np.int32)
    return _reach().take(at)


def proximity(mentee_department, mentor_department, mentor_whole_region):
    """FAR, SAME, NEIGHBOUR or SAME_REGION (only when the mentor travels in the whole region)
    for each pair; arrays broadcast."""
    _, adjacent, region = _tables()
    unknown = len(adjacent) - 1
    mentee_at = _indices(mentee_department)
    mentor_at = _indices(mentor_department)
    same = (mentee_at == mentor_at) & (mentee_at != unknown)
    neighbour = adjacent[mentee_at, mentor_at] & ~same
    same_region = (
        np.asarray(mentor_whole_region, dtype=bool)
        & (region[mentee_at] == region[mentor_at])
        & (region[mentee_at] >= 0)
        & ~same
        & ~neighbour
    )
    return np.select([same, neighbour, same_region], [SAME, NEIGHBOUR, SAME_REGION], FAR)
