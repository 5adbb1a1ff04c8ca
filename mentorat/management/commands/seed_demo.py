import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from mentorat.demo import DEMO_LOGINS, DEMO_PASSWORD, seed_demo_programme
from mentorat.demo_national import (
    DEFAULT_SEED,
    NATIONAL_MENTEES,
    NATIONAL_MENTORS,
    seed_national,
)
from mentorat.demo_pairs import seed_demo_pairs

# The demo accounts have a password published in the repository.
PRODUCTION_SETTINGS = "mentorat.settings.production"


def _number(value: int) -> str:
    return f"{value:,}".replace(",", " ")


class Command(BaseCommand):
    help = (
        "Crée un programme de démonstration (comptes de test, mentors, jeunes). Sans effet "
        "sur les données déjà créées : la commande peut être relancée sans risque."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--scale",
            choices=["demo", "national"],
            default="demo",
            help=(
                "demo : une trentaine de personnes ; national : en plus, "
                f"{_number(NATIONAL_MENTEES)} jeunes et {_number(NATIONAL_MENTORS)} mentors "
                "générés en masse (tests de charge)."
            ),
        )
        parser.add_argument(
            "--mentees", type=int, help="Nombre de jeunes du jeu national (avec --scale national)."
        )
        parser.add_argument(
            "--mentors", type=int, help="Nombre de mentors du jeu national (avec --scale national)."
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=DEFAULT_SEED,
            help="Graine du générateur aléatoire du jeu national.",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Autoriser l'exécution avec les réglages de production.",
        )

    def handle(self, *args, scale, mentees, mentors, seed, force, **options) -> None:
        if settings.SETTINGS_MODULE == PRODUCTION_SETTINGS and not force:
            raise CommandError(
                "Réglages de production : les comptes de démonstration ont un mot de passe "
                "public. Relancez avec --force si c'est vraiment voulu."
            )
        if scale != "national" and (mentees is not None or mentors is not None):
            raise CommandError("--mentees et --mentors ne s'utilisent qu'avec --scale national.")
        for name, value in (("--mentees", mentees), ("--mentors", mentors)):
            if value is not None and value < 0:
                raise CommandError(f"{name} doit être positif ou nul.")

        demo = seed_demo_programme(password=DEMO_PASSWORD)
        pairs = seed_demo_pairs()
        self.stdout.write(
            f"Démonstration : {demo.created} personne(s) créée(s), "
            f"{demo.existing} déjà présente(s), {pairs} binôme(s) créé(s)."
        )
        if scale == "national":
            started = time.monotonic()
            result = seed_national(
                mentees=NATIONAL_MENTEES if mentees is None else mentees,
                mentors=NATIONAL_MENTORS if mentors is None else mentors,
                seed=seed,
            )
            elapsed = time.monotonic() - started
            self.stdout.write(
                f"Jeu national : {_number(result.mentees_total)} jeunes "
                f"({_number(result.mentees_created)} créés), "
                f"{_number(result.mentors_total)} mentors "
                f"({_number(result.mentors_created)} créés) en {elapsed:.1f} s."
            )

        self.stdout.write(
            self.style.SUCCESS(f"Comptes de démonstration (mot de passe : {DEMO_PASSWORD}) :")
        )
        for role, email in DEMO_LOGINS:
            self.stdout.write(f"  {role} : {email}")
