"""Templated e-mails: `<template>_subject.txt`, `_body.txt` and `_body.html`."""

import contextlib
import contextvars
import hashlib
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import sanitize_address
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


@dataclass
class OwedEmailRun:
    """What one run of an owed e-mail's task did (users/outbox.py reads it afterwards)."""

    owed_email_id: int
    # E-mails of this run sent, now or by an earlier run (their marker says so).
    sent: int = 0
    # The addresses and the subject of the last e-mail tried: the row's recipient and subject,
    # and the addresses to leave out of a recorded error.
    addresses: list[str] = field(default_factory=list)
    subject: str = ""
    # E-mails of this run sent by `send_templated_email`: their rank names their marker.
    unmarked: int = 0


_owed_email_run: contextvars.ContextVar[OwedEmailRun | None] = contextvars.ContextVar(
    "owed_email_run", default=None
)


@contextlib.contextmanager
def owed_email_run(owed_email_id: int):
    """While an outbox row's task runs: every e-mail it sends goes through a marker
    (`send_templated_email_once`), so that running it again sends only what was not sent."""
    run = OwedEmailRun(owed_email_id=owed_email_id)
    token = _owed_email_run.set(run)
    try:
        yield run
    finally:
        _owed_email_run.reset(token)


def send_templated_email(
    *, to: list[str], template: str, context: dict, attachments: list[Attachment] = ()
) -> None:
    """Sends now; within an outbox row's task (users/outbox.py), once only: keyed by the row,
    the e-mail's rank in the task's run (a task sends its e-mails in the same order each time
    it runs) and the template."""
    run = _owed_email_run.get()
    if run is not None:
        run.unmarked += 1
        send_templated_email_once(
            key=f"owed-email:{run.owed_email_id}:{run.unmarked}:{template}",
            to=to,
            template=template,
            context=context,
            attachments=attachments,
        )
        return
    _send(to=to, template=template, context=context, attachments=attachments)


def message_id(key: str) -> str:
    """The same Message-ID for every sending of one marked e-mail: if a worker dies after the
    mail server accepted it and before the marker is saved, the copy sent again carries the
    Message-ID of the first, which many mailboxes show once."""
    domain = sanitize_address(settings.DEFAULT_FROM_EMAIL, "utf-8").rpartition("@")[2].strip(">")
    return f"<{hashlib.sha256(key.encode()).hexdigest()[:32]}@{domain or 'localhost'}>"


def _send(
    *,
    to: list[str],
    template: str,
    context: dict,
    attachments: list[Attachment] = (),
    headers: dict | None = None,
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
    run = _owed_email_run.get()
    if run is not None:
        run.addresses, run.subject = list(to), subject
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"{template}_body.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=to,
        headers=headers,
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
    run = _owed_email_run.get()
    with transaction.atomic():
        SentEmail.objects.get_or_create(key=key)
        marker = SentEmail.objects.select_for_update().get(key=key)
        if marker.sent_at is not None:
            if run is not None:
                run.sent += 1
            return False
        _send(**email, headers={"Message-ID": message_id(key)})
        marker.sent_at = timezone.now()
        marker.save(update_fields=["sent_at"])
    if run is not None:
        run.sent += 1
    return True
