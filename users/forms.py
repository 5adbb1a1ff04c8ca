"""Form pieces shared by the two public registration forms."""

import copy

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Fieldset, Layout, Submit
from django import forms
from django.conf import settings
from django.urls import reverse
from django.utils.html import format_html

from .enums import Civility, MeetingMode

PHONE_INVALID = "Saisissez un numéro de téléphone valide (par exemple 06 12 34 56 78)."
CHECKBOX_GROUP_REQUIRED = "Cochez au moins une case."


class RegistrationForm(forms.ModelForm):
    """A public registration: account identity, the registration's own fields, the privacy
    notice and a honeypot. Subclasses declare Meta and `fieldsets`."""

    first_name = forms.CharField(
        label="Prénom", max_length=150, widget=forms.TextInput(attrs={"autocomplete": "given-name"})
    )
    last_name = forms.CharField(
        label="Nom", max_length=150, widget=forms.TextInput(attrs={"autocomplete": "family-name"})
    )
    email = forms.EmailField(
        label="Adresse e-mail",
        max_length=254,
        help_text="Vous recevrez un e-mail pour choisir votre mot de passe.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "invalid": "Saisissez une adresse e-mail valide (par exemple nom@exemple.fr)."
        },
    )
    accept_privacy = forms.BooleanField(
        required=True,
        error_messages={
            "required": "Vous devez accepter la politique de confidentialité pour vous inscrire."
        },
    )
    # Honeypot: hidden from people (display: none), filled by naive bots.
    website = forms.CharField(label="Site web (laisser vide)", required=False)

    fieldsets: list[tuple[str, list[str]]] = []
    submit_label = "Envoyer mon inscription"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Built as the GET of the public page builds it: no data, no initial, no instance.
        self._built_blank = not args and not kwargs
        self._blank_initial = copy.deepcopy(self.initial) if self._built_blank else None
        self.fields["accept_privacy"].label = format_html(
            "J'ai lu et j'accepte la <a href=\"{}\">politique de confidentialité</a>.",
            reverse(settings.PAGE_URLS["privacy_notice"]),
        )
        self.fields["website"].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})
        self.fields["civility"].choices = [("", "Non précisée"), *Civility.choices]
        self.fields["civility"].required = False
        # A radio group needs no "---------" choice: nothing is ticked until the person picks.
        self.fields["meeting_mode"].choices = MeetingMode.choices
        phone = self.fields["phone"]
        phone.error_messages["invalid"] = PHONE_INVALID
        phone.widget.input_type = "tel"
        phone.widget.attrs.update({"autocomplete": "tel"})
        self.fields["postal_code"].widget.attrs.update(
            {"inputmode": "numeric", "autocomplete": "postal-code", "pattern": "[0-9]{5}"}
        )
        for field in self.fields.values():
            if isinstance(field.widget, forms.CheckboxSelectMultiple) and field.required:
                field.error_messages["required"] = CHECKBOX_GROUP_REQUIRED
            if isinstance(field.widget, forms.Textarea):
                field.widget.attrs.setdefault("rows", 4)
        self.helper = FormHelper()
        self.helper.form_tag = False
        # The page's template puts the token in the <form> it opens, per visitor: crispy's own
        # (a second, identical input) would be frozen into the rendering kept for everybody.
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            *(Fieldset(legend, *names) for legend, names in self.fieldsets),
            Div("website", css_class="d-none"),
            "accept_privacy",
        )
        self.helper.add_input(Submit("submit", self.submit_label, css_class="btn-lg"))

    def is_blank(self) -> bool:
        """The empty form every visitor gets, whose fields' HTML can be rendered once
        (`{% blankform %}`, users/templatetags/blank_forms.py): built with no argument (no
        data, no `initial` such as a referral's prefill), unbound and with no error."""
        return (
            self._built_blank
            and not self.is_bound
            and not self._errors
            # Nobody filled `initial` in after building it.
            and self.initial == self._blank_initial
        )

    def blank_key(self) -> tuple:
        """What the blank form shows from the database, as a short hashable value: a
        subclass whose choices are data returns their version."""
        return ()

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def is_bot(self) -> bool:
        return bool(self.cleaned_data.get("website"))

    def registration_fields(self) -> dict:
        """The cleaned values that belong to the registration model itself."""
        return {name: self.cleaned_data[name] for name in self._meta.fields}
