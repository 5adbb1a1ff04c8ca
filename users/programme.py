"""The programme's numbers, each stated once, beside the French words that say it.

Every page, e-mail and message reads them from here (templates through `rules`, put in their
context by the context processor and the e-mail helpers), so a number changed here changes
everywhere it is said. users is the bottom layer: every app may import this module.

Numbers that operators tune per deployment stay settings; they are worded here too, read when
the words are asked for (so `override_settings` and the environment are honoured)."""

import datetime

from django.conf import settings

# --- Who may be mentored: from collège (about 11) up to 30 years old.
MIN_AGE = 11
MAX_AGE = 30
MAJORITY_AGE = 18
# Below this age, the registration waits for the guardian's consent (RGPD art. 8, French law).
DIGITAL_CONSENT_AGE = 15

# --- The funders' report (« bilan ») counts young people by their age on the day their pair
# began, in these bands (both ends included): from MIN_AGE, minors apart, up to MAX_AGE.
AGE_BANDS = ((MIN_AGE, 15), (16, MAJORITY_AGE - 1), (MAJORITY_AGE, 25), (26, MAX_AGE))

# --- The mentoring's rhythm (seed: « une rencontre d'1h30 tous les 1 mois et demi »).
MINIMUM_MONTHS = 6
MEETING_INTERVAL = datetime.timedelta(days=45)
# The interval as a noun (« au plus tard un mois et demi après ») and as a rhythm (« une
# rencontre tous les mois et demi »): French says the two differently, so both are stated.
MEETING_INTERVAL_WORDS = "un mois et demi"
MEETING_RHYTHM_WORDS = "tous les mois et demi"
# A meeting counts for the rhythm from this length on (words: `duration_words`, « 1h30 »).
MINIMUM_SESSION_MINUTES = 90
# A meeting due within this delay is announced as « à prévoir ».
DUE_SOON = datetime.timedelta(days=7)
# A session, or an evaluation, can be corrected by its author this long after it was saved.
EDIT_WINDOW = datetime.timedelta(days=7)

# --- The coordinators' alert delays.
# A young person awaiting a mentor longer than this (since their approval) is an alert.
WAITING_ALERT = datetime.timedelta(days=30)
# A proposal still missing an answer this long after it was made: the coordinator calls.
PROPOSAL_UNANSWERED_AFTER = datetime.timedelta(days=7)
# How long before an honorability check ends the coordinators are warned to renew it (how
# long it stays valid is the setting SCREENING_VALIDITY_DAYS).
SCREENING_EXPIRY_WARNING = datetime.timedelta(days=60)

# --- Priority in batch matching: the coordinators' starting values on the weights page (points
# added to every pair of the young person, on top of the pair's score out of 100).
# A young person marked in at least one priority public (QPV, ASE, NEET…).
PRIORITY_PUBLIC_BONUS = 10
# Per whole month waited since the registration's approval, up to the cap (6 months' worth).
WAITING_BONUS_PER_MONTH = 2
WAITING_BONUS_CAP = 12


# --- When the reminders go out, counted from what they remind of.
LOG_SESSION_AFTER = datetime.timedelta(days=2)  # a planned meeting's day, to log the session
EVALUATE_AFTER = datetime.timedelta(days=3)  # a logged session, to evaluate it
QUESTIONNAIRE_AFTER = datetime.timedelta(days=7)  # a questionnaire opened, to fill it
CONSENT_FIRST_AFTER = datetime.timedelta(days=7)  # a minor's registration, to the guardian
CONSENT_SECOND_AFTER = datetime.timedelta(days=14)  # the same, a second and last time
PROPOSAL_AFTER = datetime.timedelta(days=5)  # a proposal, to the member who has not answered


def duration_words(minutes: int) -> str:
    """90 → « 1h30 », 60 → « 1h », 45 → « 45 minutes », 1 → « 1 minute »."""
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{minutes} minute{'s' if minutes > 1 else ''}"
    return f"{hours}h{rest:02d}" if rest else f"{hours}h"


def days_words(days: int) -> str:
    """7 → « 7 jours », 1 → « 1 jour »."""
    return f"{days} jour{'s' if days > 1 else ''}"


def characters_words(count: int) -> str:
    """2000 → « 2 000 caractères » (thousands spaced, as French writes them)."""
    return f"{count:,} caractère{'s' if count > 1 else ''}".replace(",", " ")


def months_words(months: int) -> str:
    """6 → « 6 mois » (the same word in the singular)."""
    return f"{months} mois"


def years_words(years: int) -> str:
    """3 → « 3 ans », 1 → « 1 an »."""
    return f"{years} an{'s' if years > 1 else ''}"


def age_band_words(low: int, high: int) -> str:
    """(11, 15) → « 11 à 15 ans »."""
    return f"{low} à {high} ans"


def delay_words(delay: datetime.timedelta) -> str:
    """A delay in the largest whole unit: 3 days → « 3 jours », 15 minutes → « 15 minutes »,
    90 minutes → « 1h30 », 1095 days → « 3 ans »."""
    seconds = int(delay.total_seconds())
    days, rest = divmod(seconds, 86400)
    if days and not rest:
        return years_words(days // 365) if days % 365 == 0 else days_words(days)
    return duration_words(seconds // 60)


RATE_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
# A single unit, as one says it: « réessayez dans une heure ».
ONE_UNIT_WORDS = {1: "une seconde", 60: "une minute", 3600: "une heure", 86400: "un jour"}


def rate_period_words(rate: str) -> str:
    """The period of a django-ratelimit rate: « 10/h » → « une heure », « 5/15m » →
    « 15 minutes »."""
    period = rate.partition("/")[2]
    count, unit = period[:-1], period[-1:]
    seconds = int(count or 1) * RATE_UNITS[unit]
    return ONE_UNIT_WORDS.get(seconds) or delay_words(datetime.timedelta(seconds=seconds))


def password_min_length() -> int:
    """The length the password validators demand (their MinimumLengthValidator), 0 if none."""
    # Imported here: the validators are built from the settings when first asked for.
    from django.contrib.auth.password_validation import (
        MinimumLengthValidator,
        get_default_password_validators,
    )

    return max(
        (
            validator.min_length
            for validator in get_default_password_validators()
            if isinstance(validator, MinimumLengthValidator)
        ),
        default=0,
    )


def lockout_delay() -> datetime.timedelta | None:
    """How long django-axes blocks a login after too many failures (AXES_COOLOFF_TIME, in any
    of the forms axes accepts)."""
    from axes.helpers import get_cool_off

    return get_cool_off()


class ProgrammeRules:
    """The numbers and their words as templates read them: `{{ rules.minimum_duration }}`.
    Settings are read at each access, never copied."""

    # Who may be mentored.
    min_age = MIN_AGE
    max_age = MAX_AGE
    majority_age = MAJORITY_AGE
    digital_consent_age = DIGITAL_CONSENT_AGE

    # The rhythm.
    minimum_months = MINIMUM_MONTHS
    minimum_duration = months_words(MINIMUM_MONTHS)
    meeting_interval = MEETING_INTERVAL_WORDS
    meeting_rhythm = MEETING_RHYTHM_WORDS
    meeting_interval_days = MEETING_INTERVAL.days
    session_minimum = duration_words(MINIMUM_SESSION_MINUTES)
    session_minimum_minutes = MINIMUM_SESSION_MINUTES
    due_soon_days = DUE_SOON.days
    due_soon = days_words(DUE_SOON.days)
    edit_window_days = EDIT_WINDOW.days
    edit_window = days_words(EDIT_WINDOW.days)

    # The alerts.
    waiting_alert_days = WAITING_ALERT.days
    waiting_alert = days_words(WAITING_ALERT.days)
    proposal_unanswered_days = PROPOSAL_UNANSWERED_AFTER.days
    proposal_unanswered = days_words(PROPOSAL_UNANSWERED_AFTER.days)
    screening_expiry_warning_days = SCREENING_EXPIRY_WARNING.days
    screening_expiry_warning = days_words(SCREENING_EXPIRY_WARNING.days)

    # Priority in batch matching (starting values: the weights page holds the current ones).
    priority_public_bonus = PRIORITY_PUBLIC_BONUS
    waiting_bonus_per_month = WAITING_BONUS_PER_MONTH
    waiting_bonus_cap = WAITING_BONUS_CAP

    # The reminders.
    proposal_reminder_after = days_words(PROPOSAL_AFTER.days)

    # Settings, read when asked for.
    @property
    def guardian_consent_link_days(self) -> int:
        return settings.GUARDIAN_CONSENT_LINK_MAX_AGE_DAYS

    @property
    def guardian_consent_link_validity(self) -> str:
        return days_words(settings.GUARDIAN_CONSENT_LINK_MAX_AGE_DAYS)

    @property
    def referral_link_days(self) -> int:
        return settings.REFERRAL_LINK_MAX_AGE_DAYS

    @property
    def referral_link_validity(self) -> str:
        return days_words(settings.REFERRAL_LINK_MAX_AGE_DAYS)

    @property
    def safeguarding(self) -> list[str]:
        """The programme's safeguarding rules, as a minor's guardian reads them when a mentor
        is proposed to their child (one sentence each)."""
        return [
            "Les rencontres ont lieu dans un lieu public (médiathèque, café, locaux de "
            "l'association ou de l'entreprise du mentor) ou en visio, jamais au domicile de "
            "l'un ou de l'autre.",
            "Un référent de l'équipe du programme suit le binôme : il relit chaque rencontre "
            "et reste joignable pendant tout le mentorat.",
            "Le mentor a signé la charte du mentorat : bienveillance, confidentialité, aucune "
            "relation en dehors du cadre du programme.",
            "Un mentor n'accompagne un mineur qu'avec une vérification d'honorabilité "
            "(extrait de casier judiciaire, consultation du FIJAIS) renouvelée tous les "
            f"{self.screening_validity}.",
        ]

    @property
    def screening_validity_days(self) -> int:
        return settings.SCREENING_VALIDITY_DAYS

    @property
    def screening_validity(self) -> str:
        return delay_words(datetime.timedelta(days=settings.SCREENING_VALIDITY_DAYS))

    @property
    def password_reset_validity(self) -> str:
        return delay_words(datetime.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT))

    @property
    def password_min_length(self) -> int:
        return password_min_length()

    @property
    def lockout(self) -> str:
        delay = lockout_delay()
        return delay_words(delay) if delay else ""

    @property
    def registration_retry(self) -> str:
        """How long somebody over the registration rate limit waits."""
        return rate_period_words(settings.REGISTRATION_RATE_LIMIT)

    @property
    def referent_caseload_cap(self) -> int:
        return settings.REFERENT_CASELOAD_CAP


RULES = ProgrammeRules()
