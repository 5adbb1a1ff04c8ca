"""Antennes for the tests: created through the service that sets their départements."""

from users.antennes import Antenne
from users.services import antenne_departments_set


def make_antenne(name: str, departments: list[str], **fields) -> Antenne:
    fields.setdefault("contact_email", f"{name.lower().replace(' ', '-')}@antennes.example")
    antenne = Antenne.objects.create(name=name, **fields)
    antenne_departments_set(antenne=antenne, departments=departments)
    return antenne
