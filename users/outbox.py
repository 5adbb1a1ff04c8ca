"""The outbox: every e-mail the platform owes is a row (users.OwedEmail) written in the same
transaction as the change that owes it, then sent by one path, `owed_email_send`:

1. the row is claimed (locked, marked « en cours d'envoi » with a claim that expires after
   OWED_EMAIL_CLAIM_SECONDS, committed), so a second message for it does nothing;
2. its task runs, outside any transaction: each e-mail goes through its once-only marker
   (users.SentEmail, `send_templated_email_once`), so a run after a failure or a worker's
   death sends only what was not sent;
3. the row is marked sent (or « sans objet » when nothing was left to say), or the attempt is
   recorded: retried by the sweep after a backoff (1, 2, 4 … 32 minutes), and after
   MAX_ATTEMPTS tries, or at once for a permanent refusal (a 5xx answer), marked failed with
   the reason. Coordinators resend failed rows from the admin (`owed_emails_resend`).

The sweep (`owed_emails_dispatch`, every minute in Celery beat; `manage.py send_owed_emails`
without it) sends the rows whose time has come: a broker that was down when the row was
written, a retry's backoff over, a claim expired because its worker died."""

import datetime
import logging
from smtplib import SMTPException, SMTPRecipientsRefused, SMTPResponseException

from celery import current_app
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .emails import owed_email_run
from .enums import OwedEmailStatus
from .models import OwedEmail, SentEmail, User

logger = logging.getLogger(__name__)

# What a mail server or the network raises (ConnectionError, TimeoutError are OSErrors).
MAIL_ERRORS = (SMTPException, OSError)
# Tries of one e-mail before it is marked failed: the first and six retries, waiting
# 1, 2, 4, 8, 16 then 32 minutes (about an hour in all).
MAX_ATTEMPTS = 7
RETRY_BASE_SECONDS = 60
RETRY_MAX_SECONDS = 3600
# The sweep dispatches this many rows at most per run (it runs every minute).
SWEEP_BATCH = 500
# What stands for the recipient's address in a recorded error (servers often quote it).
ADDRESS_PLACEHOLDER = "<destinataire>"


def _seconds(name: str) -> datetime.timedelta:
    return datetime.timedelta(seconds=getattr(settings, name))


def owed_email_record(*, task: str, args: tuple | list, kwargs: dict) -> OwedEmail:
    """The row of an e-mail task owed by the current transaction (ids only as arguments): sent
    right after the commit, or by the sweep OWED_EMAIL_SWEEP_DELAY_SECONDS later at the
    latest. Rolled back with the transaction, it owes nothing."""
    now = timezone.now()
    return OwedEmail.objects.create(
        task=task,
        args=list(args),
        kwargs=dict(kwargs),
        created_at=now,
        next_attempt_at=now + _seconds("OWED_EMAIL_SWEEP_DELAY_SECONDS"),
    )


def _claim(owed_email_id: int, now: datetime.datetime) -> OwedEmail | None:
    with transaction.atomic():
        row = OwedEmail.objects.select_for_update().filter(pk=owed_email_id).first()
        if row is None:
            return None
        expired_claim = row.status == OwedEmailStatus.SENDING and row.next_attempt_at <= now
        if row.status != OwedEmailStatus.PENDING and not expired_claim:
            return None
        row.status = OwedEmailStatus.SENDING
        row.attempts += 1
        row.next_attempt_at = now + _seconds("OWED_EMAIL_CLAIM_SECONDS")
        row.save(update_fields=["status", "attempts", "next_attempt_at"])
        return row


def owed_email_send(*, owed_email_id: int) -> str | None:
    """Send the row's e-mails if it is still owed; the row's new status, or None when there
    was nothing to do (sent already, or being sent by another worker). Never raises for a
    failed attempt: it is recorded on the row, which the sweep sends again after the backoff."""
    row = _claim(owed_email_id, timezone.now())
    if row is None:
        return None
    with owed_email_run(row.pk) as run:
        try:
            task = current_app.tasks[row.task]
            task(*row.args, **row.kwargs)
        except Exception as error:  # every failure is recorded on the row
            return _attempt_failed(row, error, run)
    status = OwedEmailStatus.SENT if run.sent else OwedEmailStatus.SKIPPED
    OwedEmail.objects.filter(pk=row.pk).update(
        status=status,
        done_at=timezone.now(),
        subject=run.subject or row.subject,
        recipient_id=_recipient_id(row, run.addresses),
    )
    return status


def _recipient_id(row: OwedEmail, addresses: list[str]) -> int | None:
    if row.recipient_id is not None or not addresses:
        return row.recipient_id
    return User.objects.filter(email__iexact=addresses[0]).values_list("pk", flat=True).first()


def _smtp_code(error: BaseException) -> int | None:
    if isinstance(error, SMTPResponseException):
        return error.smtp_code
    if isinstance(error, SMTPRecipientsRefused) and error.recipients:
        return min(code for code, _ in error.recipients.values())
    return None


def is_permanent(error: BaseException) -> bool:
    """A 5xx answer: trying again would get the same (an unknown address, a refused sender)."""
    code = _smtp_code(error)
    return code is not None and code >= 500


def _text(message) -> str:
    return message.decode("utf-8", "replace") if isinstance(message, bytes) else str(message)


def describe_mail_error(error: BaseException, addresses: list[str] = ()) -> str:
    """The error in one line, without the recipient's address (servers quote it)."""
    if isinstance(error, SMTPRecipientsRefused):
        detail = "; ".join(f"{code} {_text(msg)}" for code, msg in error.recipients.values())
    elif isinstance(error, SMTPResponseException):
        detail = f"{error.smtp_code} {_text(error.smtp_error)}"
    else:
        detail = str(error)
    for address in list(addresses) + list(getattr(error, "recipients", None) or ()):
        detail = detail.replace(address, ADDRESS_PLACEHOLDER)
    return f"{type(error).__name__}: {' '.join(detail.split())}"[:1000]


def flag_refused_addresses(error: BaseException, now: datetime.datetime) -> None:
    """Each address refused for good is flagged on its account (shown on the person's admin
    page, cleared when the address changes)."""
    if not isinstance(error, SMTPRecipientsRefused):
        return
    for address, (code, message) in error.recipients.items():
        if code >= 500:
            reason = f"{code} {_text(message)}".replace(address, ADDRESS_PLACEHOLDER)
            User.objects.filter(email__iexact=address).update(
                email_refused_at=now, email_refused_reason=" ".join(reason.split())[:500]
            )


def _attempt_failed(row: OwedEmail, error: BaseException, run) -> str:
    now = timezone.now()
    reason = describe_mail_error(error, run.addresses)
    mail_error = isinstance(error, MAIL_ERRORS)
    if mail_error and is_permanent(error):
        flag_refused_addresses(error, now)
    final = (mail_error and is_permanent(error)) or row.attempts >= MAX_ATTEMPTS
    if final:
        status, next_attempt_at = OwedEmailStatus.FAILED, row.next_attempt_at
    else:
        backoff = min(RETRY_BASE_SECONDS * 2 ** (row.attempts - 1), RETRY_MAX_SECONDS)
        status = OwedEmailStatus.PENDING
        next_attempt_at = now + datetime.timedelta(seconds=backoff)
    OwedEmail.objects.filter(pk=row.pk).update(
        status=status,
        last_error=reason,
        next_attempt_at=next_attempt_at,
        subject=run.subject or row.subject,
        recipient_id=_recipient_id(row, run.addresses),
    )
    # Logged by type and row only: the error's text can quote the address.
    if not mail_error:
        logger.exception("Owed e-mail %s (%s) failed: %s", row.pk, row.task, type(error).__name__)
    elif final:
        logger.error(
            "Owed e-mail %s (%s) failed after %s attempt(s): %s",
            row.pk,
            row.task,
            row.attempts,
            type(error).__name__,
        )
    else:
        logger.warning(
            "Owed e-mail %s (%s) not sent, retried later: %s",
            row.pk,
            row.task,
            type(error).__name__,
        )
    return status


def owed_emails_dispatch(*, now: datetime.datetime | None = None) -> list[int]:
    """The sweep: queue the rows whose time has come (the oldest first). A broker that cannot
    be reached stops it; the next sweep goes on."""
    from .tasks import send_owed_email

    now = now or timezone.now()
    ids = list(
        OwedEmail.objects.due(now=now)
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    for pk in ids:
        send_owed_email.apply_async((pk,))
    if ids:
        logger.info("Outbox sweep: %s owed e-mail(s) queued.", len(ids))
    return ids


@transaction.atomic
def owed_emails_resend(*, ids) -> int:
    """Put failed rows back in the queue (the admin's « Renvoyer »); the attempts start again,
    the last error stays until the next one. Returns how many were put back."""
    from .tasks import send_owed_email

    now = timezone.now()
    failed = list(
        OwedEmail.objects.failed()
        .filter(pk__in=ids)
        .select_for_update()
        .values_list("pk", flat=True)
    )
    OwedEmail.objects.filter(pk__in=failed).update(
        status=OwedEmailStatus.PENDING,
        attempts=0,
        next_attempt_at=now + _seconds("OWED_EMAIL_SWEEP_DELAY_SECONDS"),
    )
    for pk in failed:
        send_owed_email.delay_on_commit(pk)
    return len(failed)


def owed_emails_prune(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """RGPD: sent rows go after OWED_EMAIL_RETENTION_DAYS, failed ones (and the once-only
    markers, which must outlive any row that could be resent) after a year."""
    now = now or timezone.now()
    sent_before = now - datetime.timedelta(days=settings.OWED_EMAIL_RETENTION_DAYS)
    year_before = now - datetime.timedelta(days=365)
    done = OwedEmail.objects.filter(
        status__in=[OwedEmailStatus.SENT, OwedEmailStatus.SKIPPED], done_at__lt=sent_before
    ).delete()[0]
    failed = OwedEmail.objects.failed().filter(created_at__lt=year_before).delete()[0]
    markers = SentEmail.objects.filter(sent_at__lt=year_before).delete()[0]
    return {"sent": done, "failed": failed, "markers": markers}
