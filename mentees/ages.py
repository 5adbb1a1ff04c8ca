"""The programme's age rules, in one place."""

import datetime

MIN_AGE = 11
MAX_AGE = 30
MAJORITY_AGE = 18
# Below this age, the registration waits for the guardian's consent (RGPD art. 8, French law).
DIGITAL_CONSENT_AGE = 15


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
