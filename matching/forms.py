from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout
from django import forms

from users.programme import characters_words

ACCEPT = "accept"
DECLINE = "decline"
REASON_REQUIRED = "Le motif est obligatoire pour refuser : quelques mots suffisent."
DECISION_MISSING = "Choisissez « J'accepte » ou « Je refuse »."


class MentorshipResponseForm(forms.Form):
    """A member's answer to a proposal. The decision comes from the button pressed (accept
    or decline); the reason is required only to decline. Prefixed with the pair's id so that
    several forms can share the « Mes propositions » page with distinct ids."""

    # Not rendered as a field: the two submit buttons carry it.
    decision = forms.CharField(required=False)
    reason = forms.CharField(
        label="En cas de refus, pourquoi ?",
        required=False,
        max_length=1000,
        strip=True,
        help_text="Obligatoire pour refuser. Seule l'équipe du programme lit ce motif.",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": f"Le motif est limité à {characters_words(1000)}."},
    )

    def __init__(self, *args, mentorship, **kwargs):
        super().__init__(*args, prefix=f"binome-{mentorship.pk}", **kwargs)
        self.helper = FormHelper()
        # The template holds the <form> tag, the CSRF token and the two decision buttons.
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout("reason")

    def clean(self):
        cleaned = super().clean()
        decision = cleaned.get("decision")
        if decision not in (ACCEPT, DECLINE):
            # Only a hand-made request gets here: the page's buttons always send a decision.
            raise forms.ValidationError(DECISION_MISSING)
        if decision == DECLINE and not cleaned.get("reason") and "reason" not in self.errors:
            self.add_error("reason", REASON_REQUIRED)
        return cleaned

    @property
    def accepts(self) -> bool:
        return self.cleaned_data["decision"] == ACCEPT
