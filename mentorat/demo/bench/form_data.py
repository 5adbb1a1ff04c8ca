"""Valid POSTs of the two public registration forms: the benchmark posts them under load
and the test suite posts them (tests/mentees/form_data.py and tests/mentors/form_data.py
re-export them), so that both exercise the same, valid, forms."""

import datetime

from django.utils import timezone

from mentees.ages import years_before


def birth_date_for_age(age: int, *, today: datetime.date | None = None) -> datetime.date:
    """Born exactly `age` years ago: today is the birthday."""
    return years_before(today or timezone.localdate(), age)


def mentee_form_data(**overrides) -> dict:
    """A valid POST of the public young person's form (an adult)."""
    data = {
        "civility": "m",
        "first_name": "Yanis",
        "last_name": "Benali",
        "email": "yanis.benali@example.org",
        "phone": "07 61 23 45 67",
        "birth_date": birth_date_for_age(20).isoformat(),
        "situation": "etudiant",
        "school_or_structure": "IUT de Saint-Denis",
        # The priority publics ticked, by code (mentees/0003 seeds them).
        "priority_publics": ["MISSION_LOCALE", "QPV", "SANS_RESEAU"],
        "mission_locale_name": "Mission Locale de Saint-Denis",
        "needs": ["alternance", "cv_interview"],
        "sectors_of_interest": ["it"],
        "goals": "Trouver une alternance en développement web.",
        "postal_code": "93200",
        "meeting_mode": "in_person",
        "availability": ["weekday_evening", "weekend"],
        "languages": ["fr"],
        "guardian_name": "",
        "guardian_email": "",
        "guardian_phone": "",
        "accept_privacy": "on",
        "website": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def minor_form_data(age: int, **overrides) -> dict:
    """A valid POST for a minor of `age`, ten days past their birthday, with a guardian."""
    minor = {
        "birth_date": (birth_date_for_age(age) - datetime.timedelta(days=10)).isoformat(),
        "situation": "lyceen" if age >= 15 else "collegien",
        "priority_publics": None,
        "mission_locale_name": "",
        "guardian_name": "Nadia Benali",
        "guardian_email": "nadia.benali@example.org",
        "guardian_phone": "06 11 22 33 44",
    }
    return mentee_form_data(**(minor | overrides))


def mentor_form_data(**overrides) -> dict:
    """A valid POST of the public mentor form."""
    data = {
        "civility": "mme",
        "first_name": "Sophie",
        "last_name": "Lemoine",
        "email": "sophie.lemoine@example.org",
        "phone": "06 12 34 56 78",
        "employer": "Orange",
        "job_title": "Cheffe de projet",
        "sector": "it",
        "years_of_experience": "12",
        "help_topics": ["orientation", "alternance"],
        "sectors_to_share": ["it", "communication"],
        "postal_code": "93200",
        "meeting_mode": "both",
        "availability": ["weekday_evening"],
        "languages": ["fr", "en"],
        "capacity": "2",
        "accepts_minors": "on",
        "motivation": "Aider des jeunes à trouver leur voie.",
        "accept_charter": "on",
        "accept_privacy": "on",
        "website": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}
