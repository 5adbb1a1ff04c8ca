from celery import shared_task

from users.emails import absolute_url, send_templated_email, set_password_url
from users.tasks import EMAIL_RETRY

from .links import referral_registration_path
from .models import Prescriber, Referral


@shared_task(**EMAIL_RETRY)
def send_referral_invitation(referral_id: int) -> None:
    """The referred young person, and their guardian when a minor: the signed link to
    complete the registration. Nothing is sent once it is completed."""
    referral = Referral.objects.select_related("organisation").get(pk=referral_id)
    if referral.mentee_id is not None:
        return
    context = {
        "referral": referral,
        "registration_url": absolute_url(referral_registration_path(referral)),
    }
    send_templated_email(
        to=[referral.email], template="prescribers/email/referral_invitation", context=context
    )
    if referral.guardian_email:
        send_templated_email(
            to=[referral.guardian_email],
            template="prescribers/email/referral_guardian",
            context=context,
        )


@shared_task(**EMAIL_RETRY)
def send_prescriber_invitation(prescriber_id: int) -> None:
    """A new prescriber's account: a link to choose a password (the account has none yet)."""
    prescriber = Prescriber.objects.select_related("user", "organisation").get(pk=prescriber_id)
    send_templated_email(
        to=[prescriber.user.email],
        template="prescribers/email/prescriber_invitation",
        context={
            "prescriber": prescriber,
            "user": prescriber.user,
            "set_password_url": set_password_url(prescriber.user),
        },
    )
