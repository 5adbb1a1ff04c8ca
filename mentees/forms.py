from django import forms
from django.utils import timezone

from users.forms import PHONE_INVALID, RegistrationForm
from users.programme import characters_words

from .ages import MAJORITY_AGE, MAX_AGE, MIN_AGE, age_on, age_refusal
from .models import Mentee, PriorityPublic
from .priority import MISSION_LOCALE, active_publics_version

GUARDIAN_FIELDS = ("guardian_name", "guardian_email", "guardian_phone")


BIRTH_DATE_INVALID = "Saisissez une date de naissance valide (jour/mois/année)."


def birth_date_in_programme(birth_date):
    """A young person's date of birth, refused in French outside the programme's ages (their
    own registration and a prescriber's referral ask the same)."""
    refusal = age_refusal(birth_date, timezone.localdate())
    if refusal:
        raise forms.ValidationError(refusal, code="age")
    return birth_date


class PublicsField(forms.ModelMultipleChoiceField):
    """The active priority publics as boxes, each worded as the young person would say it
    (`question`), posted by their code."""

    def label_from_instance(self, obj):
        return obj.question


class MenteeRegistrationForm(RegistrationForm):
    class Meta:
        model = Mentee
        fields = [
            "civility",
            "phone",
            "birth_date",
            "situation",
            "school_or_structure",
            "mission_locale_name",
            "needs",
            "sectors_of_interest",
            "goals",
            "postal_code",
            "meeting_mode",
            "availability",
            "languages",
            "wants_same_gender_mentor",
            "guardian_name",
            "guardian_email",
            "guardian_phone",
        ]
        widgets = {
            "birth_date": forms.DateInput(attrs={"type": "date", "autocomplete": "bday"}),
            "meeting_mode": forms.RadioSelect,
        }
        labels = {
            "mission_locale_name": "Laquelle ?",
            "needs": "J'ai besoin d'aide pour",
            "sectors_of_interest": "Les secteurs qui m'intéressent",
            "goals": "Ce que j'attends du mentorat, avec mes mots",
            "wants_same_gender_mentor": "Je préfère un mentor du même genre que moi",
            "guardian_name": "Nom et prénom du représentant légal",
            "guardian_email": "E-mail du représentant légal",
            "guardian_phone": "Téléphone du représentant légal",
        }
        help_texts = {
            "birth_date": f"Le programme accueille les jeunes de {MIN_AGE} à {MAX_AGE} ans.",
            "school_or_structure": "Collège, lycée, université, entreprise, association…",
            "postal_code": "Là où tu habites.",
            "mission_locale_name": "Si une Mission Locale t'accompagne.",
            "goals": f"{characters_words(1500)} au maximum.",
        }

    fieldsets = [
        ("Toi", ["civility", "first_name", "last_name", "email", "phone", "birth_date"]),
        (
            "Ta situation",
            [
                "situation",
                "school_or_structure",
                "priority_publics",
                "mission_locale_name",
            ],
        ),
        ("Tes besoins", ["needs", "sectors_of_interest", "goals"]),
        (
            "Tes rencontres",
            [
                "postal_code",
                "meeting_mode",
                "availability",
                "languages",
                "wants_same_gender_mentor",
            ],
        ),
        (
            f"Si tu as moins de {MAJORITY_AGE} ans : ton représentant légal",
            list(GUARDIAN_FIELDS),
        ),
    ]
    submit_label = "Trouver un mentor"

    priority_publics = PublicsField(
        label="Coche ce qui te correspond",
        help_text="Si tu veux. Tes réponses aident l'équipe à accompagner d'abord les jeunes "
        "qui en ont le plus besoin.",
        queryset=PriorityPublic.objects.none(),
        to_field_name="code",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Ce choix n'est plus proposé : décoche-le."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the publics coordinators keep proposed, in their order.
        self.fields["priority_publics"].queryset = PriorityPublic.objects.active()
        # A young person is addressed as « tu »: the shared registration form says « vous ».
        self.fields["email"].help_text = "Tu recevras un e-mail pour choisir ton mot de passe."
        self.fields["accept_privacy"].error_messages["required"] = (
            "Tu dois accepter la politique de confidentialité pour t'inscrire."
        )
        self.fields["guardian_phone"].error_messages["invalid"] = PHONE_INVALID
        self.fields["guardian_phone"].widget.input_type = "tel"
        self.fields["birth_date"].error_messages["invalid"] = BIRTH_DATE_INVALID

    def blank_key(self) -> tuple:
        # The boxes of the active publics are data: the empty form changes with them.
        return (active_publics_version(),)

    def clean_birth_date(self):
        return birth_date_in_programme(self.cleaned_data["birth_date"])

    def clean(self):
        cleaned = super().clean()
        birth_date = cleaned.get("birth_date")
        if birth_date and age_on(birth_date, timezone.localdate()) < MAJORITY_AGE:
            for name in GUARDIAN_FIELDS:
                if not cleaned.get(name) and name not in self.errors:
                    self.add_error(
                        name,
                        forms.ValidationError(
                            f"Obligatoire pour les moins de {MAJORITY_AGE} ans : ton "
                            "représentant légal doit donner son accord.",
                            code="guardian_required",
                        ),
                    )
            guardian_email = (cleaned.get("guardian_email") or "").lower()
            if guardian_email and guardian_email == cleaned.get("email"):
                self.add_error(
                    "guardian_email",
                    "L'adresse du représentant légal doit être différente de la tienne.",
                )
        publics = cleaned.get("priority_publics") or []
        if any(public.code == MISSION_LOCALE for public in publics) and not cleaned.get(
            "mission_locale_name"
        ):
            self.add_error("mission_locale_name", "Indique le nom de ta Mission Locale.")
        if cleaned.get("wants_same_gender_mentor") and not cleaned.get("civility"):
            self.add_error(
                "civility",
                "Indique ta civilité pour que nous puissions te proposer un mentor du même genre.",
            )
        return cleaned

    def registration_fields(self) -> dict:
        # The publics ticked are marks of their own, which the service records.
        return {
            **super().registration_fields(),
            "priority_publics": list(self.cleaned_data.get("priority_publics") or []),
        }


class GuardianConsentForm(forms.Form):
    guardian_name = forms.CharField(
        label="Votre nom et prénom",
        max_length=300,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    agree = forms.BooleanField(
        label="Je donne mon accord à la participation de mon enfant au programme de mentorat et "
        "au traitement de ses données décrit dans la politique de confidentialité.",
        error_messages={"required": "Cochez cette case pour donner votre accord."},
    )
