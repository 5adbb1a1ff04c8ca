"""The registry of personal data: every concrete field of every model that holds or links to
a person, classified as

- IDENTIFYING: names, addresses, phones, e-mails, exact dates of birth, places... replaced
  on erasure by a neutral value;
- FREE_TEXT: whatever somebody typed (summaries, comments, motivations), blanked on erasure,
  since nobody can tell what it says about whom;
- KEPT: what the programme's statistics need (dates, statuses, scores, counts, département,
  links between rows), kept after erasure.

tests/mentorat/test_privacy_registry.py fails when a model linked to a person has a field
missing from here: a new personal field cannot slip through the access export and erasure.
Historical models of django-simple-history share their model's classification; third-party
models (login attempts of django-axes, second-factor devices of django-otp) are classified
by the class they inherit, so that any of them installed later is covered."""

from django.db import models

IDENTIFYING = "identifying"
FREE_TEXT = "free_text"
KEPT = "kept"


def _kept(*names: str) -> dict[str, str]:
    return dict.fromkeys(names, KEPT)


REGISTRATION = {
    **_kept("id", "user", "civility", "department", "meeting_mode", "availability"),
    **_kept("languages", "status", "reviewed_at", "reviewed_by", "created_at", "updated_at"),
    # The antenne a person belongs to is, like the département, a statistic.
    "antenne": KEPT,
    "phone": IDENTIFYING,
    "postal_code": IDENTIFYING,
    "rejection_reason": FREE_TEXT,
}

REGISTRY: dict[str, dict[str, str]] = {
    "users.User": {
        **_kept("id", "last_login", "is_superuser", "is_staff", "is_active", "date_joined"),
        "password": IDENTIFYING,
        "first_name": IDENTIFYING,
        "last_name": IDENTIFYING,
        "email": IDENTIFYING,
        # A mail server refused the address: when (kept), and its answer, which may quote it.
        "email_refused_at": KEPT,
        "email_refused_reason": FREE_TEXT,
    },
    # The outbox: a task and its ids, a subject (never personal data), who it was for.
    "users.OwedEmail": {
        **_kept("id", "task", "args", "kwargs", "recipient", "subject", "status", "attempts"),
        **_kept("created_at", "next_attempt_at", "done_at"),
        # A mail server's error may quote the address (the outbox leaves it out, as it can).
        "last_error": FREE_TEXT,
    },
    "users.User_groups": _kept("id", "user", "group"),
    "users.User_user_permissions": _kept("id", "user", "permission"),
    "users.Consent": {
        **_kept("id", "user", "kind", "version", "given_at"),
        "given_by_name": IDENTIFYING,
        "given_by_email": IDENTIFYING,
    },
    # Antennes: an antenne is no person; its contacts are the antenne's (a team address, a
    # staff member's name and phone chosen to be shown to its members).
    "users.Antenne": {
        **_kept("id", "name", "target_pairs_per_year", "created_at"),
        "contact_name": IDENTIFYING,
        "contact_email": IDENTIFYING,
        "contact_phone": IDENTIFYING,
        "address": IDENTIFYING,
        "opening_hours": KEPT,
    },
    "users.AntenneDepartment": _kept("id", "antenne", "department"),
    "users.AntenneMembership": _kept("id", "antenne", "user", "role", "created_at"),
    # A person moved between antennes: who, when, where to are kept; the reason is typed.
    "users.AntenneMove": {
        **_kept("id", "person", "from_antenne", "to_antenne", "moved_at", "moved_by"),
        "reason": FREE_TEXT,
    },
    "privacy.ErasureRecord": _kept("id", "person_id", "reason", "performed_at", "performed_by"),
    "privacy.DataAccessRecord": _kept("id", "person_id", "accessed_by", "accessed_at", "format"),
    "mentors.Mentor": {
        **REGISTRATION,
        **_kept("sector", "years_of_experience", "help_topics", "sectors_to_share", "capacity"),
        **_kept("accepts_minors", "charter_version", "charter_accepted_at", "referent"),
        **_kept("travels_whole_region"),
        "employer": IDENTIFYING,
        "job_title": IDENTIFYING,
        "motivation": FREE_TEXT,
    },
    "mentors.ScreeningRecord": {
        **_kept("id", "mentor", "checked_on", "checked_by", "created_at"),
        "document": FREE_TEXT,
    },
    "mentors.Exchange": {
        **_kept("id", "referent", "happened_on", "kind", "created_at"),
        "note": FREE_TEXT,
    },
    "mentors.Exchange_mentors": _kept("id", "exchange", "mentor"),
    # A training session is the programme's; a mentor's seat and attendance are statistics.
    "mentors.TrainingSession": _kept(
        "id", "kind", "title", "starts_at", "duration_minutes", "place", "video_link"
    )
    | _kept("capacity", "created_by", "created_at"),
    "mentors.TrainingRegistration": _kept(
        "id", "session", "mentor", "signed_up_at", "attended", "attendance_recorded_by"
    )
    | _kept("attendance_recorded_at"),
    # The publics a young person belongs to are what the funders' report counts: kept, as
    # the rest of the statistics, once the person is erased.
    "mentees.PriorityMark": {
        **_kept("id", "mentee", "public", "declared_by", "declared_by_user", "declared_at"),
        **_kept("confirmed_at", "confirmed_by"),
    },
    "mentees.Mentee": {
        **REGISTRATION,
        # The year is kept (age bands, minors' rules); the exact date identifies.
        "birth_date": IDENTIFYING,
        **_kept("situation", "needs", "sectors_of_interest"),
        **_kept("wants_same_gender_mentor", "guardian_consent_at"),
        "school_or_structure": IDENTIFYING,
        "mission_locale_name": IDENTIFYING,
        "goals": FREE_TEXT,
        "guardian_name": IDENTIFYING,
        "guardian_email": IDENTIFYING,
        "guardian_phone": IDENTIFYING,
    },
    # Prescribers: the organisation is no person; a prescriber's account is a User (their
    # names and address are there), their job title identifies them.
    "prescribers.Prescriber": {
        **_kept("id", "user", "organisation", "created_at", "created_by"),
        "job_title": IDENTIFYING,
    },
    # A referral holds a young person's identity before any registration: erased with the
    # young person once registered (privacy/erasure.py), and with the prescriber who typed it
    # while never completed. What the dashboard counts stays: organisation, dates, publics.
    "prescribers.Referral": {
        **_kept("id", "prescriber", "organisation", "created_at", "mentee", "registered_at"),
        "first_name": IDENTIFYING,
        "last_name": IDENTIFYING,
        "email": IDENTIFYING,
        "phone": IDENTIFYING,
        "birth_date": IDENTIFYING,
        "guardian_name": IDENTIFYING,
        "guardian_email": IDENTIFYING,
        "guardian_phone": IDENTIFYING,
        "reason": FREE_TEXT,
    },
    "prescribers.Referral_publics": _kept("id", "referral", "prioritypublic"),
    "prescribers.ReferralConsultation": _kept(
        "id", "referral", "consulted_by", "consulted_at", "page"
    ),
    "matching.MatchingWeights": _kept(
        "id", "needs", "sectors", "place", "availability", "language", "meeting_format"
    )
    | _kept("availability_required", "updated_at")
    | _kept("initial_training_required")
    | _kept("priority_bonus", "waiting_bonus_per_month", "waiting_bonus_cap"),
    "matching.Mentorship": {
        **_kept("id", "mentor", "mentee", "status", "score", "explanation", "proposed_by"),
        **_kept("proposed_at", "mentor_response", "mentor_responded_at", "mentee_response"),
        **_kept("mentee_responded_at", "started_on", "activated_by", "introduced_by"),
        **_kept("ended_on", "close_reason", "closed_by", "last_session_on"),
        **_kept("last_qualifying_session_on"),
        **_kept("qualifying_sessions"),
        "decline_reason": FREE_TEXT,
        "close_comment": FREE_TEXT,
    },
    "matching.Objective": {
        **_kept("id", "mentorship", "status", "created_by", "created_at", "status_changed_at"),
        "title": FREE_TEXT,
        "description": FREE_TEXT,
    },
    "matching.MatchingBatch": _kept(
        "id", "created_by", "created_at", "mentee_ids", "status", "progress", "result"
    )
    | _kept("confirmed_at", "error", "antenne"),
    "mentoring_sessions.Session": {
        **_kept("id", "mentorship", "held_on", "duration_minutes", "format", "topics"),
        **_kept("logged_by", "logged_at"),
        "other_topic": FREE_TEXT,
        "summary": FREE_TEXT,
        "next_steps": FREE_TEXT,
    },
    "mentoring_sessions.SessionEvaluation": {
        **_kept("id", "session", "side", "rating", "objectives_progress", "author"),
        **_kept("created_at", "updated_at"),
        "comment": FREE_TEXT,
    },
    "mentoring_sessions.FollowUp": {
        **_kept("id", "session", "reviewed", "reviewed_at", "reviewed_by", "needs_attention"),
        "comment": FREE_TEXT,
    },
    "mentoring_sessions.PlannedMeeting": {
        **_kept("id", "mentorship", "starts_at", "duration_minutes", "planned_by", "updated_at"),
        "place": IDENTIFYING,
        "video_link": IDENTIFYING,
    },
    "evaluations.Response": _kept(
        "id", "mentorship", "moment", "questionnaire", "status", "started_at", "updated_at"
    )
    | _kept("submitted_at", "reopened_at", "reopened_by", "read_at", "read_by", "side"),
    # The référent's closure interview: when and with whom are statistics, the notes are
    # what they typed about the two members.
    "evaluations.ClosureInterview": {
        **_kept("id", "mentorship", "held_on", "held_with", "recorded_by", "created_at"),
        **_kept("updated_at"),
        "notes": FREE_TEXT,
    },
    "evaluations.Answer": {
        **_kept("id", "response", "question", "scale_value", "choice_values"),
        "text_value": FREE_TEXT,
    },
    "reminders.Reminder": {
        **_kept("id", "kind", "target", "recipient", "period", "status", "created_at"),
        **_kept("sent_at", "attempts"),
        "recipient_email": IDENTIFYING,
        # A mail server's error may quote the address.
        "last_error": FREE_TEXT,
    },
    "reminders.ReminderPreference": _kept("id", "user", "frequency"),
    # The admin's journal names the objects staff changed (a person's name, as object_repr).
    "admin.LogEntry": {
        **_kept("id", "action_time", "user", "content_type", "object_id", "action_flag"),
        "object_repr": IDENTIFYING,
        "change_message": FREE_TEXT,
    },
}

HISTORY_FIELDS = {
    **_kept("history_id", "history_date", "history_type", "history_user"),
    "history_change_reason": FREE_TEXT,
}

# django-axes: login attempts and logs, matched to a person by the login they typed.
AXES_FIELDS = {
    **_kept("id", "attempt_time", "logout_time", "locked_out", "failures_since_start"),
    "username": IDENTIFYING,
    "ip_address": IDENTIFYING,
    "user_agent": IDENTIFYING,
    "http_accept": KEPT,
    "path_info": KEPT,
    "session_hash": IDENTIFYING,
    "get_data": FREE_TEXT,
    "post_data": FREE_TEXT,
}


# The history of a many-to-many relation: one row per link, per change of the parent.
M2M_HISTORY_FIELDS = _kept("history", "m2m_history_id")


def is_historical(model) -> bool:
    """A django-simple-history table: of a model, or of a many-to-many relation."""
    return isinstance(getattr(model, "instance_type", None), type)


def _history_fields(model) -> dict[str, str]:
    names = {field.name for field in model._meta.concrete_fields}
    return M2M_HISTORY_FIELDS if "m2m_history_id" in names else HISTORY_FIELDS


def is_axes_log(model) -> bool:
    return model._meta.app_label == "axes" and any(
        base.__name__ == "AccessBase" for base in model.__mro__
    )


def is_otp_device(model) -> bool:
    """A second-factor device (django-otp): a credential, deleted on erasure. Its proxies
    (users.AuthenticatorDevice, the French name of the admin) hold the same rows: only the
    concrete model counts, so that a person's devices are read and deleted once."""
    try:
        from django_otp.models import Device
    except ImportError:  # pragma: no cover - django-otp is a dependency
        return False
    return issubclass(model, Device) and not model._meta.abstract and not model._meta.proxy


def classification(model) -> dict[str, str] | None:
    """The classification of `model`'s concrete fields by name, or None if unregistered."""
    # A proxy has its concrete model's fields and rows.
    model = model._meta.concrete_model
    if is_historical(model):
        base = classification(model.instance_type)
        return None if base is None else {**base, **_history_fields(model)}
    if is_otp_device(model):
        # Everything is a secret or describes the secret: the whole device goes.
        return {field.name: IDENTIFYING for field in model._meta.concrete_fields}
    if is_axes_log(model):
        return {
            field.name: AXES_FIELDS[field.name]
            for field in model._meta.concrete_fields
            if field.name in AXES_FIELDS
        } or None
    return REGISTRY.get(model._meta.label)


def fields_of(model, kind: str) -> list[models.Field]:
    names = {name for name, value in (classification(model) or {}).items() if value == kind}
    return [field for field in model._meta.concrete_fields if field.name in names]
