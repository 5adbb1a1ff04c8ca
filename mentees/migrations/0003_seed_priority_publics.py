"""The programme's priority publics and the State's (calls for projects since 2022), and the
young people's former yes/no answers turned into marks they declared."""

from django.db import migrations

PUBLICS = [
    # code, label (staff, reports), question (the young person, in plain words)
    (
        "QPV",
        "Quartier prioritaire (QPV)",
        "J'habite dans un quartier prioritaire de la ville (QPV)",
    ),
    ("ZRR", "Zone rurale (ZRR)", "J'habite à la campagne, loin d'une grande ville"),
    (
        "HANDICAP",
        "Situation de handicap",
        "J'ai un handicap ou une maladie qui me gêne tous les jours",
    ),
    (
        "ASE",
        "Aide sociale à l'enfance (ASE)",
        "L'Aide sociale à l'enfance (ASE) s'occupe de moi (foyer, famille d'accueil, éducateur)",
    ),
    (
        "PJJ",
        "Protection judiciaire de la jeunesse (PJJ)",
        "Un éducateur ou une éducatrice de la Protection judiciaire de la jeunesse (PJJ) me suit",
    ),
    ("LYCEE_PRO", "Lycée professionnel", "Je suis en lycée professionnel (CAP, bac pro)"),
    ("BOURSIER", "Boursier ou boursière", "J'ai une bourse (collège, lycée ou études)"),
    (
        "NEET",
        "Ni en emploi, ni en études, ni en formation (NEET)",
        "Je n'ai pas de travail et je ne suis ni à l'école ni en formation",
    ),
    ("MISSION_LOCALE", "Suivi par une Mission Locale", "Une Mission Locale m'accompagne"),
    (
        "SANS_RESEAU",
        "Sans réseau professionnel",
        "Je ne connais personne dans le monde professionnel qui peut m'aider",
    ),
    ("DECROCHAGE", "Risque de décrochage", "J'ai envie d'arrêter l'école ou ma formation"),
    ("ORIENTATION", "Besoin d'aide à l'orientation", "J'ai besoin d'aide pour mon orientation"),
]

# The yes/no fields the young people answered before, and the public each one declared.
FORMER_FIELDS = {
    "lives_in_qpv": "QPV",
    "followed_by_mission_locale": "MISSION_LOCALE",
    "has_no_network": "SANS_RESEAU",
    "at_risk_of_dropout": "DECROCHAGE",
    "needs_orientation_help": "ORIENTATION",
}


def seed_publics(apps) -> dict:
    """The seeded list, {code: public} (the tests put it back after a flush, as the default
    questionnaire): a public coordinators renamed keeps their words."""
    PriorityPublic = apps.get_model("mentees", "PriorityPublic")
    publics = {}
    for order, (code, label, question) in enumerate(PUBLICS, start=1):
        publics[code], _ = PriorityPublic.objects.get_or_create(
            code=code, defaults={"label": label, "question": question, "order": order}
        )
    return publics


def seed(apps, schema_editor):
    PriorityMark = apps.get_model("mentees", "PriorityMark")
    Mentee = apps.get_model("mentees", "Mentee")
    publics = seed_publics(apps)
    for field, code in FORMER_FIELDS.items():
        rows = Mentee.objects.filter(**{field: True}).values_list("pk", "created_at")
        PriorityMark.objects.bulk_create(
            (
                PriorityMark(mentee_id=pk, public=publics[code], declared_at=created_at)
                for pk, created_at in rows.iterator(chunk_size=2000)
            ),
            batch_size=2000,
            ignore_conflicts=True,
        )


def unseed(apps, schema_editor):
    # The former fields are still there (removed by a later migration): nothing to put back.
    apps.get_model("mentees", "PriorityMark").objects.all().delete()
    apps.get_model("mentees", "PriorityPublic").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("mentees", "0002_priority_publics")]

    operations = [migrations.RunPython(seed, unseed)]
