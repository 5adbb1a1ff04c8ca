from celery import shared_task
from django.apps import apps
from django.urls import reverse

from .emails import absolute_url, send_templated_email, set_password_url
from .models import User
from .outbox import owed_email_send, owed_emails_dispatch, owed_emails_prune

# The options of every task that sends an e-mail the platform owes (the name is older than
# the outbox). `owed_email` makes its `delay_on_commit` write an outbox row in the caller's
# transaction (mentorat/celery.py): the row is what is sent, by `send_owed_email`, whose
# failures are retried with backoff on the row (users/outbox.py), never by Celery.
EMAIL_RETRY = {"owed_email": True}


@shared_task(
    not_queued_note="it stays pending in the outbox, whose sweep sends it once the broker is back"
)
def send_owed_email(owed_email_id: int) -> str | None:
    """Send one outbox row (its id only: the row is read, and claimed, at send time)."""
    return owed_email_send(owed_email_id=owed_email_id)


@shared_task
def send_owed_emails() -> int:
    """Every minute (beat): queue the owed e-mails whose time has come."""
    return len(owed_emails_dispatch())


@shared_task
def prune_owed_emails() -> dict[str, int]:
    """Every night (beat): the outbox's sent rows past their retention go."""
    return owed_emails_prune()


@shared_task(**EMAIL_RETRY)
def send_registration_email(model_label: str, registration_id: int, kind: str) -> None:
    """kind: received, approved or rejected."""
    registration = (
        apps.get_model(model_label).objects.select_related("user").get(pk=registration_id)
    )
    user = registration.user
    send_templated_email(
        to=[user.email],
        template=f"users/email/registration_{kind}",
        context={
            "registration": registration,
            "user": user,
            "is_mentor": registration._meta.model_name == "mentor",
            "set_password_url": None if user.has_usable_password() else set_password_url(user),
            "login_url": absolute_url(reverse("login")),
        },
    )


@shared_task(**EMAIL_RETRY)
def send_account_exists_email(user_id: int) -> None:
    """Somebody registered again with an address that has an account: tell its owner."""
    user = User.objects.get(pk=user_id)
    send_templated_email(
        to=[user.email],
        template="users/email/account_exists",
        context={
            "user": user,
            "login_url": absolute_url(reverse("login")),
            "password_reset_url": absolute_url(reverse("password_reset")),
        },
    )


@shared_task(**EMAIL_RETRY)
def send_staff_invitation(user_id: int) -> None:
    """A new staff account: a link to choose a password (the account has none yet)."""
    user = User.objects.get(pk=user_id)
    send_templated_email(
        to=[user.email],
        template="users/email/staff_invitation",
        context={
            "user": user,
            "set_password_url": set_password_url(user),
            "admin_url": absolute_url(reverse("admin:index")),
        },
    )


@shared_task(**EMAIL_RETRY)
def send_password_reset_email(user_id: int) -> None:
    """The link to choose a new password, asked for on « mot de passe oublié »: made when the
    e-mail leaves, so a link sent late by the sweep is valid for its whole duration."""
    user = User.objects.get(pk=user_id)
    send_templated_email(
        to=[user.email],
        template="users/email/password_reset",
        context={"user": user, "set_password_url": set_password_url(user)},
    )
