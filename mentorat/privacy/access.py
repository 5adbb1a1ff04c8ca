"""The right of access: everything the platform holds on one person, in French-labelled
sections: `person_data` for the JSON download (machine-readable values), `person_rows` for
the pages (mentorat/privacy/display.py writes them for people). One query per section whatever
the amount of data, so that the pages and the download stay fast for a mentor with years of
sessions."""

import dataclasses
import datetime
from decimal import Decimal

from django.apps import apps
from django.db.models import Q
from django.utils import timezone
from django.utils.text import capfirst

from evaluations.models import Answer, ClosureInterview, Response
from matching.enums import Side
from matching.models import Mentorship, Objective
from mentees.models import Mentee, PriorityMark
from mentors.models import Exchange, Mentor, ScreeningRecord, TrainingRegistration
from prescribers.models import Prescriber, Referral
from reminders.models import Reminder, ReminderPreference
from sessions.models import FollowUp, PlannedMeeting, Session, SessionEvaluation
from users.fields import ChoiceListField
from users.models import AuthenticatorDevice, Consent, User
from users.scopes import StaffScope

from .models import DataAccessRecord
from .registry import is_axes_log, is_otp_device

# Secrets are never handed out, not even to their owner.
SECRET_FIELDS = {"password", "key", "session_hash", "token"}


def _value(obj, field):
    if field.choices:
        return getattr(obj, f"get_{field.name}_display")()
    value = getattr(obj, field.attname)
    if isinstance(field, ChoiceListField) and field.item_choices:
        labels = dict(field.item_choices)
        return [str(labels.get(item, item)) for item in value or []]
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat() if timezone.is_aware(value) else value
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if value is None or isinstance(value, bool | int | float | str | list | dict):
        return value
    return str(value)


def _label(field, name: str | None = None) -> str:
    label = str(name or field.verbose_name)
    if field.is_relation:
        label = f"{label} (n°)"
    return capfirst(label)


@dataclasses.dataclass(frozen=True)
class Row:
    """One row of a section, kept as the object itself so that the JSON export and the page
    each present it their own way: raw values for machines, sentences for people."""

    obj: object
    extra: dict = dataclasses.field(default_factory=dict)
    skip: frozenset = frozenset()
    labels: dict = dataclasses.field(default_factory=dict)

    def fields(self) -> list:
        return [
            f for f in self.obj._meta.concrete_fields if f.name not in SECRET_FIELDS | self.skip
        ]

    def label(self, model_field) -> str:
        return _label(model_field, self.labels.get(model_field.name))

    def as_json(self) -> dict:
        """{French label: machine-readable value}, the download's row."""
        row = {self.label(f): _value(self.obj, f) for f in self.fields()}
        return {**row, **self.extra}


def _history(model, **lookup) -> list[Row]:
    history = model.history.model
    return [
        Row(row, skip=frozenset({"history_user", "history_change_reason"}))
        for row in history.objects.filter(**lookup).order_by("history_date", "history_id")
    ]


def _third_party(user) -> dict[str, list[Row]]:
    sections = {}
    for model in apps.get_models():
        if is_axes_log(model):
            title = model._meta.verbose_name_plural
            rows = [
                Row(row) for row in model.objects.filter(username__iexact=user.email).order_by("pk")
            ]
        elif is_otp_device(model):
            # django-otp's names are English: its devices under the French ones of the proxy,
            # every kind of device in one section.
            title = AuthenticatorDevice._meta.verbose_name_plural
            labels = AuthenticatorDevice.FIELD_LABELS
            rows = [
                Row(row, labels=labels) for row in model.objects.filter(user=user).order_by("pk")
            ]
        else:
            continue
        sections.setdefault(capfirst(str(title)), []).extend(rows)
    return sections


def person_rows(*, user) -> dict[str, list[Row]]:
    """Every section about `user`, each a list of rows (objects with their French labels)."""
    mentor = Mentor.objects.filter(user=user).first()
    mentee = Mentee.objects.filter(user=user).first()
    pairs = list(
        Mentorship.objects.filter(Q(mentor__user=user) | Q(mentee__user=user)).order_by(
            "proposed_at", "pk"
        )
    )
    pair_ids = [pair.pk for pair in pairs]
    sessions = list(Session.objects.filter(mentorship__in=pair_ids).order_by("held_on", "pk"))
    # The person's own questionnaires: the young person's self-assessment and closure one, the
    # mentor's closure one (never the other member's words).
    own = Q(side=Side.MENTEE, mentorship__mentee__user=user) | Q(
        side=Side.MENTOR, mentorship__mentor__user=user
    )
    responses = Response.objects.filter(own)
    answers = (
        Answer.objects.filter(response__in=responses)
        .select_related("question", "response")
        .order_by("response_id", "question__order", "pk")
    )
    return {
        "Compte": [Row(user)],
        "Inscription comme mentor": [Row(mentor)] if mentor else [],
        "Inscription comme jeune": [Row(mentee)] if mentee else [],
        # In the words the young person ticked them, with who declared and confirmed them.
        "Publics prioritaires": [
            Row(
                mark,
                extra={
                    "Public prioritaire": mark.public.label,
                    "En clair": mark.public.question,
                },
            )
            for mark in PriorityMark.objects.filter(mentee__user=user)
            .select_related("public")
            .order_by("public__order", "pk")
        ],
        # What a prescriber wrote when they referred the young person (theirs to read too).
        "Orientation par un prescripteur": [
            Row(r) for r in Referral.objects.filter(mentee__user=user).order_by("pk")
        ],
        "Compte de prescripteur": [Row(p) for p in Prescriber.objects.filter(user=user)],
        "Consentements": [Row(c) for c in Consent.objects.filter(user=user).order_by("pk")],
        "Contrôles d'honorabilité": [
            Row(s) for s in ScreeningRecord.objects.filter(mentor__user=user).order_by("pk")
        ],
        "Échanges avec votre référent": [
            Row(e) for e in Exchange.objects.filter(mentors__user=user).order_by("pk")
        ],
        "Formations": [
            Row(seat, extra={"Session": str(seat.session)})
            for seat in TrainingRegistration.objects.filter(mentor__user=user)
            .select_related("session")
            .order_by("pk")
        ],
        "Binômes": [Row(pair) for pair in pairs],
        "Objectifs": [
            Row(o) for o in Objective.objects.filter(mentorship__in=pair_ids).order_by("pk")
        ],
        "Séances": [Row(s) for s in sessions],
        "Évaluations de séance écrites": [
            Row(e) for e in SessionEvaluation.objects.filter(author=user).order_by("pk")
        ],
        "Suivis des séances": [
            Row(f) for f in FollowUp.objects.filter(session__mentorship__in=pair_ids)
        ],
        "Entretiens de fin": [
            Row(i) for i in ClosureInterview.objects.filter(mentorship__in=pair_ids).order_by("pk")
        ],
        "Prochaines rencontres": [
            Row(m) for m in PlannedMeeting.objects.filter(mentorship__in=pair_ids)
        ],
        "Questionnaires d'auto-évaluation": [Row(r) for r in responses.order_by("pk")],
        "Réponses aux questionnaires": [
            Row(a, extra={"Question": a.question.text, "Moment": a.response.get_moment_display()})
            for a in answers
        ],
        "Rappels envoyés": [
            Row(r)
            for r in Reminder.objects.filter(
                Q(recipient=user) | Q(recipient_email=user.email)
            ).order_by("pk")
        ],
        "Préférences de rappels": [Row(p) for p in ReminderPreference.objects.filter(user=user)],
        "Historique de l'inscription": (_history(Mentor, id=mentor.pk) if mentor else [])
        + (_history(Mentee, id=mentee.pk) if mentee else []),
        "Historique des binômes": _history(Mentorship, id__in=pair_ids),
        **_third_party(user),
    }


def person_data(*, user) -> dict[str, list[dict]]:
    """Every section about `user`, each a list of rows labelled in French, with
    machine-readable values (the JSON download)."""
    return {
        title: [row.as_json() for row in rows] for title, rows in person_rows(user=user).items()
    }


def json_response(data: dict, *, filename: str):
    from django.http import JsonResponse

    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def persons_within(scope: StaffScope):
    """The people whose data a coordinator exports and erases (rights of access and to
    erasure): everybody for the national coordination; for an antenne's, the people registered
    in it, as a mentor or as a young person (an anonymised one included: the registration
    stays). A prescriber, a member of the team or an account without a registration is the
    national coordination's. Nobody for anybody else."""
    return scope.within(User.objects.all(), "mentor__antenne", "mentee__antenne")


def person_within(scope: StaffScope, person: User) -> bool:
    """Whether `person` is in `persons_within(scope)`; no query for the national scope."""
    return scope.national or persons_within(scope).filter(pk=person.pk).exists()


def person_data_accessed(*, person: User, accessed_by: User, format: str) -> DataAccessRecord:
    """Keep the trace of a right-of-access export (whose data, read by whom, in which form)."""
    return DataAccessRecord.objects.create(
        person_id=person.pk, accessed_by=accessed_by, format=format
    )
