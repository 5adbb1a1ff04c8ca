"""The demo's antennes: three local branches covering most of the demo people's départements
(the others stay with the national programme), each with its contacts and its target. The
demo mentor and the demo young person (Seine-Saint-Denis) see the Île-de-France antenne's
contacts."""

from users.antennes import Antenne
from users.services import antenne_departments_set, registration_models

# Numbers of the range set aside for fiction (01 99 00 xx xx).
DEMO_ANTENNES = (
    {
        "name": "Île-de-France",
        "departments": ["75", "77", "78", "91", "92", "93", "94", "95"],
        "contact_name": "Équipe Île-de-France",
        "contact_phone": "+33199000101",
        "address": "12 rue de la République\n93200 Saint-Denis",
        "opening_hours": "du lundi au vendredi, de 9 h 30 à 17 h 30",
        "target_pairs_per_year": 150,
    },
    {
        "name": "Auvergne-Rhône-Alpes",
        "departments": ["01", "38", "42", "69", "73", "74"],
        "contact_name": "Équipe de Lyon",
        "contact_phone": "+33199000102",
        "address": "8 quai Claude-Bernard\n69007 Lyon",
        "opening_hours": "du mardi au samedi, de 10 h à 18 h",
        "target_pairs_per_year": 80,
    },
    {
        "name": "Hauts-de-France",
        "departments": ["02", "59", "60", "62", "80"],
        "contact_name": "Équipe de Lille",
        "contact_phone": "+33199000103",
        "address": "",
        "opening_hours": "",
        "target_pairs_per_year": 60,
    },
)


def seed_demo_antennes(*, email_domain: str) -> list[Antenne]:
    """Idempotent: the antennes once; the demo people of their départements who belong to no
    antenne join theirs (the demo's factories do not route registrations)."""
    antennes = []
    for index, spec in enumerate(DEMO_ANTENNES, start=1):
        spec = dict(spec)
        departments = spec.pop("departments")
        antenne, created = Antenne.objects.get_or_create(
            name=spec.pop("name"),
            defaults={**spec, "contact_email": f"antenne-{index}@{email_domain}"},
        )
        if created:
            antenne_departments_set(antenne=antenne, departments=departments)
        for model in registration_models():
            model.objects.filter(department__in=departments, antenne=None).update(antenne=antenne)
        antennes.append(antenne)
    return antennes
