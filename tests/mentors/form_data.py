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
