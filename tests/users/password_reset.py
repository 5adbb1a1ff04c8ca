from django.test import TestCase
from django.urls import reverse


def ask_password_link(client, email: str, **extra):
    """Post « mot de passe oublié » as a browser does; the e-mail it owes leaves after the
    commit (the outbox), as in production."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(reverse("password_reset"), {"email": email}, **extra)
