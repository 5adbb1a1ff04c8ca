"""The members' forms of the sessions app. They only read and type-check what people enter:
the programme's rules (dates within the pair's life, who may do what, edit windows) are
enforced by sessions.services, whose errors the views attach back to these fields."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout, Submit
from django import forms
from django.utils import timezone

from matching.rules import MINIMUM_SESSION_MINUTES
from users.forms import CHECKBOX_GROUP_REQUIRED
from users.programme import RULES, characters_words

from .enums import ObjectivesProgress, SessionFormat, SessionTopic
from .models import MAX_DURATION, MIN_DURATION
from .validators import LINK_INVALID, validate_web_link

DURATION_RANGE = f"La durée doit être comprise entre {MIN_DURATION} et {MAX_DURATION} minutes."
DURATION_INVALID = "Saisissez une durée en minutes, par exemple 90."
DATE_INVALID = "Saisissez une date valide."
DATETIME_INVALID = "Saisissez une date et une heure valides."
OBJECTIVES_PROGRESS_REQUIRED = "Indiquez où en sont les objectifs."
RATING_REQUIRED = "Choisissez une note de 1 à 5."
MENTOR_RATINGS = [
    (1, "1 – Très mal"),
    (2, "2 – Plutôt mal"),
    (3, "3 – Correctement"),
    (4, "4 – Bien"),
    (5, "5 – Très bien"),
]
MENTEE_RATINGS = [
    (1, "1 – Pas du tout utile"),
    (2, "2 – Peu utile"),
    (3, "3 – Assez utile"),
    (4, "4 – Utile"),
    (5, "5 – Très utile"),
]


def duration_field(label: str, help_text: str) -> forms.IntegerField:
    # The bounds are the service's, with its message: the person reads one wording whichever
    # layer refuses the value.
    return forms.IntegerField(
        label=label,
        min_value=MIN_DURATION,
        max_value=MAX_DURATION,
        help_text=help_text,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "step": 5}),
        error_messages={
            "min_value": DURATION_RANGE,
            "max_value": DURATION_RANGE,
            "invalid": DURATION_INVALID,
            "required": "Indiquez la durée en minutes.",
        },
    )


def _helper(*layout, submit_label: str) -> FormHelper:
    helper = FormHelper()
    # The template holds the <form> tag (with novalidate) and the error summary.
    helper.form_tag = False
    helper.layout = Layout(*layout)
    helper.add_input(Submit("submit", submit_label, css_class="btn-lg"))
    return helper


class SessionForm(forms.Form):
    """What the mentor records about a meeting."""

    held_on = forms.DateField(
        label="Date de la séance",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": "Indiquez la date de la séance.", "invalid": DATE_INVALID},
    )
    duration_minutes = duration_field(
        "Durée (en minutes)",
        f"Entre {MIN_DURATION} et {MAX_DURATION} minutes. Le programme demande des rencontres "
        f"d'au moins {RULES.session_minimum} ({MINIMUM_SESSION_MINUTES} minutes) : une séance "
        "plus courte est "
        "enregistrée, mais signalée.",
    )
    format = forms.ChoiceField(
        label="Format",
        choices=SessionFormat.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choisissez le format de la séance."},
    )
    topics = forms.MultipleChoiceField(
        label="Sujets abordés",
        choices=SessionTopic.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": CHECKBOX_GROUP_REQUIRED},
    )
    other_topic = forms.CharField(
        label="Autre sujet",
        required=False,
        max_length=200,
        help_text="Si vous avez coché « Autre ».",
    )
    summary = forms.CharField(
        label="Résumé",
        max_length=2000,
        help_text="Ce que vous avez fait et dit, en quelques lignes.",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": "Résumez la séance en quelques lignes.",
            "max_length": f"Le résumé est limité à {characters_words(2000)}.",
        },
    )
    next_steps = forms.CharField(
        label="Prochaines étapes",
        required=False,
        max_length=1000,
        help_text="Ce que chacun prépare pour la prochaine fois.",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "max_length": f"Les prochaines étapes sont limitées à {characters_words(1000)}."
        },
    )

    def __init__(self, *args, submit_label: str = "Enregistrer la séance", **kwargs):
        super().__init__(*args, **kwargs)
        # A date picker that offers future days invites a refused date.
        self.fields["held_on"].widget.attrs["max"] = timezone.localdate().isoformat()
        self.helper = _helper(
            Fieldset("La rencontre", "held_on", "duration_minutes", "format", css_class="mb-0"),
            Fieldset("Son contenu", "topics", "other_topic", "summary", "next_steps"),
            submit_label=submit_label,
        )

    @classmethod
    def initial_from(cls, session) -> dict:
        return {name: getattr(session, name) for name in cls.base_fields}


class EvaluationForm(forms.Form):
    """One member's evaluation. The mentor's version also asks how the objectives move; the
    side comes from who is logged in, never from the form."""

    rating = forms.TypedChoiceField(
        coerce=int, widget=forms.RadioSelect, error_messages={"required": RATING_REQUIRED}
    )
    objectives_progress = forms.ChoiceField(
        label="Où en sont les objectifs du binôme ?",
        choices=ObjectivesProgress.choices,
        widget=forms.RadioSelect,
        error_messages={"required": OBJECTIVES_PROGRESS_REQUIRED},
    )
    comment = forms.CharField(
        label="Commentaire",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": f"Le commentaire est limité à {characters_words(1000)}."},
    )

    def __init__(self, *args, is_mentor: bool, **kwargs):
        super().__init__(*args, **kwargs)
        rating = self.fields["rating"]
        if is_mentor:
            rating.label = "Comment s'est passée la séance ?"
            rating.choices = MENTOR_RATINGS
            self.fields[
                "comment"
            ].help_text = "Facultatif. Lu par l'équipe du programme et votre référent."
            layout = ["rating", "objectives_progress", "comment"]
        else:
            rating.label = "Cette séance t'a-t-elle été utile ?"
            rating.choices = MENTEE_RATINGS
            self.fields[
                "comment"
            ].help_text = "Facultatif. Lu par l'équipe du programme, pas par ton mentor."
            del self.fields["objectives_progress"]
            layout = ["rating", "comment"]
        self.helper = _helper(*layout, submit_label="Enregistrer mon évaluation")

    @staticmethod
    def initial_from(evaluation) -> dict:
        if evaluation is None:
            return {}
        return {
            "rating": evaluation.rating,
            "objectives_progress": evaluation.objectives_progress,
            "comment": evaluation.comment,
        }


class MeetingForm(forms.Form):
    """The next meeting, proposed by either member."""

    starts_at = forms.DateTimeField(
        label="Date et heure",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={
            "required": "Indiquez la date et l'heure de la rencontre.",
            "invalid": DATETIME_INVALID,
        },
    )
    duration_minutes = duration_field(
        "Durée prévue (en minutes)",
        f"Au moins {RULES.session_minimum} ({MINIMUM_SESSION_MINUTES} minutes) pour compter "
        "dans le programme.",
    )
    place = forms.CharField(
        label="Lieu",
        required=False,
        max_length=200,
        help_text="Une adresse ou un lieu public (médiathèque, café…). Ou un lien de visio.",
    )
    video_link = forms.URLField(
        label="Lien de visio",
        required=False,
        max_length=500,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"inputmode": "url"}),
        validators=[validate_web_link],
        error_messages={"invalid": LINK_INVALID},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["starts_at"].widget.attrs["min"] = timezone.localtime().strftime(
            "%Y-%m-%dT%H:%M"
        )
        self.helper = _helper(
            "starts_at",
            "duration_minutes",
            "place",
            "video_link",
            submit_label="Enregistrer la rencontre",
        )

    @classmethod
    def initial_from(cls, meeting) -> dict:
        if meeting is None:
            return {"duration_minutes": MINIMUM_SESSION_MINUTES}
        return {name: getattr(meeting, name) for name in cls.base_fields}


class FollowUpForm(forms.Form):
    """The référent's follow-up of a session."""

    reviewed = forms.BooleanField(label="J'ai lu cette séance", required=False, initial=True)
    needs_attention = forms.BooleanField(
        label="À surveiller",
        required=False,
        help_text="Le binôme a besoin d'un appel ou d'un accompagnement particulier.",
    )
    comment = forms.CharField(
        label="Commentaire du référent",
        required=False,
        max_length=2000,
        # Part of both members' data: shown to them on request (right of access).
        help_text=(
            "Lu par l'équipe du programme, et par le mentor et le jeune dans « Mes données » "
            "(droit d'accès, RGPD)."
        ),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": f"Le commentaire est limité à {characters_words(2000)}."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            "reviewed", "needs_attention", "comment", submit_label="Enregistrer le suivi"
        )

    @staticmethod
    def initial_from(follow_up) -> dict:
        if follow_up is None:
            return {"reviewed": True}
        return {
            "reviewed": True,
            "needs_attention": follow_up.needs_attention,
            "comment": follow_up.comment,
        }
