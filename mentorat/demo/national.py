"""A national-scale data set (tens of thousands of people) for load and benchmark work.

Rows are generated from a seeded random.Random and small French lists, and written with
bulk_create: per-row factories or Faker would take minutes at this scale. Bulk inserts bypass
django-simple-history, which is acceptable for benchmark data.

Every account has an address under NATIONAL_DOMAIN, numbered per kind
(jeune-000001@…, mentor-000001@…): the seed counts what exists and only tops up.
"""

import datetime
import itertools
import random
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from phonenumber_field.phonenumber import PhoneNumber

from matching.eligibility import with_matching_facts
from matching.enums import CloseReason, MentorshipStatus, ObjectiveStatus, Response, Side
from matching.models import Mentorship, Objective
from matching.rules import MINIMUM_SESSION_MINUTES
from matching.selectors import mentees_awaiting_mentor
from mentees.ages import MAJORITY_AGE, years_before
from mentees.enums import Situation
from mentees.models import Mentee, PriorityMark, PriorityPublic
from mentorat.demo.national_antennes import antennes_for_scale, seed_national_antennes
from mentors.models import Mentor, ScreeningRecord
from sessions.enums import ObjectivesProgress, SessionFormat, SessionTopic
from sessions.models import FollowUp, Session, SessionEvaluation
from users.enums import (
    Availability,
    Civility,
    HelpTopic,
    Language,
    MeetingMode,
    RegistrationStatus,
    Sector,
)
from users.geography import department_from_postal_code
from users.models import Registration, User
from users.programme import RULES

NATIONAL_DOMAIN = "national.demo.mentorat.fr"
NATIONAL_MENTEES = 40_000
NATIONAL_MENTORS = 20_000
DEFAULT_SEED = 2026
DEFAULT_BATCH_SIZE = 4000
MENTEE_PREFIX = "jeune"
MENTOR_PREFIX = "mentor"
STAFF_EMAIL = f"referent@{NATIONAL_DOMAIN}"

# (postal code, town, weight): every département once, larger towns weighted by their rough
# share of young people, so that counts per département look like the country's.
POSTAL_CODES = (
    ("01000", "Bourg-en-Bresse", 6), ("02100", "Saint-Quentin", 5), ("03000", "Moulins", 3),
    ("04000", "Digne-les-Bains", 2), ("05000", "Gap", 2), ("06000", "Nice", 10),
    ("06300", "Nice", 6), ("07000", "Privas", 3), ("08000", "Charleville-Mézières", 3),
    ("09000", "Foix", 2), ("10000", "Troyes", 3), ("11000", "Carcassonne", 3),
    ("12000", "Rodez", 3), ("13001", "Marseille", 8), ("13003", "Marseille", 8),
    ("13013", "Marseille", 8), ("13015", "Marseille", 8), ("13100", "Aix-en-Provence", 8),
    ("14000", "Caen", 7), ("15000", "Aurillac", 1), ("16000", "Angoulême", 3),
    ("17000", "La Rochelle", 6), ("18000", "Bourges", 3), ("19000", "Tulle", 2),
    ("20000", "Ajaccio", 2), ("20200", "Bastia", 2), ("21000", "Dijon", 5),
    ("22000", "Saint-Brieuc", 5), ("23000", "Guéret", 1), ("24000", "Périgueux", 4),
    ("25000", "Besançon", 5), ("26000", "Valence", 5), ("27000", "Évreux", 6),
    ("28000", "Chartres", 4), ("29200", "Brest", 6), ("29000", "Quimper", 4),
    ("30000", "Nîmes", 7), ("31000", "Toulouse", 10), ("31100", "Toulouse", 8),
    ("32000", "Auch", 2), ("33000", "Bordeaux", 10), ("33300", "Bordeaux", 8),
    ("34000", "Montpellier", 10), ("34500", "Béziers", 4), ("35000", "Rennes", 10),
    ("35200", "Rennes", 5), ("36000", "Châteauroux", 2), ("37000", "Tours", 6),
    ("38000", "Grenoble", 8), ("38100", "Grenoble", 6), ("39000", "Lons-le-Saunier", 2),
    ("40000", "Mont-de-Marsan", 4), ("41000", "Blois", 3), ("42000", "Saint-Étienne", 7),
    ("43000", "Le Puy-en-Velay", 2), ("44000", "Nantes", 10), ("44600", "Saint-Nazaire", 5),
    ("45000", "Orléans", 7), ("46000", "Cahors", 2), ("47000", "Agen", 3),
    ("48000", "Mende", 1), ("49000", "Angers", 8), ("50000", "Saint-Lô", 5),
    ("51100", "Reims", 6), ("52000", "Chaumont", 2), ("53000", "Laval", 3),
    ("54000", "Nancy", 7), ("55000", "Bar-le-Duc", 2), ("56000", "Vannes", 7),
    ("57000", "Metz", 6), ("57100", "Thionville", 5), ("58000", "Nevers", 2),
    ("59000", "Lille", 12), ("59100", "Roubaix", 8), ("59200", "Tourcoing", 6),
    ("59140", "Dunkerque", 5), ("60000", "Beauvais", 8), ("61000", "Alençon", 3),
    ("62000", "Arras", 7), ("62300", "Lens", 7), ("63000", "Clermont-Ferrand", 6),
    ("64000", "Pau", 6), ("65000", "Tarbes", 2), ("66000", "Perpignan", 5),
    ("67000", "Strasbourg", 10), ("67100", "Strasbourg", 6), ("68100", "Mulhouse", 5),
    ("68000", "Colmar", 4), ("69003", "Lyon", 8), ("69007", "Lyon", 7),
    ("69008", "Lyon", 7), ("69100", "Villeurbanne", 7), ("69200", "Vénissieux", 6),
    ("70000", "Vesoul", 2), ("71000", "Mâcon", 5), ("72000", "Le Mans", 6),
    ("73000", "Chambéry", 4), ("74000", "Annecy", 8), ("75011", "Paris", 8),
    ("75013", "Paris", 8), ("75015", "Paris", 8), ("75018", "Paris", 8), ("75019", "Paris", 8),
    ("75020", "Paris", 8), ("76000", "Rouen", 7), ("76600", "Le Havre", 6),
    ("77000", "Melun", 7), ("77100", "Meaux", 7), ("78000", "Versailles", 7),
    ("78200", "Mantes-la-Jolie", 7), ("79000", "Niort", 4), ("80000", "Amiens", 6),
    ("81000", "Albi", 4), ("82000", "Montauban", 3), ("83000", "Toulon", 10),
    ("84000", "Avignon", 6), ("85000", "La Roche-sur-Yon", 7), ("86000", "Poitiers", 5),
    ("87000", "Limoges", 4), ("88000", "Épinal", 4), ("89000", "Auxerre", 3),
    ("90000", "Belfort", 2), ("91000", "Évry-Courcouronnes", 8), ("91120", "Palaiseau", 6),
    ("92000", "Nanterre", 8), ("92230", "Gennevilliers", 8), ("93000", "Bobigny", 6),
    ("93100", "Montreuil", 6), ("93200", "Saint-Denis", 6), ("93300", "Aubervilliers", 6),
    ("94000", "Créteil", 7), ("94400", "Vitry-sur-Seine", 7), ("95000", "Cergy", 6),
    ("95200", "Sarcelles", 6), ("97110", "Pointe-à-Pitre", 4), ("97200", "Fort-de-France", 4),
    ("97300", "Cayenne", 3), ("97400", "Saint-Denis", 8), ("97600", "Mamoudzou", 3),
)  # fmt: skip

FEMALE_FIRST_NAMES = (
    "Camille", "Léa", "Manon", "Chloé", "Emma", "Inès", "Jade", "Sarah", "Lina", "Louise",
    "Zoé", "Lucie", "Clara", "Yasmine", "Aya", "Fatoumata", "Maëlys", "Océane", "Anaïs",
    "Mélissa", "Nour", "Salomé", "Julie", "Laura", "Amina", "Rania", "Kenza", "Awa", "Mariam",
    "Eva", "Juliette", "Alice", "Margaux", "Noémie", "Charlotte", "Élise", "Imane", "Sofia",
    "Léna", "Mathilde",
)  # fmt: skip
MALE_FIRST_NAMES = (
    "Lucas", "Hugo", "Louis", "Nathan", "Enzo", "Adam", "Mohamed", "Yanis", "Rayan", "Théo",
    "Gabriel", "Jules", "Mathis", "Noah", "Ethan", "Ilyes", "Moussa", "Kylian", "Maxime",
    "Thomas", "Antoine", "Bilal", "Sami", "Mamadou", "Axel", "Tom", "Paul", "Arthur",
    "Mehdi", "Ibrahim", "Kevin", "Dylan", "Romain", "Quentin", "Baptiste", "Yassine",
    "Samuel", "Victor", "Nicolas", "Alexandre",
)  # fmt: skip
LAST_NAMES = (
    "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy",
    "Moreau", "Simon", "Laurent", "Lefebvre", "Michel", "Garcia", "David", "Bertrand", "Roux",
    "Vincent", "Fournier", "Morel", "Girard", "André", "Mercier", "Dupont", "Lambert",
    "Bonnet", "François", "Martinez", "Legrand", "Garnier", "Faure", "Rousseau", "Blanc",
    "Guérin", "Muller", "Henry", "Perrin", "Morin", "Mathieu", "Clément", "Gauthier",
    "Dumont", "Lopez", "Fontaine", "Chevalier", "Robin", "Masson", "Nguyen", "Benali",
    "Haddad", "Diallo", "Traoré", "Camara", "Cissé", "Diop", "Ndiaye", "Koné", "Sylla",
    "Belkacem", "Bouzid", "Chérif", "Mansouri", "Benmoussa", "Da Silva", "Pereira",
    "Ferreira", "Dos Santos", "Yilmaz", "Kaya", "Tran", "Chen", "Hoarau", "Payet", "Alexis",
    "Jean-Baptiste", "Santoni", "Le Gall", "Le Goff", "Schmitt",
)  # fmt: skip

# Employers and jobs per sector, for mentors.
SECTOR_PROFILES = {
    Sector.AGRICULTURE: (("Coopérative agricole", "ONF", "Chambre d'agriculture"),
                         ("Technicien agricole", "Ingénieure agronome", "Chargé d'environnement")),
    Sector.ARTS: (("France Télévisions", "Radio France", "Indépendant"),
                  ("Graphiste", "Journaliste", "Monteur vidéo", "Chargée de production")),
    Sector.BANKING: (("BNP Paribas", "Société Générale", "Crédit Agricole", "AXA"),
                     ("Conseiller clientèle", "Analyste financière", "Chargé d'affaires")),
    Sector.BUILDING: (("Vinci", "Bouygues Construction", "Eiffage"),
                      ("Conducteur de travaux", "Cheffe de chantier", "Architecte")),
    Sector.COMMERCE: (("Carrefour", "Decathlon", "Leroy Merlin", "Fnac Darty"),
                      ("Directrice de magasin", "Responsable de rayon", "Acheteur")),
    Sector.COMMUNICATION: (("Publicis", "Havas", "Indépendante"),
                           ("Chargée de communication", "Chef de projet marketing")),
    Sector.EDUCATION: (("Éducation nationale", "Université", "Organisme de formation"),
                       ("Professeure", "Conseiller d'orientation", "Formatrice")),
    Sector.ENERGY: (("EDF", "Engie", "TotalEnergies"),
                    ("Ingénieur nucléaire", "Technicienne de maintenance", "Chef de projet")),
    Sector.HEALTH: (("AP-HP", "Hospices Civils de Lyon", "Clinique", "CCAS"),
                    ("Infirmière", "Aide-soignant", "Éducatrice spécialisée", "Pharmacien")),
    Sector.HOSPITALITY: (("Accor", "Club Med", "Sodexo"),
                         ("Cheffe de cuisine", "Réceptionniste", "Directeur d'hôtel")),
    Sector.INDUSTRY: (("Airbus", "Renault", "Stellantis", "Michelin", "Safran"),
                      ("Ingénieure qualité", "Technicien de production", "Responsable HSE")),
    Sector.IT: (("Orange", "Capgemini", "Sopra Steria", "Atos", "Start-up"),
                ("Développeuse web", "Chef de projet numérique", "Data analyst", "Technicien")),
    Sector.LAW: (("Cabinet d'avocats", "Ministère de la Justice", "Notaire"),
                 ("Avocate", "Juriste", "Greffier")),
    Sector.LOGISTICS: (("SNCF", "La Poste", "RATP", "Geodis"),
                       ("Responsable logistique", "Conductrice", "Agent d'exploitation")),
    Sector.PUBLIC: (("Mairie", "Conseil départemental", "France Travail", "Préfecture"),
                    ("Attaché territorial", "Conseillère emploi", "Secrétaire administrative")),
    Sector.SCIENCE: (("CNRS", "Inserm", "CEA"), ("Chercheuse", "Ingénieur de recherche")),
    Sector.SECURITY: (("Gendarmerie nationale", "Armée de terre", "Sapeurs-pompiers"),
                      ("Sous-officier", "Sapeuse-pompière", "Agent de sécurité")),
    Sector.SPORT: (("Club sportif", "UCPA", "Mairie"), ("Éducateur sportif", "Animatrice")),
    Sector.OTHER: (("Association", "Indépendant"), ("Chargée de mission", "Consultant")),
}  # fmt: skip
SECTORS = tuple(SECTOR_PROFILES)

MOTIVATIONS = (
    "Transmettre ce que j'ai appris et rendre ce qu'on m'a donné.",
    "Faire découvrir mon métier à des jeunes qui n'ont pas de réseau.",
    "J'ai été aidé à leur âge : c'est mon tour.",
    "Aider un jeune à prendre confiance et à trouver sa voie.",
    "Ouvrir les portes de mon entreprise aux jeunes des quartiers.",
)
GOALS = {
    HelpTopic.ORIENTATION: "Savoir vers quelle formation ou quel métier m'orienter.",
    HelpTopic.SELF_CONFIDENCE: "Prendre confiance en moi, à l'oral comme à l'écrit.",
    HelpTopic.PROFESSIONAL_WORLD: "Découvrir le monde de l'entreprise et ses métiers.",
    HelpTopic.INTERNSHIP: "Trouver un stage.",
    HelpTopic.ALTERNANCE: "Trouver une entreprise pour mon alternance.",
    HelpTopic.JOB_SEARCH: "Trouver un emploi stable.",
    HelpTopic.CV_INTERVIEW: "Refaire mon CV et préparer mes entretiens.",
    HelpTopic.SOFT_SKILLS: "Comprendre les codes du monde professionnel.",
}
MENTEE_REJECTIONS = (
    "Hors du territoire couvert par le programme.",
    "Déjà accompagné par un autre programme de mentorat.",
    "Inscription en double.",
)
MENTOR_REJECTIONS = (
    "Propose des prestations payantes : hors du cadre bénévole.",
    f"Indisponible pour une rencontre {RULES.meeting_rhythm}.",
    "Inscription en double.",
)

# Age of the young people (11–30): collège, lycée, then the 18–25 bulk of the programme.
AGE_WEIGHTS = {
    11: 1, 12: 2, 13: 3, 14: 4, 15: 5, 16: 7, 17: 7, 18: 8, 19: 8, 20: 8, 21: 7, 22: 7,
    23: 6, 24: 6, 25: 5, 26: 4, 27: 3, 28: 3, 29: 2, 30: 2,
}  # fmt: skip
# Situations by age band: (situations, weights).
SITUATIONS_BY_AGE = (
    (14, ((Situation.COLLEGIEN,), (1,))),
    (17, ((Situation.LYCEEN, Situation.APPRENTI, Situation.INACTIVE), (80, 15, 5))),
    (25, (
        (Situation.ETUDIANT, Situation.APPRENTI, Situation.JOB_SEEKER, Situation.EMPLOYED,
         Situation.INACTIVE),
        (40, 15, 25, 10, 10),
    )),
    (30, (
        (Situation.ETUDIANT, Situation.JOB_SEEKER, Situation.EMPLOYED, Situation.INACTIVE),
        (5, 45, 35, 15),
    )),
)  # fmt: skip
NEEDS_BY_SITUATION = {
    Situation.COLLEGIEN: (HelpTopic.PROFESSIONAL_WORLD, HelpTopic.INTERNSHIP,
                          HelpTopic.SELF_CONFIDENCE, HelpTopic.ORIENTATION),
    Situation.LYCEEN: (HelpTopic.ORIENTATION, HelpTopic.SELF_CONFIDENCE,
                       HelpTopic.PROFESSIONAL_WORLD, HelpTopic.INTERNSHIP),
    Situation.ETUDIANT: (HelpTopic.INTERNSHIP, HelpTopic.ALTERNANCE, HelpTopic.ORIENTATION,
                         HelpTopic.CV_INTERVIEW),
    Situation.APPRENTI: (HelpTopic.ALTERNANCE, HelpTopic.SOFT_SKILLS, HelpTopic.CV_INTERVIEW),
    Situation.JOB_SEEKER: (HelpTopic.JOB_SEARCH, HelpTopic.CV_INTERVIEW,
                           HelpTopic.SELF_CONFIDENCE, HelpTopic.ALTERNANCE),
    Situation.EMPLOYED: (HelpTopic.ORIENTATION, HelpTopic.PROFESSIONAL_WORLD,
                         HelpTopic.JOB_SEARCH),
    Situation.INACTIVE: (HelpTopic.ORIENTATION, HelpTopic.SELF_CONFIDENCE,
                         HelpTopic.SOFT_SKILLS, HelpTopic.JOB_SEARCH),
}  # fmt: skip
SCHOOLS = {
    Situation.COLLEGIEN: ("Collège Jean Moulin", "Collège Jules Ferry", "Collège Louise Michel"),
    Situation.LYCEEN: ("Lycée Victor Hugo", "Lycée professionnel Jean Jaurès", "Lycée Voltaire"),
    Situation.ETUDIANT: ("Université", "IUT", "BTS", "École d'ingénieurs"),
    Situation.APPRENTI: ("CFA", "CFA du BTP", "CFA des métiers"),
}
HELP_TOPICS = tuple(HelpTopic)
EXTRA_LANGUAGES = tuple(
    language for language in Language if language not in (Language.FRENCH, Language.OTHER)
)
AVAILABILITY_SETS = (
    [Availability.WEEKDAY_EVENING],
    [Availability.WEEKEND],
    [Availability.WEEKDAY_DAYTIME],
    [Availability.WEEKDAY_EVENING, Availability.WEEKEND],
    [Availability.WEEKDAY_DAYTIME, Availability.WEEKDAY_EVENING],
)
MEETING_MODES = (MeetingMode.BOTH, MeetingMode.IN_PERSON, MeetingMode.REMOTE)
# How far back registrations go.
HISTORY_DAYS = 540
# Share of approved mentors accepting minors whose honorability check is older than the
# validity period: they must show up as not cleared for minors.
EXPIRED_SCREENING_SHARE = 0.1


@dataclass(frozen=True)
class NationalSeedResult:
    mentees_created: int
    mentors_created: int
    mentees_total: int
    mentors_total: int


class _Generator:
    """Random but reproducible field values; precomputes every lookup table once."""

    def __init__(
        self,
        *,
        rng: random.Random,
        now: datetime.datetime,
        staff: User,
        publics_rng: random.Random | None = None,
    ):
        self.rng = rng
        # The State's publics are drawn from a stream of their own: the rest of the data set
        # stays what it was before they existed.
        self.publics_rng = publics_rng or random.Random(0)
        self.publics = PriorityPublic.objects.in_bulk(field_name="code")
        self.now = now
        self.today = timezone.localdate(now)
        self.staff = staff
        self.places = [
            (code, town, department_from_postal_code(code)) for code, town, _ in POSTAL_CODES
        ]
        self.place_weights = list(itertools.accumulate(weight for _, _, weight in POSTAL_CODES))
        self.ages = list(AGE_WEIGHTS)
        self.age_weights = list(itertools.accumulate(AGE_WEIGHTS.values()))
        # Parsing a phone number costs more than building the rest of a row: draw from a pool.
        self.phones = [self._phone() for _ in range(1000)]
        self.guardian_phones = [self._phone() for _ in range(1000)]

    def _phone(self) -> PhoneNumber:
        # Some 06 ranges are unallocated; an invalid number would fail the edit forms later.
        while True:
            phone = PhoneNumber.from_string(f"+336{self.rng.randrange(10**8):08d}")
            if phone.is_valid():
                return phone

    def user(self, email: str) -> tuple[User, str]:
        rng = self.rng
        if rng.random() < 0.5:
            civility, first_name = Civility.MADAME.value, rng.choice(FEMALE_FIRST_NAMES)
        else:
            civility, first_name = Civility.MONSIEUR.value, rng.choice(MALE_FIRST_NAMES)
        user = User(
            email=email,
            first_name=first_name,
            last_name=rng.choice(LAST_NAMES),
            # Nobody logs in as a generated person: an unusable password, as
            # set_unusable_password() would store, without hashing 60,000 times.
            password=f"!{rng.getrandbits(160):040x}",
        )
        return user, civility

    def registration_fields(self, *, civility: str) -> tuple[dict, str]:
        """The fields mentors and young people share, and the town of their postal code."""
        rng = self.rng
        postal_code, town, department = rng.choices(self.places, cum_weights=self.place_weights)[0]
        created_at = self.now - datetime.timedelta(seconds=rng.randrange(HISTORY_DAYS * 86400))
        languages = [Language.FRENCH.value]
        if rng.random() < 0.35:
            languages.append(rng.choice(EXTRA_LANGUAGES).value)
        return {
            "civility": civility,
            "phone": rng.choice(self.phones),
            "postal_code": postal_code,
            "department": department,
            "meeting_mode": rng.choices(MEETING_MODES, weights=(60, 20, 20))[0].value,
            "availability": [a.value for a in rng.choice(AVAILABILITY_SETS)],
            "languages": languages,
            "created_at": created_at,
        }, town

    def review(self, fields: dict, *, status: str, rejections: tuple[str, ...]) -> None:
        fields["status"] = status
        if status in (RegistrationStatus.APPROVED, RegistrationStatus.REJECTED):
            delay = datetime.timedelta(days=self.rng.randrange(1, 21))
            fields["reviewed_at"] = min(fields["created_at"] + delay, self.now)
            fields["reviewed_by"] = self.staff
        if status == RegistrationStatus.REJECTED:
            fields["rejection_reason"] = self.rng.choice(rejections)

    def mentee(self, user: User, civility: str) -> Mentee:
        rng = self.rng
        fields, town = self.registration_fields(civility=civility)
        age = rng.choices(self.ages, cum_weights=self.age_weights)[0]
        # Anything up to 364 days before the latest birth date keeps the age exact.
        birth_date = years_before(self.today, age) - datetime.timedelta(days=rng.randrange(365))
        situation = self._situation(age)
        job_seeking = situation in (Situation.JOB_SEEKER, Situation.INACTIVE)
        mission_locale = 16 <= age <= 25 and rng.random() < (0.6 if job_seeking else 0.05)
        in_school = situation in (Situation.COLLEGIEN, Situation.LYCEEN)
        dropout_risk = 0.15 if in_school else 0.4 if job_seeking else 0.05
        needs = rng.sample(NEEDS_BY_SITUATION[situation], k=rng.randint(1, 3))
        if age < MAJORITY_AGE:
            guardian_last_name = user.last_name
            guardian_first = rng.choice(FEMALE_FIRST_NAMES + MALE_FIRST_NAMES)
            local = f"parent.{user.email.split('@')[0]}"
            fields.update(
                guardian_name=f"{guardian_first} {guardian_last_name}",
                guardian_email=f"{local}@{NATIONAL_DOMAIN}",
                guardian_phone=rng.choice(self.guardian_phones),
            )
            if rng.random() < 0.7:
                consent_delay = datetime.timedelta(hours=rng.randrange(1, 240))
                fields["guardian_consent_at"] = min(fields["created_at"] + consent_delay, self.now)
        self._mentee_status(fields, age=age)
        # The programme's publics, drawn in the order they always were.
        drawn = {
            "MISSION_LOCALE": mission_locale,
            "QPV": rng.random() < 0.28,
            "SANS_RESEAU": rng.random() < 0.4,
            "DECROCHAGE": rng.random() < dropout_risk,
            "ORIENTATION": HelpTopic.ORIENTATION in needs or rng.random() < 0.15,
        }
        drawn |= self._state_publics(situation, age=age)
        mentee = Mentee(
            user=user,
            birth_date=birth_date,
            situation=situation.value,
            school_or_structure=self._school(situation, town),
            mission_locale_name=f"Mission Locale de {town}" if mission_locale else "",
            needs=[need.value for need in needs],
            sectors_of_interest=[s.value for s in rng.sample(SECTORS, k=rng.randint(0, 3))],
            goals=" ".join(GOALS[need] for need in needs),
            wants_same_gender_mentor=rng.random() < 0.1,
            **fields,
        )
        # Marked once the rows have their keys (`marks`).
        mentee.drawn_publics = [code for code, marked in drawn.items() if marked]
        return mentee

    def _state_publics(self, situation: Situation, *, age: int) -> dict[str, bool]:
        rng = self.publics_rng
        in_school = situation in (Situation.COLLEGIEN, Situation.LYCEEN, Situation.ETUDIANT)
        neither = situation in (Situation.JOB_SEEKER, Situation.INACTIVE) and 16 <= age <= 25
        return {
            "ZRR": rng.random() < 0.12,
            "HANDICAP": rng.random() < 0.05,
            "ASE": rng.random() < 0.03,
            "PJJ": rng.random() < 0.015,
            "LYCEE_PRO": situation == Situation.LYCEEN and rng.random() < 0.3,
            "BOURSIER": in_school and rng.random() < 0.3,
            "NEET": neither and rng.random() < 0.8,
        }

    def marks(self, mentees: list[Mentee]) -> list[PriorityMark]:
        """The publics each young person declared; staff confirmed those of the approved."""
        marks = []
        for mentee in mentees:
            confirmed = mentee.status == RegistrationStatus.APPROVED
            for code in mentee.drawn_publics:
                public = self.publics.get(code)
                if public is None:
                    # A public coordinators deleted (never used): nobody is marked with it.
                    continue
                marks.append(
                    PriorityMark(
                        mentee=mentee,
                        public=public,
                        declared_at=mentee.created_at,
                        confirmed_at=mentee.reviewed_at if confirmed else None,
                        confirmed_by=self.staff if confirmed else None,
                    )
                )
        return marks

    def _situation(self, age: int) -> Situation:
        for max_age, (situations, weights) in SITUATIONS_BY_AGE:
            if age <= max_age:
                return self.rng.choices(situations, weights=weights)[0]
        raise ValueError(f"Age out of the programme: {age}")

    def _school(self, situation: Situation, town: str) -> str:
        if situation not in SCHOOLS:
            return ""
        return f"{self.rng.choice(SCHOOLS[situation])}, {town}"

    def _mentee_status(self, fields: dict, *, age: int) -> None:
        # The same rule as registration: under 15, nobody reviews before the guardian agrees.
        if age < 15 and "guardian_consent_at" not in fields:
            fields["status"] = RegistrationStatus.AWAITING_GUARDIAN_CONSENT
            return
        status = self.rng.choices(
            (RegistrationStatus.APPROVED, RegistrationStatus.PENDING_REVIEW,
             RegistrationStatus.REJECTED),
            weights=(60, 30, 10),
        )[0]  # fmt: skip
        self.review(fields, status=status, rejections=MENTEE_REJECTIONS)

    def mentor(self, user: User, civility: str) -> Mentor:
        rng = self.rng
        fields, _ = self.registration_fields(civility=civility)
        sector = rng.choice(SECTORS)
        employers, jobs = SECTOR_PROFILES[sector]
        others = [s for s in rng.sample(SECTORS, k=2) if s != sector][: rng.randint(0, 1)]
        status = rng.choices(
            (RegistrationStatus.APPROVED, RegistrationStatus.PENDING_REVIEW,
             RegistrationStatus.REJECTED),
            weights=(65, 25, 10),
        )[0]  # fmt: skip
        self.review(fields, status=status, rejections=MENTOR_REJECTIONS)
        return Mentor(
            user=user,
            employer=rng.choice(employers),
            job_title=rng.choice(jobs),
            sector=sector.value,
            years_of_experience=rng.randint(1, 40),
            help_topics=[t.value for t in rng.sample(HELP_TOPICS, k=rng.randint(2, 4))],
            sectors_to_share=[sector.value, *(s.value for s in others)],
            capacity=rng.choices((1, 2, 3), weights=(60, 30, 10))[0],
            accepts_minors=rng.random() < 0.35,
            motivation=rng.choice(MOTIVATIONS),
            charter_version=settings.MENTOR_CHARTER_VERSION,
            charter_accepted_at=fields["created_at"],
            **fields,
        )

    def screening(self, mentor: Mentor) -> ScreeningRecord | None:
        """Approved mentors accepting minors were checked; half the pending ones already."""
        if not mentor.accepts_minors or mentor.status == RegistrationStatus.REJECTED:
            return None
        approved = mentor.status == RegistrationStatus.APPROVED
        if not approved and self.rng.random() < 0.5:
            return None
        validity = settings.SCREENING_VALIDITY_DAYS
        if approved and self.rng.random() < EXPIRED_SCREENING_SHARE:
            age_days = self.rng.randint(validity + 1, validity + 365)
        else:
            age_days = self.rng.randint(0, min(validity - 1, HISTORY_DAYS))
        return ScreeningRecord(
            mentor=mentor,
            document="Extrait de casier judiciaire (bulletin n° 3)",
            checked_on=self.today - datetime.timedelta(days=age_days),
            checked_by=self.staff,
        )


def seed_national(
    *,
    mentees: int = NATIONAL_MENTEES,
    mentors: int = NATIONAL_MENTORS,
    seed: int = DEFAULT_SEED,
    batch_size: int = DEFAULT_BATCH_SIZE,
    antennes: int | None = None,
) -> NationalSeedResult:
    """Top the national data set up to `mentees` young people and `mentors` mentors, in
    `antennes` antennes (by default 40 at national scale, a few below: national_antennes.py)
    with their coordinators; everybody joins the antenne of their département."""
    existing_mentees = _national(Mentee).count()
    existing_mentors = _national(Mentor).count()
    mentees_missing = max(mentees - existing_mentees, 0)
    mentors_missing = max(mentors - existing_mentors, 0)
    if mentees_missing or mentors_missing:
        # Seeded by what exists, so that a top-up does not replay the first run's values.
        rng = random.Random(f"{seed}:{existing_mentees}:{existing_mentors}")
        generator = _Generator(
            rng=rng,
            now=timezone.now(),
            staff=_national_staff(),
            publics_rng=random.Random(f"{seed}:{existing_mentees}:{existing_mentors}:publics"),
        )
        _create_people(
            generator=generator,
            prefix=MENTOR_PREFIX,
            count=mentors_missing,
            build=generator.mentor,
            model=Mentor,
            batch_size=batch_size,
        )
        _create_people(
            generator=generator,
            prefix=MENTEE_PREFIX,
            count=mentees_missing,
            build=generator.mentee,
            model=Mentee,
            batch_size=batch_size,
        )
    seed_national_antennes(
        count=antennes_for_scale(mentees, national_mentees=NATIONAL_MENTEES)
        if antennes is None
        else antennes,
        email_domain=NATIONAL_DOMAIN,
        pairs_scale=mentees / NATIONAL_MENTEES,
    )
    return NationalSeedResult(
        mentees_created=mentees_missing,
        mentors_created=mentors_missing,
        mentees_total=existing_mentees + mentees_missing,
        mentors_total=existing_mentors + mentors_missing,
    )


def _national(model: type[Mentor] | type[Mentee]) -> QuerySet:
    return model.objects.filter(user__email__endswith=f"@{NATIONAL_DOMAIN}")


def _national_staff() -> User:
    """The référent who reviewed and screened the generated people (a foreign key needs one)."""
    user, _ = User.objects.get_or_create(
        email=STAFF_EMAIL,
        defaults={
            "first_name": "Référent",
            "last_name": "National",
            "is_staff": True,
            "password": make_password(None),
        },
    )
    return user


def _free_emails(prefix: str) -> Iterator[str]:
    """Numbered addresses not taken yet, in order (numbers freed by deletions are reused)."""
    taken = set(
        User.objects.filter(
            email__startswith=f"{prefix}-", email__endswith=f"@{NATIONAL_DOMAIN}"
        ).values_list("email", flat=True)
    )
    for number in itertools.count(1):
        email = f"{prefix}-{number:06d}@{NATIONAL_DOMAIN}"
        if email not in taken:
            yield email


def _chunks(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


def _create_people(
    *,
    generator: _Generator,
    prefix: str,
    count: int,
    build: Callable[[User, str], Registration],
    model: type[Mentor] | type[Mentee],
    batch_size: int,
) -> None:
    emails = itertools.islice(_free_emails(prefix), count)
    for chunk in _chunks(emails, batch_size):
        # One transaction per chunk: an interrupted run leaves no account without its
        # registration, and the next run tops up from there.
        with transaction.atomic():
            people = [generator.user(email) for email in chunk]
            User.objects.bulk_create([user for user, _ in people], batch_size=batch_size)
            registrations = [build(user, civility) for user, civility in people]
            model.objects.bulk_create(registrations, batch_size=batch_size)
            if model is Mentee:
                PriorityMark.objects.bulk_create(
                    generator.marks(registrations), batch_size=batch_size
                )
            if model is Mentor:
                screenings = [generator.screening(mentor) for mentor in registrations]
                ScreeningRecord.objects.bulk_create(
                    [record for record in screenings if record is not None],
                    batch_size=batch_size,
                )


# --- Pairs, sessions and objectives at national scale (`demo_programme` draws them)

PAIRS_BATCH_SIZE = 1000
# A started pair is between 3 weeks and 11 months old.
PAIR_AGE_DAYS = (21, 330)
# Days since the last session: exponential with this mean, so that about one pair in six is
# past the 45 days and a few are due within the week, as in a live programme.
MEAN_DAYS_SINCE_LAST_SESSION = 25
# About a third of the sessions are under the 90 minutes of the programme.
SESSION_DURATIONS = (45, 60, 75, 90, 90, 90, 105, 120, 120, 150)
SESSION_TOPICS = tuple(topic for topic in SessionTopic if topic != SessionTopic.OTHER)
SESSION_SUMMARIES = (
    "Point sur le projet d'orientation et les formations possibles.",
    "Relecture du CV et de la lettre de motivation.",
    "Simulation d'entretien et retour détaillé.",
    "Visite de l'entreprise du mentor et rencontre avec deux collègues.",
    "Recherche d'offres de stage ensemble, liste de candidatures à envoyer.",
    "Échange sur la confiance en soi et la prise de parole.",
    "Préparation d'un forum des métiers.",
)
NEXT_STEPS = (
    "Envoyer trois candidatures avant la prochaine rencontre.",
    "Finaliser le CV.",
    "Se renseigner sur deux formations.",
    "",
)
OBJECTIVE_TITLES = (
    "Définir mon projet professionnel",
    "Refaire mon CV et ma lettre de motivation",
    "Trouver un stage",
    "Trouver une entreprise pour mon alternance",
    "Préparer mes entretiens",
    "Découvrir trois métiers du secteur qui m'intéresse",
    "Prendre confiance à l'oral",
    "Choisir mes vœux d'orientation",
)
# (state, weight) of generated objectives.
OBJECTIVE_STATES = (
    (ObjectiveStatus.OPEN, 25),
    (ObjectiveStatus.IN_PROGRESS, 40),
    (ObjectiveStatus.ACHIEVED, 25),
    (ObjectiveStatus.ABANDONED, 10),
)
EVALUATION_COMMENTS = (
    "",
    "Séance utile, on avance bien.",
    "Un peu court, à approfondir la prochaine fois.",
    "Très bon échange.",
)


@dataclass(frozen=True)
class _PairPlan:
    mentee_id: int
    mentee_user_id: int
    mentor_id: int
    mentor_user_id: int
    same_department: bool
    started_on: datetime.date
    sessions: int
    # A closed pair ended on this day (objectives achieved); None for an active pair.
    ended_on: datetime.date | None = None


def _draw_pairs(
    rng: random.Random,
    *,
    today: datetime.date,
    count: int,
    sessions_per_pair: int,
) -> list[_PairPlan]:
    """Young people awaiting a mentor, each given a mentor with a free slot they may be
    paired with (the hard constraints of matching hold)."""
    national = {"user__email__endswith": f"@{NATIONAL_DOMAIN}"}
    mentees = list(
        mentees_awaiting_mentor(today=today)
        .filter(**national)
        .order_by("pk")
        .values(
            "pk", "user_id", "birth_date", "department", "meeting_mode", "civility",
            "wants_same_gender_mentor", "reviewed_at", "availability",
        )
    )  # fmt: skip
    mentors = list(
        with_matching_facts(Mentor.objects.approved().filter(**national), today=today)
        .filter(capacity__gt=F("open_pairs"))
        .order_by("pk")
        .values(
            "pk", "user_id", "capacity", "open_pairs", "department", "meeting_mode", "civility",
            "accepts_minors", "has_valid_screening", "reviewed_at", "availability",
        )
    )  # fmt: skip
    earlier = set(
        Mentorship.objects.filter(mentee__user__email__endswith=f"@{NATIONAL_DOMAIN}").values_list(
            "mentee_id", "mentor_id"
        )
    )
    slots = {mentor["pk"]: mentor["capacity"] - mentor["open_pairs"] for mentor in mentors}
    in_person: dict[str, list[dict]] = {}
    remote: list[dict] = []
    for mentor in mentors:
        if mentor["meeting_mode"] != MeetingMode.REMOTE:
            in_person.setdefault(mentor["department"], []).append(mentor)
        if mentor["meeting_mode"] != MeetingMode.IN_PERSON:
            remote.append(mentor)
    adult_born_by = years_before(today, MAJORITY_AGE)
    rng.shuffle(mentees)
    plans = []
    for mentee in mentees:
        if len(plans) == count:
            break
        minor = mentee["birth_date"] > adult_born_by

        def allowed(mentor: dict, mentee: dict = mentee, minor: bool = minor) -> bool:
            return (
                (not minor or (mentor["accepts_minors"] and mentor["has_valid_screening"]))
                and (
                    not mentee["wants_same_gender_mentor"]
                    or (mentee["civility"] and mentee["civility"] == mentor["civility"])
                )
                and (mentee["pk"], mentor["pk"]) not in earlier
                # At least one availability in common when both gave some.
                and (
                    not (mentee["availability"] and mentor["availability"])
                    or bool(set(mentee["availability"]) & set(mentor["availability"]))
                )
            )

        pools = []
        if mentee["meeting_mode"] != MeetingMode.REMOTE:
            pools.append(in_person.get(mentee["department"], []))
        if mentee["meeting_mode"] != MeetingMode.IN_PERSON:
            pools.append(remote)
        mentor = _pick(rng, pools, slots, allowed)
        if mentor is None:
            continue
        slots[mentor["pk"]] -= 1
        # Never before both registrations were validated (plus a few days to be introduced).
        reviewed = [
            timezone.localdate(moment)
            for moment in (mentee["reviewed_at"], mentor["reviewed_at"])
            if moment is not None
        ]
        started_on = today - datetime.timedelta(days=rng.randint(*PAIR_AGE_DAYS))
        if reviewed:
            started_on = min(max(started_on, max(reviewed) + datetime.timedelta(days=3)), today)
        young_pair = (today - started_on).days < 30
        plans.append(
            _PairPlan(
                mentee_id=mentee["pk"],
                mentee_user_id=mentee["user_id"],
                mentor_id=mentor["pk"],
                mentor_user_id=mentor["user_id"],
                same_department=mentee["department"] == mentor["department"],
                started_on=started_on,
                # Some pairs just started have not met yet.
                sessions=0
                if young_pair and rng.random() < 0.5
                else max(1, sessions_per_pair + rng.randint(-2, 2)),
            )
        )
    return plans


def _pick(rng: random.Random, pools: list[list[dict]], slots: dict, allowed) -> dict | None:
    """A random mentor with a slot left from the first pool that has one (a few draws each).
    Mentors without a slot are dropped from the pool as they are met."""
    for pool in pools:
        for _ in range(20):
            if not pool:
                break
            index = rng.randrange(len(pool))
            mentor = pool[index]
            if slots[mentor["pk"]] <= 0:
                pool[index] = pool[-1]
                pool.pop()
                continue
            if allowed(mentor):
                return mentor
    return None


class _PairBuilder:
    """Active pairs with their sessions, evaluations, follow-ups and objectives, in bulk."""

    def __init__(
        self, *, rng: random.Random, today: datetime.date, now: datetime.datetime, staff: User
    ):
        self.rng = rng
        self.today = today
        self.now = now
        self.staff = staff

    def _moment(self, day: datetime.date, hour: int) -> datetime.datetime:
        moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))
        return min(moment, self.now)

    def _session_days(self, plan: _PairPlan) -> list[datetime.date]:
        if not plan.sessions:
            return []
        gap = int(self.rng.expovariate(1 / MEAN_DAYS_SINCE_LAST_SESSION))
        last = max(plan.started_on, (plan.ended_on or self.today) - datetime.timedelta(days=gap))
        span = (last - plan.started_on).days
        others = [
            plan.started_on + datetime.timedelta(days=self.rng.randint(0, span))
            for _ in range(plan.sessions - 1)
        ]
        return sorted([*others, last])

    def create(self, plans: list[_PairPlan]) -> int:
        """Create the pairs of `plans` with everything in them; return the sessions count."""
        rng = self.rng
        pairs, days_of = [], []
        for plan in plans:
            days = self._session_days(plan)
            durations = [rng.choice(SESSION_DURATIONS) for _ in days]
            days_of.append(list(zip(days, durations, strict=True)))
            proposed_at = self._moment(
                plan.started_on - datetime.timedelta(days=rng.randint(2, 20)), 10
            )
            answered_at = proposed_at + datetime.timedelta(hours=rng.randint(2, 48))
            place = "même département" if plan.same_department else "rencontre à distance"
            closed = plan.ended_on is not None
            pairs.append(
                Mentorship(
                    mentor_id=plan.mentor_id,
                    mentee_id=plan.mentee_id,
                    status=MentorshipStatus.CLOSED if closed else MentorshipStatus.ACTIVE,
                    ended_on=plan.ended_on,
                    close_reason=CloseReason.OBJECTIVES_ACHIEVED if closed else "",
                    closed_by=self.staff if closed else None,
                    score=rng.randint(45, 98),
                    explanation=[{"label": place, "ok": True}],
                    proposed_by=self.staff,
                    proposed_at=proposed_at,
                    mentor_response=Response.ACCEPTED,
                    mentor_responded_at=answered_at,
                    mentee_response=Response.ACCEPTED,
                    mentee_responded_at=answered_at,
                    started_on=plan.started_on,
                    last_session_on=days[-1] if days else None,
                    last_qualifying_session_on=max(
                        (
                            day
                            for day, minutes in zip(days, durations, strict=True)
                            if minutes >= MINIMUM_SESSION_MINUTES
                        ),
                        default=None,
                    ),
                    qualifying_sessions=sum(
                        minutes >= MINIMUM_SESSION_MINUTES for minutes in durations
                    ),
                )
            )
        Mentorship.objects.bulk_create(pairs)
        # Each mentor in the programme has a référent (the one who reviewed them here).
        Mentor.objects.filter(
            pk__in={plan.mentor_id for plan in plans}, referent__isnull=True
        ).update(referent=self.staff)

        sessions = [
            Session(
                mentorship=pair,
                held_on=day,
                duration_minutes=minutes,
                format=rng.choice(tuple(SessionFormat)).value,
                topics=[topic.value for topic in rng.sample(SESSION_TOPICS, k=rng.randint(1, 2))],
                summary=rng.choice(SESSION_SUMMARIES),
                next_steps=rng.choice(NEXT_STEPS),
                logged_by_id=plan.mentor_user_id,
                logged_at=self._moment(day, 21),
            )
            for plan, pair, days in zip(plans, pairs, days_of, strict=True)
            for day, minutes in days
        ]
        Session.objects.bulk_create(sessions, batch_size=DEFAULT_BATCH_SIZE)
        users = {
            pair.pk: (plan.mentor_user_id, plan.mentee_user_id)
            for plan, pair in zip(plans, pairs, strict=True)
        }
        evaluations, follow_ups = [], []
        for session in sessions:
            mentor_user, mentee_user = users[session.mentorship_id]
            if rng.random() < 0.9:
                evaluations.append(self._evaluation(session, Side.MENTOR, mentor_user))
            if rng.random() < 0.7:
                evaluations.append(self._evaluation(session, Side.MENTEE, mentee_user))
            if rng.random() < 0.6:
                follow_ups.append(
                    FollowUp(
                        session=session,
                        reviewed=True,
                        reviewed_at=min(session.logged_at + datetime.timedelta(days=2), self.now),
                        reviewed_by=self.staff,
                        needs_attention=rng.random() < 0.05,
                    )
                )
        SessionEvaluation.objects.bulk_create(evaluations, batch_size=DEFAULT_BATCH_SIZE)
        FollowUp.objects.bulk_create(follow_ups, batch_size=DEFAULT_BATCH_SIZE)
        Objective.objects.bulk_create(
            [
                objective
                for plan, pair in zip(plans, pairs, strict=True)
                for objective in self._objectives(plan, pair)
            ],
            batch_size=DEFAULT_BATCH_SIZE,
        )
        return len(sessions)

    def _evaluation(self, session: Session, side: Side, author_id: int) -> SessionEvaluation:
        rng = self.rng
        return SessionEvaluation(
            session=session,
            side=side.value,
            rating=rng.choices((2, 3, 4, 5), weights=(5, 20, 45, 30))[0],
            objectives_progress=rng.choice(tuple(ObjectivesProgress)).value
            if side == Side.MENTOR
            else "",
            comment=rng.choice(EVALUATION_COMMENTS),
            author_id=author_id,
            created_at=session.logged_at,
        )

    def _objectives(self, plan: _PairPlan, pair: Mentorship) -> list[Objective]:
        rng = self.rng
        states, weights = zip(*OBJECTIVE_STATES, strict=True)
        objectives = []
        for title in rng.sample(OBJECTIVE_TITLES, k=rng.randint(1, 3)):
            created_at = self._moment(
                plan.started_on + datetime.timedelta(days=rng.randint(0, 10)), 19
            )
            status = rng.choices(states, weights=weights)[0]
            if plan.ended_on is not None:
                # Closed as « objectifs atteints »: every objective was met.
                status = ObjectiveStatus.ACHIEVED
            objectives.append(
                Objective(
                    mentorship=pair,
                    title=title,
                    status=status.value,
                    created_by_id=rng.choice((plan.mentor_user_id, plan.mentee_user_id)),
                    created_at=created_at,
                    status_changed_at=created_at
                    if status == ObjectiveStatus.OPEN
                    else min(created_at + datetime.timedelta(days=rng.randint(5, 60)), self.now),
                )
            )
        return objectives
