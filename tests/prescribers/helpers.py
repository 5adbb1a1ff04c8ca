"""Prescribers logged in as they are in production (password, then the code), and a valid
referral form."""

import datetime

from mentorat.demo.bench.form_data import birth_date_for_age
from tests.users.staff import confirmed_device, login_staff


def login_prescriber(client, prescriber):
    """The password and the code (the prescriber's authenticator app, enrolled)."""
    confirmed_device(prescriber.user)
    return login_staff(client, prescriber.user)


def referral_form_data(**overrides) -> dict:
    data = {
        "first_name": "Inès",
        "last_name": "Moreau-Orientee",
        "email": "ines.moreau@example.org",
        "phone": "07 61 23 45 67",
        "birth_date": birth_date_for_age(19).isoformat(),
        "reason": "Décrochage après le bac, aucun réseau pour trouver une alternance.",
        "publics": [],
        "guardian_name": "",
        "guardian_email": "",
        "guardian_phone": "",
    }
    data.update(overrides)
    return data


def minor_referral_data(**overrides) -> dict:
    minor = {
        "birth_date": (birth_date_for_age(16) - datetime.timedelta(days=10)).isoformat(),
        "guardian_name": "Karima Moreau",
        "guardian_email": "karima.moreau@example.org",
        "guardian_phone": "06 11 22 33 44",
    }
    return referral_form_data(**(minor | overrides))
