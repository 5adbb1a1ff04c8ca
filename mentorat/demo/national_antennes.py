"""The national data set's antennes: 40 local branches (the demo's three and 37 more) that
cover every département, as a national association runs the programme (issue 17). Each has its
contacts, its yearly target of pairs in proportion to its young people, and a coordinator of
its own (an antenne coordinator: the coordinators' group and a place in its team). The people of
the data set belong to the antenne of their département, routed as registrations are
(`Antenne.objects.covering`).

The small data set holds fewer antennes (the first ones of the list, the other départements
staying with the national programme): the benchmark then compares query counts between data
sets that differ in their number of antennes too.
"""

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Count, OuterRef, Subquery

from mentorat.demo.antennes import DEMO_ANTENNES
from users.antennes import Antenne, AntenneDepartment, AntenneMembership, contacts_changed
from users.enums import AntenneRole
from users.models import User
from users.roles import COORDINATORS_GROUP
from users.services import antenne_departments_set, registration_models

NATIONAL_ANTENNES = 40
# The antennes of the small data set (the national one has 100 times fewer people, but an
# antenne coordinator still needs an antenne with people in it).
SMALL_ANTENNES = 4
COORDINATOR_PREFIX = "coordination"
# Pairs a year in the whole national programme (its 40,000 pairs over about a year and a half):
# shared among the antennes in proportion to their young people.
NATIONAL_PAIRS_PER_YEAR = 27_000

# (name, départements, town of its office), after the demo's three antennes, which cover
# Île-de-France, the Lyon region and Hauts-de-France (mentorat/demo/antennes.py).
NATIONAL_ANTENNE_SPECS = (
    ("Bouches-du-Rhône", ("13",), "Marseille"),
    ("Alpes-Maritimes", ("06",), "Nice"),
    ("Var", ("83",), "Toulon"),
    ("Vaucluse et Alpes", ("84", "04", "05"), "Avignon"),
    ("Gard et Lozère", ("30", "48"), "Nîmes"),
    ("Hérault", ("34",), "Montpellier"),
    ("Aude et Pyrénées-Orientales", ("11", "66"), "Perpignan"),
    ("Haute-Garonne et Ariège", ("31", "09"), "Toulouse"),
    ("Tarn, Aveyron et Tarn-et-Garonne", ("81", "12", "82"), "Albi"),
    ("Gers, Lot et Hautes-Pyrénées", ("32", "46", "65"), "Tarbes"),
    ("Gironde", ("33",), "Bordeaux"),
    ("Landes et Pyrénées-Atlantiques", ("40", "64"), "Pau"),
    ("Dordogne et Lot-et-Garonne", ("24", "47"), "Périgueux"),
    ("Charentes", ("16", "17"), "La Rochelle"),
    ("Vienne et Deux-Sèvres", ("86", "79"), "Poitiers"),
    ("Limousin", ("87", "19", "23"), "Limoges"),
    ("Loire-Atlantique", ("44",), "Nantes"),
    ("Maine-et-Loire et Mayenne", ("49", "53"), "Angers"),
    ("Sarthe et Vendée", ("72", "85"), "Le Mans"),
    ("Ille-et-Vilaine", ("35",), "Rennes"),
    ("Finistère et Côtes-d'Armor", ("29", "22"), "Brest"),
    ("Morbihan", ("56",), "Vannes"),
    ("Basse-Normandie", ("14", "50", "61"), "Caen"),
    ("Haute-Normandie", ("76", "27"), "Rouen"),
    ("Loiret, Loir-et-Cher et Eure-et-Loir", ("45", "41", "28"), "Orléans"),
    ("Touraine et Berry", ("37", "18", "36"), "Tours"),
    ("Bourgogne", ("21", "71", "58", "89"), "Dijon"),
    ("Franche-Comté", ("25", "39", "70", "90"), "Besançon"),
    ("Alsace", ("67", "68"), "Strasbourg"),
    ("Lorraine", ("54", "55", "57", "88"), "Metz"),
    ("Champagne-Ardenne", ("51", "08", "10", "52"), "Reims"),
    ("Auvergne", ("63", "03", "15", "43"), "Clermont-Ferrand"),
    ("Drôme et Ardèche", ("26", "07"), "Valence"),
    ("Corse", ("2A", "2B"), "Ajaccio"),
    ("Antilles", ("971", "972"), "Fort-de-France"),
    ("Guyane", ("973",), "Cayenne"),
    ("Océan Indien", ("974", "976"), "Saint-Denis"),
)
OPENING_HOURS = (
    "du lundi au vendredi, de 9 h à 17 h",
    "du mardi au samedi, de 10 h à 18 h",
    "du lundi au jeudi, de 9 h 30 à 18 h",
)


def antennes_for_scale(mentees: int, *, national_mentees: int) -> int:
    """The antennes of a data set of `mentees` young people: 40 at national scale, a few below."""
    return NATIONAL_ANTENNES if mentees >= national_mentees else SMALL_ANTENNES


def seed_national_antennes(*, count: int, email_domain: str, pairs_scale: float = 1.0) -> int:
    """Top the antennes up to `count` (the demo's ones count), each with its départements,
    contacts, target and coordinator; then every person of the data set not in an antenne
    joins the one of their département, if any. Idempotent; returns the antennes created."""
    created = 0
    with transaction.atomic():
        missing = max(count - Antenne.objects.count(), 0)
        existing = set(Antenne.objects.values_list("name", flat=True))
        for index, (name, departments, town) in enumerate(NATIONAL_ANTENNE_SPECS):
            if created == missing:
                break
            if name in existing:
                continue
            antenne = Antenne.objects.create(
                name=name,
                contact_name=f"Équipe de {town}",
                contact_email=f"antenne-{len(DEMO_ANTENNES) + index + 1:02d}@{email_domain}",
                # The range set aside for fiction (01 99 00 xx xx), after the demo's.
                contact_phone=f"+331990002{index:02d}",
                address=f"{index + 1} place de la Mairie\n{town}",
                opening_hours=OPENING_HOURS[index % len(OPENING_HOURS)],
            )
            antenne_departments_set(antenne=antenne, departments=list(departments))
            created += 1
        route_people()
        _set_targets(pairs_scale=pairs_scale)
        _place_coordinators(email_domain=email_domain)
    if created:
        transaction.on_commit(contacts_changed)
    return created


def route_people() -> int:
    """Everybody in no antenne whose département an antenne covers joins it: one update per
    kind of registration (bulk inserts do not route, and a top-up may add people after the
    antennes)."""
    routed = 0
    for model in registration_models():
        covering = Antenne.objects.covering(OuterRef("department")).values("pk")[:1]
        routed += model.objects.filter(antenne=None, department__in=_covered()).update(
            antenne=Subquery(covering)
        )
    return routed


def _covered():
    return AntenneDepartment.objects.values("department")


def _set_targets(*, pairs_scale: float) -> None:
    """Each antenne's yearly target in proportion to its young people (the demo's three too:
    their demo targets are a few dozen pairs, this data set's antennes have thousands)."""
    antennes = list(Antenne.objects.annotate(young_people=Count("mentees")))
    total = sum(antenne.young_people for antenne in antennes) or 1
    for antenne in antennes:
        share = antenne.young_people / total
        target = max(round(NATIONAL_PAIRS_PER_YEAR * pairs_scale * share / 10) * 10, 10)
        if antenne.target_pairs_per_year != target:
            antenne.target_pairs_per_year = target
            antenne.save(update_fields=["target_pairs_per_year"])


def coordinator_email(antenne: Antenne, *, email_domain: str) -> str:
    return f"{COORDINATOR_PREFIX}-{antenne.pk:04d}@{email_domain}"


def _place_coordinators(*, email_domain: str) -> None:
    """One coordinator per antenne that has none: an account in the coordinators' group with a
    place in its team (nobody logs in as them but the benchmark: no usable password)."""
    group = Group.objects.filter(name=COORDINATORS_GROUP).first()
    staffed = set(
        AntenneMembership.objects.filter(role=AntenneRole.COORDINATOR).values_list(
            "antenne_id", flat=True
        )
    )
    for antenne in Antenne.objects.exclude(pk__in=staffed).order_by("pk"):
        user, _ = User.objects.get_or_create(
            email=coordinator_email(antenne, email_domain=email_domain),
            defaults={
                "first_name": "Coordination",
                "last_name": antenne.name,
                "is_staff": True,
                "password": make_password(None),
            },
        )
        if group is not None:
            user.groups.add(group)
        AntenneMembership.objects.get_or_create(
            user=user, defaults={"antenne": antenne, "role": AntenneRole.COORDINATOR}
        )
