from smtplib import SMTPException

from celery import shared_task
from django.apps import apps
from django.urls import reverse

from .emails import absolute_url, send_templated_email, set_password_url
from .models import User

# Transient mail-server failures are retried with exponential backoff (1, 2, 4 … minutes).
EMAIL_RETRY = {
    "autoretry_for": (SMTPException, ConnectionError, TimeoutError),
    "retry_backoff": 60,
    "retry_backoff_max": 3600,
    "max_retries": 6,
}


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
