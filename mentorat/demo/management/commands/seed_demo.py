import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from mentorat.demo.national import (
    DEFAULT_SEED,
    NATIONAL_MENTEES,
    NATIONAL_MENTORS,
    seed_national,
)
from mentorat.demo.pairs import seed_demo_pairs
from mentorat.demo.programme import (
    NATIONAL_PROGRAMME_PAIRS,
    NATIONAL_PROGRAMME_SESSIONS,
    seed_national_programme,
)
from mentorat.demo.seed import DEMO_LOGINS, DEMO_PASSWORD, seed_demo_programme
from mentorat.demo.trainings import seed_demo_trainings

# The demo accounts have a password published in the repository.
PRODUCTION_SETTINGS = "mentorat.settings.production"
# The small data set: the national one scaled down 100 times, for the benchmark's comparison
# of query counts between a small and a national programme.
SMALL_MENTEES, SMALL_MENTORS = 400, 200
SESSIONS_PER_PAIR = 5


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
            choices=["demo", "small", "national"],
            default="demo",
            help=(
                "demo : une trentaine de personnes ; national : en plus, "
                f"{_number(NATIONAL_MENTEES)} jeunes, {_number(NATIONAL_MENTORS)} mentors, "
                f"{_number(NATIONAL_PROGRAMME_PAIRS)} binômes et "
                f"{_number(NATIONAL_PROGRAMME_SESSIONS)} séances générés en masse (tests de "
                "charge) ; small : le même jeu, cent fois plus petit."
            ),
        )
        parser.add_argument(
            "--mentees", type=int, help="Nombre de jeunes du jeu national (avec --scale national)."
        )
        parser.add_argument(
            "--mentors", type=int, help="Nombre de mentors du jeu national (avec --scale national)."
        )
        parser.add_argument(
            "--pairs",
            type=int,
            help="Nombre de binômes du jeu national (par défaut : autant que de jeunes).",
        )
        parser.add_argument(
            "--sessions",
            type=int,
            help=f"Nombre de séances du jeu national ({SESSIONS_PER_PAIR} par binôme par défaut).",
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

    def handle(
        self, *args, scale, mentees, mentors, pairs, sessions, seed, force, **options
    ) -> None:
        if settings.SETTINGS_MODULE == PRODUCTION_SETTINGS and not force:
            raise CommandError(
                "Réglages de production : les comptes de démonstration ont un mot de passe "
                "public. Relancez avec --force si c'est vraiment voulu."
            )
        counts = (("--mentees", mentees), ("--mentors", mentors), ("--pairs", pairs))
        counts += (("--sessions", sessions),)
        if scale != "national" and any(value is not None for _, value in counts):
            raise CommandError(
                "--mentees, --mentors, --pairs et --sessions ne s'utilisent qu'avec "
                "--scale national."
            )
        for name, value in counts:
            if value is not None and value < 0:
                raise CommandError(f"{name} doit être positif ou nul.")

        demo = seed_demo_programme(password=DEMO_PASSWORD)
        demo_pairs = seed_demo_pairs()
        seed_demo_trainings()
        self.stdout.write(
            f"Démonstration : {demo.created} personne(s) créée(s), "
            f"{demo.existing} déjà présente(s), {demo_pairs} binôme(s) créé(s)."
        )
        if scale == "small":
            mentees, mentors = SMALL_MENTEES, SMALL_MENTORS
        if scale != "demo":
            mentees = NATIONAL_MENTEES if mentees is None else mentees
            if pairs is None:
                pairs = NATIONAL_PROGRAMME_PAIRS if mentees == NATIONAL_MENTEES else mentees
            self._seed_national(
                mentees=mentees,
                mentors=NATIONAL_MENTORS if mentors is None else mentors,
                pairs=pairs,
                sessions=SESSIONS_PER_PAIR * pairs if sessions is None else sessions,
                seed=seed,
            )

        self.stdout.write(
            self.style.SUCCESS(f"Comptes de démonstration (mot de passe : {DEMO_PASSWORD}) :")
        )
        for role, email in DEMO_LOGINS:
            self.stdout.write(f"  {role} : {email}")
        self.stdout.write(
            "  Code de double authentification du coordinateur : python manage.py demo_code"
        )

    def _seed_national(self, *, mentees, mentors, pairs, sessions, seed) -> None:
        started = time.monotonic()
        result = seed_national(mentees=mentees, mentors=mentors, seed=seed)
        self.stdout.write(
            f"Jeu national : {_number(result.mentees_total)} jeunes "
            f"({_number(result.mentees_created)} créés), "
            f"{_number(result.mentors_total)} mentors "
            f"({_number(result.mentors_created)} créés) en {time.monotonic() - started:.1f} s."
        )
        started = time.monotonic()
        programme = seed_national_programme(pairs=pairs, sessions=sessions, seed=seed)
        self.stdout.write(
            f"Binômes : {_number(programme.pairs_total)} ({_number(programme.pairs_created)} "
            f"créés, {_number(programme.sessions_created)} séances, "
            f"{_number(programme.responses_created)} questionnaires) "
            f"en {time.monotonic() - started:.1f} s."
        )
