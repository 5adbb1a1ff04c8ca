"""Priority in batch matching: the points a young person's pairs get on top of their score.

A young person marked in at least one priority public (`mentees.priority`) gets
`priority_bonus`; each whole month waited since the approval adds `waiting_bonus_per_month`,
up to `waiting_bonus_cap`. The bonus is added to every eligible pair of that young person, so
the batch's optimum (score + bonus) favours them when slots are scarce, and the batch takes
the waiting list in that order. The pair's score out of 100 is unchanged: suggestions show the
bonus beside it.

`bonus_columns` is the one formula, over numpy columns (a whole queue) or plain scalars (one
young person); `priority_of` explains it in French."""

from dataclasses import dataclass

import numpy as np

from users.programme import months_words

from .compatibility import Weights


def bonus_columns(has_priority, months, weights: Weights) -> tuple[np.ndarray, np.ndarray]:
    """The public bonus and the waiting bonus of each young person: `has_priority` (at least
    one priority public), `months` (whole months waited; negative or missing counts as 0)."""
    public = np.where(np.asarray(has_priority, dtype=bool), weights.priority_bonus, 0)
    waited = np.maximum(np.asarray(months, dtype=np.int64), 0)
    waiting = np.minimum(waited * weights.waiting_bonus_per_month, weights.waiting_bonus_cap)
    return public.astype(np.int64), waiting.astype(np.int64)


def bonus_column(has_priority, months, weights: Weights) -> np.ndarray:
    public, waiting = bonus_columns(has_priority, months, weights)
    return public + waiting


@dataclass(frozen=True)
class Priority:
    """One young person's priority, as batch matching used it and as the pages explain it."""

    # The codes of their priority publics (QPV, ASE…), in the list's order.
    publics: tuple[str, ...] = ()
    # Whole months waited since the approval; None: not awaiting a mentor.
    months: int | None = None
    # Back in the queue after a pair that ended early (not « objectifs atteints »).
    rematch: bool = False
    public_bonus: int = 0
    waiting_bonus: int = 0

    @property
    def bonus(self) -> int:
        return self.public_bonus + self.waiting_bonus

    @property
    def words(self) -> str:
        """« public prioritaire : QPV, ASE (+10) ; attend depuis 3 mois (+6) »."""
        parts = []
        if self.publics:
            parts.append(f"public prioritaire : {', '.join(self.publics)} (+{self.public_bonus})")
        if self.months is not None:
            waited = months_words(self.months) if self.months else "moins d'un mois"
            parts.append(f"attend depuis {waited} (+{self.waiting_bonus})")
        return " ; ".join(parts) or "aucune priorité"

    def as_dict(self) -> dict:
        # Not dataclasses.asdict (a deep copy, field by field): a batch explains 10,000 of them.
        return {**vars(self), "publics": list(self.publics)}

    @classmethod
    def from_dict(cls, data: dict | None) -> "Priority | None":
        if not data:
            return None
        return cls(**{**data, "publics": tuple(data.get("publics", ()))})


def priority_of(
    *,
    publics,
    months: int | None,
    rematch: bool,
    weights: Weights,
    has_priority: bool | None = None,
) -> Priority:
    """The priority of one young person, by the same formula as a whole queue. `has_priority`
    is whether they have a priority public (by default: whether `publics` names one)."""
    has_priority = bool(publics) if has_priority is None else has_priority
    public, waiting = bonus_columns(has_priority, 0 if months is None else months, weights)
    return Priority(
        publics=tuple(publics),
        months=months,
        rematch=bool(rematch),
        public_bonus=int(public),
        waiting_bonus=int(waiting) if months is not None else 0,
    )
