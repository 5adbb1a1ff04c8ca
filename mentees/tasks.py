from celery import shared_task

from users.antennes import contacts_for_registration
from users.emails import absolute_url, send_templated_email
from users.tasks import EMAIL_RETRY

from .consent import guardian_consent_path
from .models import Mentee


@shared_task(**EMAIL_RETRY)
def send_guardian_consent_request(mentee_id: int) -> None:
    mentee = Mentee.objects.select_related("user", "antenne").get(pk=mentee_id)
    if mentee.guardian_consent_at is not None or not mentee.guardian_email:
        return
    send_templated_email(
        to=[mentee.guardian_email],
        template="mentees/email/guardian_consent_request",
        context={
            "mentee": mentee,
            "consent_url": absolute_url(guardian_consent_path(mentee)),
            "needs_consent_before_review": mentee.needs_consent_before_review(),
            "contacts": contacts_for_registration(mentee),
        },
    )
