"""The registry of personal data covers every field of every model linked to a person: a
field added later without a decision (erase, blank or keep) fails here."""

from django.apps import apps
from django.contrib.auth import get_user_model

from mentees.models import Mentee
from mentorat.privacy.registry import (
    FREE_TEXT,
    IDENTIFYING,
    KEPT,
    REGISTRY,
    classification,
)
from mentors.models import Mentor

PEOPLE = {get_user_model(), Mentor, Mentee}


def _targets(model) -> set:
    return {
        field.related_model
        for field in model._meta.get_fields()
        if field.concrete
        and (field.many_to_one or field.one_to_one or field.many_to_many)
        and field.related_model is not None
    }


def linked_to_a_person() -> set:
    """Models with a chain of foreign keys (or many-to-many) leading to a person: a pair's
    answers (Answer → Response → Mentorship → Mentee) as well as a consent (→ User)."""
    every = apps.get_models(include_auto_created=True)
    linked = set(PEOPLE)
    grew = True
    while grew:
        grew = False
        for model in every:
            if model not in linked and _targets(model) & linked:
                linked.add(model)
                grew = True
    return linked


def test_every_field_of_every_model_linked_to_a_person_is_classified():
    missing = []
    for model in linked_to_a_person():
        known = classification(model) or {}
        missing += [
            f"{model._meta.label}.{field.name}"
            for field in model._meta.concrete_fields
            if field.name not in known
        ]
    assert not missing, f"Classez ces champs dans mentorat/privacy/registry.py : {missing}"


def test_the_links_found_include_pairs_answers_history_and_through_tables():
    labels = {model._meta.label for model in linked_to_a_person()}
    assert {
        "evaluations.Answer",
        "mentoring_sessions.FollowUp",
        "mentees.HistoricalMentee",
        "matching.HistoricalMentorship",
        "mentors.Exchange_mentors",
        "users.User_groups",
    } <= labels


def test_every_registered_model_still_exists_with_every_registered_field():
    stale = []
    for label, fields in REGISTRY.items():
        try:
            model = apps.get_model(label)
        except LookupError:
            stale.append(label)
            continue
        names = {field.name for field in model._meta.concrete_fields}
        stale += [f"{label}.{name}" for name in fields if name not in names]
    assert not stale, f"Champs enregistrés qui n'existent plus : {stale}"


def test_every_classified_model_is_complete_and_uses_the_three_classes():
    for model in apps.get_models(include_auto_created=True):
        known = classification(model)
        if known is None:
            continue
        names = {field.name for field in model._meta.concrete_fields}
        assert names <= set(known), (model._meta.label, names - set(known))
        assert set(known.values()) <= {IDENTIFYING, FREE_TEXT, KEPT}


def test_names_e_mails_and_free_texts_are_not_kept():
    assert classification(get_user_model())["email"] == IDENTIFYING
    assert classification(Mentee)["guardian_email"] == IDENTIFYING
    assert classification(Mentee)["goals"] == FREE_TEXT
    assert classification(Mentee.history.model)["history_change_reason"] == FREE_TEXT
