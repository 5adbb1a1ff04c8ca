"""The programme's age rules. The ages themselves are stated in users.programme."""

import datetime

from users.programme import DIGITAL_CONSENT_AGE, MAJORITY_AGE, MAX_AGE, MIN_AGE

__all__ = [
    "DIGITAL_CONSENT_AGE",
    "MAJORITY_AGE",
    "MAX_AGE",
    "MIN_AGE",
    "age_on",
    "is_eligible_age",
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


def is_eligible_age(birth_date: datetime.date, day: datetime.date) -> bool:
    return MIN_AGE <= age_on(birth_date, day) <= MAX_AGE
