from django import forms

from evaluations.enums import InterviewWith
from evaluations.interviews import INTERVIEW_NOTES_MAX
from mentors.enums import ExchangeKind
from mentors.models import Mentor
from mentors.services_exchanges import NOTE_MAX_LENGTH


class FollowUpForm(forms.Form):
    reviewed = forms.BooleanField(label="Séance vue", required=False, initial=True)
    comment = forms.CharField(
        label="Commentaire",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 40}),
    )
    needs_attention = forms.BooleanField(label="À surveiller", required=False)


def person_name(path=""):
    """The fields a mentor's or a young person's name is made of (`User.__str__`), for
    `only()`: the rest of a registration is not shown where names are listed, and loading it
    costs (its phone numbers are parsed on load)."""
    return [f"{path}user__{field}" for field in ("first_name", "last_name", "email")]


def referent_mentors(referent):
    """The mentors a référent follows, with their names only, by name."""
    return (
        Mentor.objects.filter(referent=referent)
        .select_related("user")
        .only(*person_name())
        .order_by("user__last_name", "pk")
    )


class MentorChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.user.get_full_name() or obj.user.email


class ExchangeForm(forms.Form):
    mentors = MentorChoiceField(
        label="Mentors",
        queryset=Mentor.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="Cochez tous les mentors présents pour un atelier collectif.",
        error_messages={
            "required": "Choisissez au moins un mentor.",
            "invalid_choice": (
                "Vous ne pouvez noter un échange qu'avec les mentors que vous suivez."
            ),
        },
    )
    happened_on = forms.DateField(
        label="Date", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    kind = forms.ChoiceField(label="Type", choices=ExchangeKind.choices)
    note = forms.CharField(
        label="Note",
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
    )

    def __init__(self, *args, referent, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the référent's own mentors are offered, and accepted.
        self.fields["mentors"].queryset = referent_mentors(referent)


class ClosureInterviewForm(forms.Form):
    """What the référent types of the closure interview; the service checks the date and the
    notes' length (and who may write it), its messages shown beside these fields."""

    held_on = forms.DateField(
        label="Date de l'entretien",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": "Indiquez la date de l'entretien.",
            "invalid": "Saisissez une date valide, par exemple 15/03/2026.",
        },
    )
    held_with = forms.ChoiceField(
        label="Avec qui",
        choices=InterviewWith.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choisissez avec qui l'entretien a eu lieu.",
            "invalid_choice": "Choisissez avec qui l'entretien a eu lieu.",
        },
    )
    # No max_length: the service counts and says how much is too much.
    notes = forms.CharField(
        label="Notes",
        required=False,
        help_text=(
            "Ce qui s'est bien passé, ce qui a manqué, la suite envisagée "
            f"({INTERVIEW_NOTES_MAX} caractères au plus). Le mentor et le jeune les lisent dans "
            "« Mes données » (droit d'accès, RGPD) : écrivez-les pour eux aussi."
        ),
        widget=forms.Textarea(attrs={"rows": 6, "cols": 80, "maxlength": INTERVIEW_NOTES_MAX}),
    )
