from django.contrib.auth import forms as auth_forms

from .services import password_links_owe


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's form, whose sending is the service's: every active account reachable (Django's
    own ignores registrants without a password), the link owed through the outbox rather than
    sent during the request."""

    def save(self, **kwargs):
        password_links_owe(email=self.cleaned_data["email"])


class LoginForm(auth_forms.AuthenticationForm):
    # Django's French message reads "un adresse e-mail" and calls the address case-sensitive.
    error_messages = {
        **auth_forms.AuthenticationForm.error_messages,
        "invalid_login": "Adresse e-mail ou mot de passe incorrect.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "Adresse e-mail"
        self.fields["username"].widget.attrs.update({"autocomplete": "email", "inputmode": "email"})
