"""The programme's age rules. The ages themselves are stated in users.programme."""

import datetime

from users.programme import DIGITAL_CONSENT_AGE, MAJORITY_AGE, MAX_AGE, MIN_AGE

__all__ = [
    "DIGITAL_CONSENT_AGE",
    "MAJORITY_AGE",
    "MAX_AGE",
    "MIN_AGE",
    "age_on",
    "age_refusal",
    "years_before",
]


def age_on(birth_date: datetime.date, day: datetime.date) -> int:
    """Completed years on `day`: a person born on 29 February turns a year older on 1 March."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def years_before(day: datetime.date, years: int) -> datetime.date:
    """The latest birth date of somebody who is `years` old on `day`."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year - years, day=28)


def age_refusal(birth_date: datetime.date, day: datetime.date) -> str | None:
    """Why somebody born on `birth_date` cannot register on `day` (in French), or None: the
    programme takes young people from MIN_AGE to MAX_AGE included. The registration form and
    `mentee_register` both ask it."""
    age = age_on(birth_date, day)
    if age < MIN_AGE:
        return f"Le programme accueille les jeunes à partir de {MIN_AGE} ans."
    if age > MAX_AGE:
        return f"Le programme accueille les jeunes jusqu'à {MAX_AGE} ans inclus."
    return None
