from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout, Submit
from django import forms
from django.utils import timezone

from mentees.ages import MAJORITY_AGE, MAX_AGE, MIN_AGE, age_on
from mentees.forms import BIRTH_DATE_INVALID, birth_date_in_programme
from mentees.models import PriorityPublic
from users.forms import PHONE_INVALID
from users.programme import characters_words

from .models import Organisation, Referral

GUARDIAN_FIELDS = ("guardian_name", "guardian_email", "guardian_phone")
EMAIL_INVALID = "Saisissez une adresse e-mail valide (par exemple nom@exemple.fr)."


class PublicsField(forms.ModelMultipleChoiceField):
    """The active priority publics, as staff name them (a prescriber is a professional)."""

    def label_from_instance(self, obj):
        return obj.label


class ReferralForm(forms.ModelForm):
    """A prescriber refers a young person: who, why, which priority public, how to reach
    them (and their guardian for a minor)."""

    publics = PublicsField(
        label="Publics prioritaires auxquels le jeune appartient",
        help_text="Si vous le savez. L'équipe les confirme avec le jeune.",
        queryset=PriorityPublic.objects.none(),
        to_field_name="code",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Ce public n'est plus proposé : décochez-le."},
    )

    class Meta:
        model = Referral
        fields = [
            "first_name",
            "last_name",
            "email",
            "phone",
            "birth_date",
            "reason",
            "publics",
            "guardian_name",
            "guardian_email",
            "guardian_phone",
        ]
        labels = {
            "first_name": "Prénom du jeune",
            "last_name": "Nom du jeune",
            "email": "Adresse e-mail du jeune",
            "phone": "Téléphone du jeune",
            "birth_date": "Date de naissance",
            "reason": "Pourquoi un mentor l'aiderait",
            "guardian_name": "Nom et prénom du représentant légal",
            "guardian_email": "E-mail du représentant légal",
            "guardian_phone": "Téléphone du représentant légal",
        }
        help_texts = {
            "email": "Le jeune y reçoit le lien pour compléter son inscription lui-même.",
            "birth_date": f"Le programme accueille les jeunes de {MIN_AGE} à {MAX_AGE} ans.",
            "reason": f"Ses besoins, son projet, en quelques phrases ({characters_words(1000)} "
            "au maximum). L'équipe le lit ; le jeune peut le lire dans ses données.",
        }
        widgets = {
            "birth_date": forms.DateInput(attrs={"type": "date"}),
            "reason": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["publics"].queryset = PriorityPublic.objects.active()
        for name in ("email", "guardian_email"):
            self.fields[name].error_messages["invalid"] = EMAIL_INVALID
        for name in ("phone", "guardian_phone"):
            self.fields[name].error_messages["invalid"] = PHONE_INVALID
            self.fields[name].widget.input_type = "tel"
        self.fields["birth_date"].error_messages["invalid"] = BIRTH_DATE_INVALID
        for field in self.fields.values():
            if field.required:
                field.error_messages["required"] = "Ce champ est obligatoire."
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Fieldset("Le jeune", "first_name", "last_name", "email", "phone", "birth_date"),
            Fieldset("Pourquoi l'orienter", "reason", "publics"),
            Fieldset(
                f"S'il a moins de {MAJORITY_AGE} ans : son représentant légal", *GUARDIAN_FIELDS
            ),
        )
        self.helper.add_input(Submit("submit", "Envoyer le lien d'inscription"))

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

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
                        f"Obligatoire pour un jeune de moins de {MAJORITY_AGE} ans : son "
                        "représentant légal reçoit aussi le lien.",
                    )
            guardian_email = (cleaned.get("guardian_email") or "").lower()
            if guardian_email and guardian_email == cleaned.get("email"):
                self.add_error(
                    "guardian_email",
                    "L'adresse du représentant légal doit être différente de celle du jeune.",
                )
        return cleaned

    def referral_fields(self) -> dict:
        fields = {name: self.cleaned_data[name] for name in self._meta.fields}
        fields["publics"] = list(fields["publics"] or [])
        for name in ("phone", "guardian_phone"):
            fields[name] = fields[name] or ""
        return fields


class PrescriberAccountForm(forms.Form):
    """The coordinator's form to create a prescriber's account in the admin."""

    organisation = forms.ModelChoiceField(
        label="Structure", queryset=Organisation.objects.filter(is_active=True)
    )
    first_name = forms.CharField(label="Prénom", max_length=150)
    last_name = forms.CharField(label="Nom", max_length=150)
    email = forms.EmailField(
        label="Adresse e-mail",
        help_text="La personne y reçoit un lien pour choisir son mot de passe ; à sa première "
        "connexion, elle active son application d'authentification.",
        error_messages={"invalid": EMAIL_INVALID},
    )
    job_title = forms.CharField(label="Fonction", max_length=150, required=False)
