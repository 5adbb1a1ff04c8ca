"""Vocabulary shared by the mentors' and the young people's registrations."""

from django.db import models


class RegistrationStatus(models.TextChoices):
    AWAITING_GUARDIAN_CONSENT = (
        "awaiting_guardian_consent",
        "En attente de l'accord du représentant légal",
    )
    PENDING_REVIEW = "pending_review", "En attente de validation"
    APPROVED = "approved", "Validée"
    REJECTED = "rejected", "Refusée"


class Civility(models.TextChoices):
    MADAME = "mme", "Madame"
    MONSIEUR = "m", "Monsieur"


class HelpTopic(models.TextChoices):
    """What a mentor can help with, and what a young person needs: one list for both."""

    ORIENTATION = "orientation", "Orientation"
    SELF_CONFIDENCE = "self_confidence", "Confiance en soi"
    PROFESSIONAL_WORLD = "professional_world", "Découvrir le monde professionnel"
    INTERNSHIP = "internship", "Trouver un stage"
    ALTERNANCE = "alternance", "Trouver une alternance"
    JOB_SEARCH = "job_search", "Recherche d'emploi"
    CV_INTERVIEW = "cv_interview", "CV et entretien"
    SOFT_SKILLS = "soft_skills", "Savoir-être"


class Sector(models.TextChoices):
    AGRICULTURE = "agriculture", "Agriculture, environnement"
    ARTS = "arts", "Arts, culture, médias"
    BANKING = "banking", "Banque, assurance, finance"
    BUILDING = "building", "Bâtiment, travaux publics"
    COMMERCE = "commerce", "Commerce, vente, distribution"
    COMMUNICATION = "communication", "Communication, marketing"
    EDUCATION = "education", "Éducation, formation"
    ENERGY = "energy", "Énergie"
    HEALTH = "health", "Santé, social"
    HOSPITALITY = "hospitality", "Hôtellerie, restauration, tourisme"
    INDUSTRY = "industry", "Industrie"
    IT = "it", "Informatique, numérique"
    LAW = "law", "Droit, justice"
    LOGISTICS = "logistics", "Transport, logistique"
    PUBLIC = "public", "Fonction publique, administration"
    SCIENCE = "science", "Recherche, sciences"
    SECURITY = "security", "Sécurité, défense"
    SPORT = "sport", "Sport, animation"
    OTHER = "other", "Autre"


class MeetingMode(models.TextChoices):
    IN_PERSON = "in_person", "En présentiel"
    REMOTE = "remote", "À distance"
    BOTH = "both", "Les deux"


class Availability(models.TextChoices):
    WEEKDAY_DAYTIME = "weekday_daytime", "En semaine, en journée"
    WEEKDAY_EVENING = "weekday_evening", "En semaine, en soirée"
    WEEKEND = "weekend", "Le week-end"


class Language(models.TextChoices):
    FRENCH = "fr", "Français"
    ENGLISH = "en", "Anglais"
    ARABIC = "ar", "Arabe"
    SPANISH = "es", "Espagnol"
    PORTUGUESE = "pt", "Portugais"
    GERMAN = "de", "Allemand"
    ITALIAN = "it", "Italien"
    TURKISH = "tr", "Turc"
    CHINESE = "zh", "Chinois"
    OTHER = "other", "Autre"


class ConsentKind(models.TextChoices):
    PRIVACY_NOTICE = "privacy_notice", "Politique de confidentialité"
    MENTOR_CHARTER = "mentor_charter", "Charte du mentor"
    GUARDIAN = "guardian", "Accord du représentant légal"


class OwedEmailStatus(models.TextChoices):
    """Where an e-mail the platform owes stands (users.OwedEmail, the outbox)."""

    PENDING = "pending", "À envoyer"
    SENDING = "sending", "En cours d'envoi"
    SENT = "sent", "Envoyé"
    # The task found nothing left to say (a consent given, a proposal answered meanwhile).
    SKIPPED = "skipped", "Sans objet"
    FAILED = "failed", "En échec"
