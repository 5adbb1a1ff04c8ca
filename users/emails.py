"""Templated e-mails: `<template>_subject.txt`, `_body.txt` and `_body.html`."""

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from .programme import RULES


def absolute_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def set_password_url(user) -> str:
    """A one-time link to choose a password (Django's password-reset confirmation view)."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return absolute_url(reverse("password_reset_confirm", args=[uid, token]))


def send_templated_email(*, to: list[str], template: str, context: dict) -> None:
    context = {
        "programme_name": settings.PROGRAMME_NAME,
        "association_name": settings.ASSOCIATION_NAME,
        "contacts": settings.PROGRAMME_CONTACTS,
        "site_url": settings.SITE_URL,
        # The programme's numbers and their words: e-mails say them, never restate them.
        "rules": RULES,
        **context,
    }
    # Subjects never carry personal data: they travel through relays and logs in clear.
    subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"{template}_body.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=to,
    )
    message.attach_alternative(render_to_string(f"{template}_body.html", context), "text/html")
    message.send()
