"""A small, hand-written demo programme built with the test factories.

Every demo account has a fixed address under DEMO_DOMAIN: a person whose address already
exists is skipped, so running the seed again creates nothing and changes nothing.
"""

import datetime
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from mentees.enums import Situation
from mentees.models import Mentee, PriorityPublic
from mentees.services import guardian_consent_give, priority_marks_confirm_all
from mentorat.demo.antennes import seed_demo_antennes
from mentorat.demo.factories import (
    DEFAULT_PASSWORD,
    MenteeFactory,
    MentorFactory,
    UserFactory,
    born_years_ago,
)
from mentorat.demo.prescribers import seed_demo_prescriber
from mentors.models import Mentor
from mentors.rules import SCREENING_EXPIRY_WARNING
from reminders.enums import ReminderKind, ReminderStatus
from reminders.models import Reminder
from reminders.sweep import iso_week
from users.enums import (
    Availability,
    ConsentKind,
    HelpTopic,
    Language,
    MeetingMode,
    OwedEmailStatus,
    RegistrationStatus,
    Sector,
)
from users.models import OwedEmail, Registration, User
from users.programme import RULES
from users.roles import REFERENTS_GROUP
from users.services import (
    consent_record,
    registration_approve,
    registration_reject,
    registration_submitted,
)

DEMO_DOMAIN = "demo.mentorat.fr"
DEMO_PASSWORD = DEFAULT_PASSWORD
COORDINATOR_EMAIL = f"coordinateur@{DEMO_DOMAIN}"
REFERENT_EMAIL = f"referent@{DEMO_DOMAIN}"
MENTOR_EMAIL = f"mentor@{DEMO_DOMAIN}"
MENTEE_EMAIL = f"jeune@{DEMO_DOMAIN}"
PRESCRIBER_EMAIL = f"prescripteur@{DEMO_DOMAIN}"
# Approved, not yet given a référent: the coordinator's task on their staff home.
UNASSIGNED_MENTOR_EMAIL = f"karim.haddad@{DEMO_DOMAIN}"
# The demo coordinator's authenticator app: a published secret, like the demo password, so
# that whoever runs the demo can pass the second factor (`manage.py demo_code`).
DEMO_TOTP_DEVICE = "Démonstration"
DEMO_TOTP_KEY = "6d656e746f7261742d64656d6f2d746f74702d31"
# (role shown to the person running the seed, login), in the order they are printed.
DEMO_LOGINS = (
    ("Coordination (super-utilisateur)", COORDINATOR_EMAIL),
    ("Référent", REFERENT_EMAIL),
    ("Mentor validé", MENTOR_EMAIL),
    ("Jeune majeur validé", MENTEE_EMAIL),
    ("Prescripteur (Mission Locale ; même code que la coordination)", PRESCRIBER_EMAIL),
)

APPROVED = RegistrationStatus.APPROVED
REJECTED = RegistrationStatus.REJECTED
# Expired: older than SCREENING_VALIDITY_DAYS (three years by default).
EXPIRED_SCREENING_AGE = datetime.timedelta(days=4 * 365)
# Valid, and ending within the coordinators' warning (halfway through it).
EXPIRING_SCREENING_AGE = (
    datetime.timedelta(days=settings.SCREENING_VALIDITY_DAYS) - SCREENING_EXPIRY_WARNING / 2
)
# Staff review a registration a couple of days after it arrives (so that the young people
# approved long ago, still without a mentor, show as waiting too long).
REVIEW_DELAY = datetime.timedelta(days=2)


@dataclass(frozen=True)
class DemoPerson:
    email: str
    first_name: str
    last_name: str
    # The review decision staff take after the registration; None leaves it pending.
    decision: RegistrationStatus | None = None
    rejection_reason: str = ""
    # A minor's guardian gives consent after the registration, through the real service.
    guardian_consent: bool = False
    # Passed to the registration factory: fields and traits.
    fields: Mapping = field(default_factory=dict)


@dataclass(frozen=True)
class DemoSeedResult:
    created: int
    existing: int


def _mentor(email: str, first_name: str, last_name: str, **kwargs: object) -> DemoPerson:
    decision = kwargs.pop("decision", None)
    reason = kwargs.pop("rejection_reason", "")
    return DemoPerson(email, first_name, last_name, decision, reason, fields=kwargs)


def _mentee(email: str, first_name: str, last_name: str, **kwargs: object) -> DemoPerson:
    decision = kwargs.pop("decision", None)
    reason = kwargs.pop("rejection_reason", "")
    consent = kwargs.pop("guardian_consent", False)
    return DemoPerson(email, first_name, last_name, decision, reason, consent, fields=kwargs)


def _guardian(name: str, phone: str) -> dict:
    # example.org never delivers mail: a demo guardian is never contacted by accident.
    local = unicodedata.normalize("NFKD", name.lower()).encode("ascii", "ignore").decode()
    local = local.replace(" ", ".")
    return {
        "guardian_name": name,
        "guardian_email": f"{local}@example.org",
        "guardian_phone": phone,
    }


WEEKDAY_EVENING = Availability.WEEKDAY_EVENING
WEEKEND = Availability.WEEKEND
WEEKDAY_DAYTIME = Availability.WEEKDAY_DAYTIME
FR = Language.FRENCH

# Hand-written rows read best one person per block; the formatter would explode them.
# fmt: off
DEMO_MENTORS = (
    _mentor(
        MENTOR_EMAIL, "Claire", "Dubois", civility="mme", phone="+33612480101",
        postal_code="93200", employer="Orange", job_title="Cheffe de projet numérique",
        sector=Sector.IT, years_of_experience=14,
        help_topics=[HelpTopic.ORIENTATION, HelpTopic.PROFESSIONAL_WORLD, HelpTopic.ALTERNANCE,
                     HelpTopic.CV_INTERVIEW],
        sectors_to_share=[Sector.IT, Sector.COMMUNICATION], capacity=2,
        availability=[WEEKDAY_EVENING, WEEKEND], languages=[FR, Language.ENGLISH],
        motivation="J'ai moi-même trouvé ma voie grâce à une rencontre : je veux la rendre.",
        for_minors=True, decision=APPROVED,
    ),
    _mentor(
        f"thomas.lefebvre@{DEMO_DOMAIN}", "Thomas", "Lefebvre", civility="m",
        phone="+33612480102", postal_code="69003", employer="SNCF",
        job_title="Technicien de maintenance ferroviaire", sector=Sector.LOGISTICS,
        years_of_experience=22, help_topics=[HelpTopic.ALTERNANCE, HelpTopic.SOFT_SKILLS],
        sectors_to_share=[Sector.LOGISTICS, Sector.INDUSTRY], capacity=3,
        meeting_mode=MeetingMode.IN_PERSON, availability=[WEEKDAY_DAYTIME],
        motivation="Faire découvrir les métiers techniques aux jeunes qui ne les connaissent pas.",
        # Still valid, but ending soon: the coordinator's staff home asks to renew it.
        for_minors=True, screening__checked_on=timezone.localdate() - EXPIRING_SCREENING_AGE,
        decision=APPROVED,
    ),
    _mentor(
        f"aicha.diallo@{DEMO_DOMAIN}", "Aïcha", "Diallo", civility="mme", phone="+33612480103",
        postal_code="13001", employer="AP-HM", job_title="Infirmière", sector=Sector.HEALTH,
        years_of_experience=9,
        help_topics=[HelpTopic.ORIENTATION, HelpTopic.SELF_CONFIDENCE, HelpTopic.INTERNSHIP],
        sectors_to_share=[Sector.HEALTH], capacity=1, availability=[WEEKEND],
        languages=[FR, Language.ARABIC],
        motivation="Montrer que les métiers du soin sont accessibles sans réseau.",
        decision=APPROVED,
    ),
    _mentor(
        f"julien.moreau@{DEMO_DOMAIN}", "Julien", "Moreau", civility="m", phone="+33612480104",
        postal_code="59000", employer="Crédit Agricole Nord de France",
        job_title="Conseiller clientèle", sector=Sector.BANKING, years_of_experience=7,
        help_topics=[HelpTopic.JOB_SEARCH, HelpTopic.CV_INTERVIEW],
        sectors_to_share=[Sector.BANKING, Sector.COMMERCE], capacity=2,
        motivation="Aider à préparer les entretiens, que j'ai longtemps redoutés.",
        decision=APPROVED,
    ),
    # Accepts minors but the honorability check has expired: not cleared for minors.
    _mentor(
        f"nathalie.fontaine@{DEMO_DOMAIN}", "Nathalie", "Fontaine", civility="mme",
        phone="+33612480105", postal_code="75011", employer="Ville de Paris",
        job_title="Juriste", sector=Sector.LAW, years_of_experience=18,
        help_topics=[HelpTopic.ORIENTATION, HelpTopic.PROFESSIONAL_WORLD],
        sectors_to_share=[Sector.LAW, Sector.PUBLIC], capacity=2,
        motivation="Faire connaître les métiers du droit et de la fonction publique.",
        for_minors=True,
        screening__checked_on=timezone.localdate() - EXPIRED_SCREENING_AGE,
        decision=APPROVED,
    ),
    _mentor(
        f"karim.haddad@{DEMO_DOMAIN}", "Karim", "Haddad", civility="m", phone="+33612480106",
        postal_code="33000", employer="Capgemini", job_title="Développeur web",
        sector=Sector.IT, years_of_experience=5,
        help_topics=[HelpTopic.INTERNSHIP, HelpTopic.ALTERNANCE, HelpTopic.CV_INTERVIEW],
        sectors_to_share=[Sector.IT], capacity=2, meeting_mode=MeetingMode.REMOTE,
        languages=[FR, Language.ENGLISH, Language.ARABIC],
        motivation="J'ai fait mon alternance grâce à un mentor, à mon tour.",
        decision=APPROVED,
    ),
    # Accepts minors, honorability check not yet seen: pending.
    _mentor(
        f"sophie.garnier@{DEMO_DOMAIN}", "Sophie", "Garnier", civility="mme",
        phone="+33612480107", postal_code="31000", employer="Airbus",
        job_title="Ingénieure qualité", sector=Sector.INDUSTRY, years_of_experience=12,
        help_topics=[HelpTopic.ORIENTATION, HelpTopic.SELF_CONFIDENCE],
        sectors_to_share=[Sector.INDUSTRY, Sector.SCIENCE], capacity=1,
        accepts_minors=True,
        motivation="Encourager les filles à oser les études scientifiques.",
    ),
    _mentor(
        f"mamadou.traore@{DEMO_DOMAIN}", "Mamadou", "Traoré", civility="m",
        phone="+33612480108", postal_code="44000", employer="Bouygues Construction",
        job_title="Conducteur de travaux", sector=Sector.BUILDING, years_of_experience=16,
        help_topics=[HelpTopic.ALTERNANCE, HelpTopic.PROFESSIONAL_WORLD],
        sectors_to_share=[Sector.BUILDING], capacity=2, meeting_mode=MeetingMode.IN_PERSON,
        availability=[WEEKEND], motivation="Transmettre le goût du chantier.",
    ),
    _mentor(
        f"emilie.roux@{DEMO_DOMAIN}", "Émilie", "Roux", civility="mme", phone="+33612480109",
        postal_code="35000", employer="Indépendante", job_title="Graphiste",
        sector=Sector.ARTS, years_of_experience=8,
        help_topics=[HelpTopic.SELF_CONFIDENCE, HelpTopic.SOFT_SKILLS],
        sectors_to_share=[Sector.ARTS, Sector.COMMUNICATION], capacity=1,
        meeting_mode=MeetingMode.REMOTE, motivation="Montrer qu'on peut vivre d'un métier créatif.",
    ),
    _mentor(
        f"pierre.lambert@{DEMO_DOMAIN}", "Pierre", "Lambert", civility="m",
        phone="+33612480110", postal_code="67000", employer="Cabinet Lambert Conseil",
        job_title="Coach professionnel", sector=Sector.EDUCATION, years_of_experience=25,
        help_topics=[HelpTopic.JOB_SEARCH], sectors_to_share=[Sector.EDUCATION], capacity=3,
        motivation="Proposer mes séances de coaching aux jeunes du programme.",
        decision=REJECTED,
        rejection_reason="Propose des prestations de coaching payantes : hors du cadre bénévole.",
    ),
    _mentor(
        f"laurent.girard@{DEMO_DOMAIN}", "Laurent", "Girard", civility="m",
        phone="+33612480111", postal_code="06000", employer="Accor",
        job_title="Directeur d'hôtel", sector=Sector.HOSPITALITY, years_of_experience=20,
        help_topics=[HelpTopic.PROFESSIONAL_WORLD], sectors_to_share=[Sector.HOSPITALITY],
        capacity=1, availability=[WEEKEND], motivation="Partager mon expérience.",
        decision=REJECTED,
        rejection_reason=f"Indisponible pour une rencontre {RULES.meeting_rhythm}.",
    ),
    _mentor(
        f"ines.mansouri@{DEMO_DOMAIN}", "Inès", "Mansouri", civility="mme",
        phone="+33612480112", postal_code="97400", employer="Air Austral",
        job_title="Responsable des ressources humaines", sector=Sector.HOSPITALITY,
        years_of_experience=15,
        help_topics=[HelpTopic.CV_INTERVIEW, HelpTopic.JOB_SEARCH, HelpTopic.SELF_CONFIDENCE],
        sectors_to_share=[Sector.HOSPITALITY, Sector.LOGISTICS], capacity=3,
        meeting_mode=MeetingMode.REMOTE, availability=[WEEKDAY_EVENING],
        motivation="Les recruteurs ont des codes : je veux les partager.",
        for_minors=True, decision=APPROVED,
    ),
)

DEMO_MENTEES = (
    _mentee(
        MENTEE_EMAIL, "Yanis", "Belkacem", civility="m", phone="+33698760101",
        postal_code="93200", birth_date=born_years_ago(20), situation=Situation.ETUDIANT,
        school_or_structure="IUT de Saint-Denis",
        needs=[HelpTopic.ALTERNANCE, HelpTopic.CV_INTERVIEW], sectors_of_interest=[Sector.IT],
        goals="Trouver une alternance en développement web pour la rentrée.",
        decision=APPROVED,
        publics=["QPV", "SANS_RESEAU"],
    ),
    _mentee(
        f"sarah.nguyen@{DEMO_DOMAIN}", "Sarah", "Nguyen", civility="mme", phone="+33698760102",
        postal_code="59100", birth_date=born_years_ago(22), situation=Situation.JOB_SEEKER,
        mission_locale_name="Mission Locale de Roubaix",
        needs=[HelpTopic.JOB_SEARCH, HelpTopic.CV_INTERVIEW],
        sectors_of_interest=[Sector.COMMERCE, Sector.BANKING],
        goals="Décrocher un premier emploi stable dans la relation client.",
        decision=APPROVED,
        publics=["MISSION_LOCALE", "SANS_RESEAU"],
    ),
    _mentee(
        f"lea.bernard@{DEMO_DOMAIN}", "Léa", "Bernard", civility="mme", phone="+33698760103",
        postal_code="75019", birth_date=born_years_ago(25), situation=Situation.EMPLOYED,
        school_or_structure="", needs=[HelpTopic.ORIENTATION, HelpTopic.SELF_CONFIDENCE],
        sectors_of_interest=[Sector.HEALTH, Sector.EDUCATION],
        goals="Construire un projet de reconversion vers le social.",
        decision=APPROVED,
        publics=["SANS_RESEAU", "ORIENTATION"],
    ),
    _mentee(
        f"moussa.camara@{DEMO_DOMAIN}", "Moussa", "Camara", civility="m", phone="+33698760104",
        postal_code="69008", birth_date=born_years_ago(19), situation=Situation.APPRENTI,
        school_or_structure="CFA du BTP de Lyon", needs=[HelpTopic.ALTERNANCE],
        sectors_of_interest=[Sector.BUILDING],
        goals="Retrouver une entreprise d'accueil après une rupture de contrat.",
        publics=["QPV", "DECROCHAGE"],
    ),
    _mentee(
        f"hugo.petit@{DEMO_DOMAIN}", "Hugo", "Petit", civility="m", phone="+33698760105",
        postal_code="13015", birth_date=born_years_ago(27), situation=Situation.JOB_SEEKER,
        needs=[HelpTopic.JOB_SEARCH], goals="Trouver un emploi dans la logistique.",
        sectors_of_interest=[Sector.LOGISTICS], decision=REJECTED,
        rejection_reason="Déjà accompagné par un autre programme de mentorat.",
    ),
    _mentee(
        f"fatoumata.cisse@{DEMO_DOMAIN}", "Fatoumata", "Cissé", civility="mme",
        phone="+33698760106", postal_code="93100", minor=True, birth_date=born_years_ago(16),
        school_or_structure="Lycée Jean Jaurès, Montreuil",
        needs=[HelpTopic.ORIENTATION, HelpTopic.PROFESSIONAL_WORLD],
        sectors_of_interest=[Sector.HEALTH, Sector.SCIENCE],
        goals="Choisir mes spécialités et découvrir les métiers de la santé.",
        **_guardian("Aminata Cissé", "+33611220106"),
        guardian_consent=True, decision=APPROVED,
        publics=["QPV", "ORIENTATION", "BOURSIER"],
    ),
    # A minor whose guardian has not answered yet: reviewable, but never matchable.
    _mentee(
        f"lucas.mercier@{DEMO_DOMAIN}", "Lucas", "Mercier", civility="m", phone="+33698760107",
        postal_code="62300", minor=True, birth_date=born_years_ago(17),
        school_or_structure="Lycée Auguste Béhal, Lens",
        needs=[HelpTopic.ORIENTATION, HelpTopic.SELF_CONFIDENCE],
        sectors_of_interest=[Sector.SPORT], goals="Savoir quoi faire après le bac.",
        **_guardian("Sandrine Mercier", "+33611220107"),
        publics=["ORIENTATION"],
    ),
    _mentee(
        f"chloe.faure@{DEMO_DOMAIN}", "Chloé", "Faure", civility="mme", phone="+33698760108",
        postal_code="38000", minor=True, birth_date=born_years_ago(15),
        school_or_structure="Lycée Champollion, Grenoble",
        needs=[HelpTopic.PROFESSIONAL_WORLD], sectors_of_interest=[Sector.ARTS, Sector.IT],
        goals="Découvrir les métiers du jeu vidéo.",
        **_guardian("Olivier Faure", "+33611220108"), guardian_consent=True,
    ),
    # Under 15: waits for the guardian's consent before anybody reviews it.
    _mentee(
        f"adam.benali@{DEMO_DOMAIN}", "Adam", "Benali", civility="m", phone="+33698760109",
        postal_code="93000", under_15=True, school_or_structure="Collège Pierre Sémard, Bobigny",
        needs=[HelpTopic.PROFESSIONAL_WORLD, HelpTopic.SELF_CONFIDENCE],
        sectors_of_interest=[Sector.SPORT, Sector.HEALTH],
        goals="Trouver mon stage d'observation de 3e.",
        **_guardian("Samia Benali", "+33611220109"),
        publics=["QPV", "DECROCHAGE"],
    ),
    _mentee(
        f"jade.morel@{DEMO_DOMAIN}", "Jade", "Morel", civility="mme", phone="+33698760110",
        postal_code="31100", under_15=True, birth_date=born_years_ago(12),
        school_or_structure="Collège Bellefontaine, Toulouse",
        needs=[HelpTopic.SELF_CONFIDENCE], goals="Prendre confiance en moi à l'oral.",
        **_guardian("Céline Morel", "+33611220110"), guardian_consent=True,
        publics=["QPV"],
    ),
    _mentee(
        f"rayan.cherif@{DEMO_DOMAIN}", "Rayan", "Chérif", civility="m", phone="+33698760111",
        postal_code="13003", minor=True, birth_date=born_years_ago(16),
        school_or_structure="Lycée professionnel La Floride, Marseille",
        needs=[HelpTopic.INTERNSHIP, HelpTopic.SOFT_SKILLS],
        sectors_of_interest=[Sector.LOGISTICS, Sector.COMMERCE],
        goals="Trouver un stage et ne pas lâcher mon bac pro.",
        **_guardian("Nadia Chérif", "+33611220111"), guardian_consent=True, decision=APPROVED,
        publics=["QPV", "SANS_RESEAU", "DECROCHAGE", "LYCEE_PRO"],
    ),
    _mentee(
        f"manon.rousseau@{DEMO_DOMAIN}", "Manon", "Rousseau", civility="mme",
        phone="+33698760112", postal_code="44600", birth_date=born_years_ago(18),
        situation=Situation.APPRENTI, school_or_structure="CFA de Saint-Nazaire",
        needs=[HelpTopic.ALTERNANCE, HelpTopic.CV_INTERVIEW],
        sectors_of_interest=[Sector.INDUSTRY], goals="Trouver une alternance en BTS CRSA.",
        decision=APPROVED,
        publics=["ZRR"],
    ),
    _mentee(
        f"kevin.dasilva@{DEMO_DOMAIN}", "Kevin", "Da Silva", civility="m",
        phone="+33698760113", postal_code="13013", birth_date=born_years_ago(24),
        situation=Situation.JOB_SEEKER,
        mission_locale_name="Mission Locale de Marseille",
        needs=[HelpTopic.JOB_SEARCH, HelpTopic.SOFT_SKILLS],
        sectors_of_interest=[Sector.HOSPITALITY], goals="Reprendre confiance et trouver un CDI.",
        decision=APPROVED,
        publics=["QPV", "MISSION_LOCALE", "SANS_RESEAU"],
    ),
    _mentee(
        f"amandine.leroy@{DEMO_DOMAIN}", "Amandine", "Leroy", civility="mme",
        phone="+33698760114", postal_code="67100", birth_date=born_years_ago(28),
        situation=Situation.EMPLOYED, needs=[HelpTopic.ORIENTATION],
        sectors_of_interest=[Sector.EDUCATION],
        goals="Préparer une reconversion vers l'enseignement.",
        publics=["ORIENTATION"],
    ),
    _mentee(
        f"lisa.santoni@{DEMO_DOMAIN}", "Lisa", "Santoni", civility="mme", phone="+33698760115",
        postal_code="20000", birth_date=born_years_ago(21), situation=Situation.ETUDIANT,
        school_or_structure="Université de Corse", needs=[HelpTopic.INTERNSHIP],
        sectors_of_interest=[Sector.AGRICULTURE],
        goals="Trouver un stage de master sur le continent.",
        decision=APPROVED,
        publics=["SANS_RESEAU"],
    ),
    _mentee(
        f"jordan.alexis@{DEMO_DOMAIN}", "Jordan", "Alexis", civility="m", phone="+33698760116",
        postal_code="97110", birth_date=born_years_ago(23), situation=Situation.INACTIVE,
        school_or_structure="", mission_locale_name="Mission Locale de Guadeloupe",
        needs=[HelpTopic.ORIENTATION, HelpTopic.PROFESSIONAL_WORLD],
        sectors_of_interest=[Sector.AGRICULTURE, Sector.ENERGY],
        goals="Définir un projet professionnel.",
        publics=["ORIENTATION", "QPV", "MISSION_LOCALE", "SANS_RESEAU", "NEET"],
    ),
    _mentee(
        f"yasmine.bouzid@{DEMO_DOMAIN}", "Yasmine", "Bouzid", civility="mme",
        phone="+33698760117", postal_code="95200", minor=True, birth_date=born_years_ago(17),
        school_or_structure="Lycée de la Tourelle, Sarcelles",
        needs=[HelpTopic.ORIENTATION], goals="Choisir mes vœux Parcoursup.",
        **_guardian("Malika Bouzid", "+33611220117"), guardian_consent=True,
        decision=REJECTED,
        rejection_reason="Déjà accompagnée par une association de son lycée.",
    ),
    _mentee(
        f"enzo.girard@{DEMO_DOMAIN}", "Enzo", "Girard", civility="m", phone="+33698760118",
        postal_code="76600", birth_date=born_years_ago(26), situation=Situation.JOB_SEEKER,
        mission_locale_name="Mission Locale du Havre",
        needs=[HelpTopic.JOB_SEARCH, HelpTopic.PROFESSIONAL_WORLD],
        sectors_of_interest=[Sector.LOGISTICS, Sector.ENERGY],
        goals="Trouver un emploi sur le port du Havre.",
        decision=APPROVED,
        publics=["MISSION_LOCALE", "SANS_RESEAU"],
    ),
    _mentee(
        f"nour.haddad@{DEMO_DOMAIN}", "Nour", "Haddad", civility="mme", phone="+33698760119",
        postal_code="69200", under_15=True, birth_date=born_years_ago(14),
        school_or_structure="Collège Paul Éluard, Vénissieux",
        needs=[HelpTopic.PROFESSIONAL_WORLD, HelpTopic.INTERNSHIP],
        sectors_of_interest=[Sector.LAW],
        goals="Trouver mon stage de 3e dans un cabinet d'avocats.",
        **_guardian("Farid Haddad", "+33611220119"),
        guardian_consent=True, decision=APPROVED,
        publics=["QPV", "BOURSIER"],
    ),
    _mentee(
        f"maxime.fournier@{DEMO_DOMAIN}", "Maxime", "Fournier", civility="m",
        phone="+33698760120", postal_code="35000", birth_date=born_years_ago(20),
        situation=Situation.ETUDIANT, school_or_structure="Université Rennes 2",
        needs=[HelpTopic.ORIENTATION, HelpTopic.INTERNSHIP],
        sectors_of_interest=[Sector.COMMUNICATION], goals="Savoir vers quel master m'orienter.",
    ),
)
# fmt: on


def seed_demo_programme(*, password: str = DEMO_PASSWORD) -> DemoSeedResult:
    """Create the demo staff, mentors and young people that do not exist yet."""
    # One hash for every demo account: hashing is deliberately slow, and `make run` seeds
    # the demo on every start.
    password_hash = make_password(password)
    created = existing = 0
    with transaction.atomic():
        coordinator = _staff_user(
            email=COORDINATOR_EMAIL,
            first_name="Camille",
            last_name="Martin",
            password_hash=password_hash,
            coordinator=True,
        )
        demo_second_factor(coordinator)
        referent = _staff_user(
            email=REFERENT_EMAIL,
            first_name="Karim",
            last_name="Benali",
            password_hash=password_hash,
            coordinator=False,
        )
        # In the référents' group, with its rights: their home, pairs and sessions open.
        referent.groups.add(_referents_group())
        _priority_publics()
        people = [(person, Mentor) for person in DEMO_MENTORS]
        people += [(person, Mentee) for person in DEMO_MENTEES]
        now = timezone.now()
        for index, (person, model) in enumerate(people):
            if User.objects.filter(email__iexact=person.email).exists():
                existing += 1
                continue
            # Spread the registrations over the past months so lists are not all "today".
            registered_at = now - datetime.timedelta(days=3 + 7 * (len(people) - index))
            if model is Mentor:
                _create_mentor(
                    person=person,
                    password_hash=password_hash,
                    registered_at=registered_at,
                    reviewer=coordinator,
                    screener=referent,
                )
            else:
                _create_mentee(
                    person=person,
                    password_hash=password_hash,
                    registered_at=registered_at,
                    reviewer=referent,
                )
            created += 1
        seed_demo_antennes(email_domain=DEMO_DOMAIN)
        _seed_refused_email()
        _seed_failed_reminder(referent)
        prescriber = seed_demo_prescriber(
            email=PRESCRIBER_EMAIL, mentee_email=MENTEE_EMAIL, password_hash=password_hash
        )
        demo_second_factor(prescriber.user)
    return DemoSeedResult(created=created, existing=existing)


# What a mail server answers to an address that does not exist (users/outbox.py records it
# without the address).
REFUSAL = "550 5.1.1 <destinataire>: adresse inconnue"


def _seed_refused_email() -> None:
    """One acknowledgement the mail server refused for good, once: the staff home's « e-mail
    non distribué », the failed list and the flag on the person's page have something to show.
    (Resending it from the demo sends nothing anywhere but the console.)"""
    if OwedEmail.objects.failed().exists():
        return
    mentee = Mentee.objects.select_related("user").filter(user__email__iexact=DEMO_MENTEES[0].email)
    mentee = mentee.first()
    if mentee is None:
        return
    now = timezone.now()
    OwedEmail.objects.create(
        task="users.tasks.send_registration_email",
        args=[Mentee._meta.label, mentee.pk, "received"],
        recipient=mentee.user,
        subject=" ".join(
            render_to_string(
                "users/email/registration_received_subject.txt",
                {"programme_name": settings.PROGRAMME_NAME},
            ).split()
        ),
        status=OwedEmailStatus.FAILED,
        attempts=1,
        last_error=f"SMTPRecipientsRefused: {REFUSAL}",
        created_at=mentee.created_at,
        next_attempt_at=mentee.created_at,
    )
    User.objects.filter(pk=mentee.user_id).update(
        email_refused_at=now, email_refused_reason=REFUSAL
    )


def _seed_failed_reminder(referent: User) -> None:
    """One weekly digest the mail server never took after its retries, once: the staff
    home's « rappel non distribué » and the reminders' failed list have something to show."""
    if Reminder.objects.filter(status=ReminderStatus.FAILED).exists():
        return
    Reminder.objects.create(
        kind=ReminderKind.REFERENT_DIGEST,
        target=f"user:{referent.pk}",
        recipient=referent,
        recipient_email=referent.email,
        period=iso_week(timezone.localdate() - datetime.timedelta(days=7)),
        status=ReminderStatus.FAILED,
        attempts=6,
        last_error="SMTPServerDisconnected: Connection unexpectedly closed",
    )


# UserFactory stores a password given at call time as is (its `without_password` trait makes
# the override replace the hashing declaration): we pass the precomputed hash. The tests that
# log in with the demo password catch any change of that behaviour.


def demo_second_factor(user: User) -> TOTPDevice:
    device, _ = TOTPDevice.objects.get_or_create(
        user=user, name=DEMO_TOTP_DEVICE, defaults={"key": DEMO_TOTP_KEY, "confirmed": True}
    )
    return device


def _referents_group() -> Group:
    group = Group.objects.filter(name=REFERENTS_GROUP).first()
    if group is None:
        # Created with its permissions by a migration; a database emptied since (`flush`)
        # has lost it: made again the same way.
        import_module("users.migrations.0002_staff_groups").create_groups(apps, None)
        group = Group.objects.get(name=REFERENTS_GROUP)
    return group


def _priority_publics() -> None:
    """The seeded priority publics (mentees/0003), made again if a `flush` emptied them."""
    if not PriorityPublic.objects.exists():
        import_module("mentees.migrations.0003_seed_priority_publics").seed_publics(apps)


def _staff_user(
    *, email: str, first_name: str, last_name: str, password_hash: str, coordinator: bool
) -> User:
    user = User.objects.filter(email__iexact=email).first()
    if user is not None:
        return user
    return UserFactory(
        email=email,
        first_name=first_name,
        last_name=last_name,
        password=password_hash,
        coordinator=coordinator,
        staff=not coordinator,
    )


def _user(person: DemoPerson, password_hash: str) -> User:
    return UserFactory(
        email=person.email,
        first_name=person.first_name,
        last_name=person.last_name,
        password=password_hash,
    )


def _create_mentor(
    *,
    person: DemoPerson,
    password_hash: str,
    registered_at: datetime.datetime,
    reviewer: User,
    screener: User,
) -> Mentor:
    fields = dict(person.fields)
    if fields.get("for_minors"):
        # Without this the screening factory would invent a new staff account each time.
        fields["screening__checked_by"] = screener
    mentor = MentorFactory(
        user=_user(person, password_hash),
        created_at=registered_at,
        charter_version=settings.MENTOR_CHARTER_VERSION,
        charter_accepted_at=registered_at,
        **fields,
    )
    _registration_submitted(registration=mentor, charter=True)
    _review(registration=mentor, person=person, reviewer=reviewer, registered_at=registered_at)
    return mentor


def _create_mentee(
    *, person: DemoPerson, password_hash: str, registered_at: datetime.datetime, reviewer: User
) -> Mentee:
    # The factory's default school fits a student only; the others name theirs or none.
    fields = {"school_or_structure": "", **person.fields}
    mentee = MenteeFactory(user=_user(person, password_hash), created_at=registered_at, **fields)
    _registration_submitted(registration=mentee, charter=False)
    if person.guardian_consent:
        # The real service: it records the consent and lets an under-15 go to review.
        guardian_consent_give(mentee=mentee, guardian_name=mentee.guardian_name)
        mentee.refresh_from_db()
    _review(registration=mentee, person=person, reviewer=reviewer, registered_at=registered_at)
    if person.decision == RegistrationStatus.APPROVED:
        # Staff check the declared publics when they approve; the others wait for them.
        priority_marks_confirm_all(mentee=mentee, confirmed_by=reviewer)
    return mentee


def _registration_submitted(*, registration: Registration, charter: bool) -> None:
    """The consents a public registration records, without the acknowledgement e-mail: demo
    addresses must never receive mail."""
    registration.history.update(history_change_reason="Inscription")
    registration_submitted(registration=registration, notify=False)
    if charter:
        user = registration.user
        consent_record(
            user=user,
            kind=ConsentKind.MENTOR_CHARTER,
            version=settings.MENTOR_CHARTER_VERSION,
            given_by_name=user.get_full_name(),
            given_by_email=user.email,
        )


def _review(
    *,
    registration: Registration,
    person: DemoPerson,
    reviewer: User,
    registered_at: datetime.datetime,
) -> None:
    """Staff's decision, through the real services, without their e-mail, dated a couple of
    days after the registration (the services stamp "now"; update() changes the date alone,
    the history keeps the seed's own time)."""
    if person.decision is None:
        return
    if person.decision == RegistrationStatus.APPROVED:
        registration_approve(registration=registration, approved_by=reviewer, notify=False)
    elif person.decision == RegistrationStatus.REJECTED:
        registration_reject(
            registration=registration,
            reason=person.rejection_reason,
            rejected_by=reviewer,
            notify=False,
        )
    type(registration).objects.filter(pk=registration.pk).update(
        reviewed_at=min(registered_at + REVIEW_DELAY, timezone.now())
    )
