"""The right of access as people read it: the rows of `access.person_rows` grouped by topic,
labelled in French, with dates in words (Europe/Paris), the browser summarised and the
matching's explanation as sentences. The JSON download keeps the raw values
(`access.person_data`); this module only decides how they read on a page.

Internal numbers (the row's own id, the ids of the rows it links to) are left out of the page:
they mean nothing to the reader, and the download holds them. A technical item is shown only
where it says something about the person (a superuser flag that is off is not)."""

import dataclasses
import datetime

from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst

from users.fields import ChoiceListField
from users.programme import duration_words

from .access import Row
from .user_agents import browser_summary

# (title on the person's own page, title on the coordinator's page, sections in order).
TOPICS = [
    ("Mon compte", "Compte", ["Compte", "Préférences de rappels", "Appareils d'authentification"]),
    (
        "Mon inscription",
        "Inscription",
        [
            "Inscription comme jeune",
            "Publics prioritaires",
            "Inscription comme mentor",
            "Historique de l'inscription",
            "Contrôles d'honorabilité",
            "Échanges avec votre référent",
            "Formations",
            "Orientation par un prescripteur",
            "Compte de prescripteur",
        ],
    ),
    ("Mes consentements", "Consentements", ["Consentements"]),
    (
        "Mon binôme",
        "Binômes",
        [
            "Binômes",
            "Objectifs",
            "Prochaines rencontres",
            "Entretiens de fin",
            "Historique des binômes",
        ],
    ),
    (
        "Mes séances",
        "Séances",
        ["Séances", "Évaluations de séance écrites", "Suivis des séances"],
    ),
    (
        "Mes questionnaires",
        "Questionnaires",
        ["Questionnaires d'auto-évaluation", "Réponses aux questionnaires"],
    ),
    ("Mes rappels", "Rappels", ["Rappels envoyés"]),
    (
        "Mes connexions",
        "Connexions",
        ["Connexions", "Tentatives de connexion", "Échecs de connexion"],
    ),
]
# A section no topic names (a library's table added later) is still shown, here.
OTHER_TOPIC = ("Autres données", "Autres données")

# Fields whose verbose_name is Django's default (the English field name): their French label.
DEFAULT_NAME_LABELS = {
    "side": "écrite en tant que",
    "created_at": "date de création",
    "updated_at": "dernière modification",
}
# Labels that read better on a page than the model's own (a unit the value now says itself,
# a library's name).
PAGE_LABELS = {
    "duration_minutes": "durée",
    "user_agent": "navigateur",
    "history_date": "date de la modification",
    "history_type": "modification",
    "get_data": "paramètres de la page",
    "post_data": "données du formulaire",
    "score": "compatibilité",
    "path_info": "page",
    "username": "identifiant saisi",
}
# Links between rows and keys for the machines: in the download only.
TECHNICAL_FIELDS = {"id", "target", "period", "http_accept", "history_id"}
# Flags that say something only when they are on.
ONLY_WHEN_SET = {
    "is_superuser": "administrateur technique du site",
    "is_staff": "membre de l'équipe du programme",
}
EMPTY = "—"


@dataclasses.dataclass(frozen=True)
class Item:
    label: str
    text: str = ""
    # Several sentences (the explanation): a list on the page.
    sentences: tuple[str, ...] = ()


def french_datetime(value: datetime.datetime) -> str:
    """« 2 décembre 2026 à 04:36 », on Paris time."""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{french_date(local.date())} à {date_format(local, 'H:i')}"


def french_date(value: datetime.date) -> str:
    """« 2 décembre 2026 », « 1er mars 2027 »."""
    day = "1er" if value.day == 1 else str(value.day)
    return f"{day} {date_format(value, 'F Y')}"


def explanation_sentences(explanation) -> tuple[str, ...]:
    """The stored reasons ({label, ok}) of a pair's compatibility, each as a sentence."""
    sentences = []
    for reason in explanation or []:
        label = str(reason.get("label", "")).strip()
        if not label:
            continue
        if reason.get("ok"):
            label = label.removesuffix(" : oui")
            sentences.append(f"Point commun : {label}.")
        elif label.endswith(" : non"):
            # « aide à l'orientation : non »: the one help the mentor does not offer.
            sentences.append(
                f"À savoir : le mentor ne propose pas d'{label.removesuffix(' : non')}."
            )
        else:
            sentences.append(f"À savoir : {label}.")
    return tuple(sentences)


def _label(row: Row, field) -> str:
    if field.name in row.labels:
        return row.label(field)
    if field.name in PAGE_LABELS:
        return capfirst(PAGE_LABELS[field.name])
    verbose = str(field.verbose_name)
    if verbose == field.name.replace("_", " ") and field.name in DEFAULT_NAME_LABELS:
        return capfirst(DEFAULT_NAME_LABELS[field.name])
    return capfirst(verbose)


def _text(value) -> str:
    if value is None or value == "" or value == []:
        return EMPTY
    if isinstance(value, bool):
        return "Oui" if value else "Non"
    if isinstance(value, datetime.datetime):
        return french_datetime(value)
    if isinstance(value, datetime.date):
        return french_date(value)
    if isinstance(value, datetime.time):
        return date_format(value, "H:i")
    if isinstance(value, list | tuple):
        return ", ".join(_text(item) for item in value)
    if isinstance(value, dict):
        return ", ".join(f"{key} : {_text(item)}" for key, item in value.items())
    return str(value)


def _item(row: Row, field) -> Item | None:
    obj, name = row.obj, field.name
    if field.primary_key or field.is_relation or name in TECHNICAL_FIELDS:
        return None
    value = getattr(obj, field.attname)
    if name in ONLY_WHEN_SET:
        return Item(capfirst(ONLY_WHEN_SET[name]), "Oui") if value else None
    label = _label(row, field)
    if field.choices:
        return Item(label, _text(getattr(obj, f"get_{name}_display")()))
    if isinstance(field, ChoiceListField) and field.item_choices:
        labels = dict(field.item_choices)
        return Item(label, _text([str(labels.get(item, item)) for item in value or []]))
    if name == "explanation":
        return Item(label, sentences=explanation_sentences(value)) if value else Item(label, EMPTY)
    if name == "score" and value is not None:
        return Item(label, f"{value} sur 100")
    if name == "duration_minutes" and value:
        return Item(label, duration_words(value))
    if name == "user_agent":
        return Item(label, browser_summary(value))
    if isinstance(field, models.BooleanField):
        return Item(label, _text(bool(value)))
    return Item(label, _text(value))


def row_items(row: Row) -> list[Item]:
    # What the row is about (the question of an answer) before its values.
    extra = [Item(capfirst(str(label)), _text(value)) for label, value in row.extra.items()]
    return extra + [item for item in (_item(row, f) for f in row.fields()) if item]


def as_display(sections: dict[str, list[Row]], *, own: bool = True) -> list[dict]:
    """The sections as topics for a page: `own` for the person's own page (« Mon compte »),
    else the coordinator's. A section without rows is left out; a topic without any says so."""
    placed = {title for _own, _staff, titles in TOPICS for title in titles}
    others = [title for title in sections if title not in placed]
    topics = [*TOPICS, (*OTHER_TOPIC, others)] if others else TOPICS
    display = []
    for number, (own_title, staff_title, titles) in enumerate(topics, start=1):
        shown = [
            {
                "id": f"topic-{number}-{index}",
                "title": title,
                "rows": [row_items(row) for row in sections[title]],
            }
            for index, title in enumerate(titles, start=1)
            if sections.get(title)
        ]
        display.append(
            {
                "id": f"topic-{number}",
                "title": own_title if own else staff_title,
                "sections": shown,
            }
        )
    return display
