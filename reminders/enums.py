from django.db import models

from users.programme import RULES


class ReminderKind(models.TextChoices):
    MEETING_DUE_SOON = "meeting_due_soon", f"Rencontre à prévoir sous {RULES.due_soon}"
    MEETING_OVERDUE = "meeting_overdue", "Rencontre en retard"
    MEETING_OVERDUE_REFERENT = (
        "meeting_overdue_referent",
        "Alerte au référent : rencontre en retard",
    )
    # The référent's overdue alerts of one sweep, gathered in one e-mail (the alerts above
    # stay one row per pair and due date: what makes each pair told once).
    REFERENT_OVERDUE_DIGEST = (
        "referent_overdue_digest",
        "Alerte au référent : binômes avec une rencontre en retard",
    )
    LOG_SESSION = "log_session", "Séance à enregistrer"
    EVALUATE_SESSION = "evaluate_session", "Séance à évaluer"
    START_QUESTIONNAIRE = "start_questionnaire", "Questionnaire de début à remplir"
    END_QUESTIONNAIRE = "end_questionnaire", "Questionnaire de fin à remplir"
    GUARDIAN_CONSENT = "guardian_consent", "Accord du représentant légal en attente"
    PROPOSAL_UNANSWERED = "proposal_unanswered", "Proposition de binôme sans réponse"
    REFERENT_DIGEST = "referent_digest", "Récapitulatif hebdomadaire du référent"
    COORDINATOR_DIGEST = "coordinator_digest", "Récapitulatif hebdomadaire de la coordination"


# Always sent, whatever the person's preference.
ESSENTIAL_KINDS = {
    ReminderKind.MEETING_DUE_SOON,
    ReminderKind.MEETING_OVERDUE,
    ReminderKind.MEETING_OVERDUE_REFERENT,
    ReminderKind.REFERENT_OVERDUE_DIGEST,
    ReminderKind.START_QUESTIONNAIRE,
    ReminderKind.END_QUESTIONNAIRE,
    ReminderKind.GUARDIAN_CONSENT,
}


class ReminderStatus(models.TextChoices):
    PENDING = "pending", "À envoyer"
    SENT = "sent", "Envoyé"
    FAILED = "failed", "Échec"
    SKIPPED = "skipped", "Non envoyé (préférence)"


class ReminderFrequency(models.TextChoices):
    EVERY_TIME = "every_time", "À chaque fois"
    WEEKLY = "weekly", "Au plus un par semaine"
    ESSENTIAL_ONLY = "essential_only", "Seulement les rappels indispensables"
