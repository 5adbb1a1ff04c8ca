from django import forms

from users.form_bounds import bounded_formfield
from users.forms import RegistrationForm
from users.programme import RULES, characters_words

from .models import Mentor


class MentorRegistrationForm(RegistrationForm):
    accept_charter = forms.BooleanField(
        label=f"J'ai lu et je m'engage à respecter la charte du mentor (au moins "
        f"{RULES.minimum_duration} d'accompagnement, une rencontre d'au moins "
        f"{RULES.session_minimum} {RULES.meeting_rhythm}, bienveillance et confidentialité).",
        required=True,
        error_messages={"required": "Vous devez accepter la charte du mentor pour vous inscrire."},
    )

    class Meta:
        model = Mentor
        # The capacity's bounds (1 to 3) come from the model's validators, not Django's 0.
        formfield_callback = bounded_formfield
        fields = [
            "civility",
            "phone",
            "employer",
            "job_title",
            "sector",
            "years_of_experience",
            "help_topics",
            "sectors_to_share",
            "postal_code",
            "meeting_mode",
            "travels_whole_region",
            "availability",
            "languages",
            "capacity",
            "accepts_minors",
            "motivation",
        ]
        widgets = {
            "meeting_mode": forms.RadioSelect,
            "years_of_experience": forms.NumberInput(attrs={"min": 0, "max": 60}),
        }
        help_texts = {
            "postal_code": "Là où vous pouvez rencontrer un jeune (domicile ou travail).",
            "travels_whole_region": (
                "Sinon, vous rencontrez en personne des jeunes de votre département et des "
                "départements voisins."
            ),
            "capacity": "De 1 à 3 jeunes.",
            "accepts_minors": "Un contrôle d'honorabilité vous sera demandé.",
            "motivation": f"{characters_words(2000)} au maximum.",
        }
        error_messages = {
            "capacity": {
                "min_value": "Vous pouvez suivre au moins 1 jeune.",
                "max_value": "Vous pouvez suivre au plus 3 jeunes en même temps.",
            },
            "years_of_experience": {"max_value": "Indiquez un nombre d'années entre 0 et 60."},
        }

    fieldsets = [
        ("Vous", ["civility", "first_name", "last_name", "email", "phone"]),
        (
            "Votre parcours",
            ["employer", "job_title", "sector", "years_of_experience"],
        ),
        ("Ce que vous pouvez apporter", ["help_topics", "sectors_to_share"]),
        (
            "Vos rencontres",
            ["postal_code", "meeting_mode", "travels_whole_region", "availability", "languages"],
        ),
        ("Votre engagement", ["capacity", "accepts_minors", "motivation", "accept_charter"]),
    ]
    submit_label = "Devenir mentor"
