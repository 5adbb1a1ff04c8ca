from django import forms

from . import two_factor


class CodeForm(forms.Form):
    """A 6-digit code checked against one device (throttled by django-otp)."""

    code = forms.RegexField(
        label="Code à 6 chiffres",
        regex=r"^\d{6}$",
        max_length=6,
        error_messages={
            "required": "Saisissez le code à 6 chiffres affiché par votre application.",
            "invalid": "Le code se compose de 6 chiffres.",
        },
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": r"\d{6}"}
        ),
    )

    def __init__(self, *args, device, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_code(self):
        code = self.cleaned_data["code"]
        error = two_factor.check_code(device=self.device, code=code)
        if error:
            raise forms.ValidationError(error)
        return code
