"""Templated e-mails: `<template>_subject.txt`, `_body.txt` and `_body.html`."""

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from .models import SentEmail
from .programme import RULES


def absolute_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def set_password_url(user) -> str:
    """A one-time link to choose a password (Django's password-reset confirmation view)."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return absolute_url(reverse("password_reset_confirm", args=[uid, token]))


# An attached file: (file name, content, MIME type), as EmailMessage.attach takes it.
Attachment = tuple[str, bytes | str, str]


def send_templated_email(
    *, to: list[str], template: str, context: dict, attachments: list[Attachment] = ()
) -> None:
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
    for name, content, mimetype in attachments:
        message.attach(name, content, mimetype)
    message.send()


def send_templated_email_once(*, key: str, **email) -> bool:
    """`send_templated_email` for one event and one recipient, `key` naming both with ids only
    (e.g. "mentorship-closed:12:mentor"): True when this call sent it. The marker row is
    locked while the e-mail goes out, so a second run waits and then sends nothing; a mail
    error rolls the marker back, for the task's retry to send it."""
    with transaction.atomic():
        SentEmail.objects.get_or_create(key=key)
        marker = SentEmail.objects.select_for_update().get(key=key)
        if marker.sent_at is not None:
            return False
        send_templated_email(**email)
        marker.sent_at = timezone.now()
        marker.save(update_fields=["sent_at"])
    return True
