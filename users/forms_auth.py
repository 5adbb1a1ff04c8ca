from django.contrib.auth import forms as auth_forms
from django.contrib.auth import get_user_model

from .tasks import send_password_reset_email


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Registrants start without a password (they choose one from their acknowledgement
    e-mail); Django's form ignores such accounts, so somebody who lost that e-mail could never
    get in. Active accounts are all reachable here."""

    def get_users(self, email):
        users = get_user_model()._default_manager.filter(email__iexact=email, is_active=True)
        return (user for user in users if user.email.lower() == email.lower())

    def save(self, **kwargs):
        """Owed through the outbox, as every e-mail of the platform (Django's form would send
        it during the request, and a mail server's failure would lose it)."""
        for user in self.get_users(self.cleaned_data["email"]):
            send_password_reset_email.delay_on_commit(user.pk)


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
