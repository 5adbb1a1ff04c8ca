from celery import shared_task
from django.conf import settings
from django.urls import reverse

from users.emails import absolute_url, send_templated_email_once
from users.programme import duration_words
from users.tasks import EMAIL_RETRY

from .calendar import training_session_ics
from .training import TrainingRegistration


@shared_task(**EMAIL_RETRY)
def send_training_confirmation_email(registration_id: int) -> None:
    """To the mentor who took a seat: the session's date in Paris time, its place or link,
    and its .ics. Nothing when the seat was given back before the task ran."""
    registration = (
        TrainingRegistration.objects.select_related("session", "mentor__user")
        .filter(pk=registration_id)
        .first()
    )
    if registration is None:
        return
    user = registration.mentor.user
    session = registration.session
    send_templated_email_once(
        key=f"training-signed-up:{registration.pk}",
        to=[user.email],
        template="mentors/email/training_confirmed",
        context={
            "first_name": user.first_name,
            "session": session,
            "duration": duration_words(session.duration_minutes),
            "trainings_url": absolute_url(reverse(settings.PAGE_URLS["member_home"])),
        },
        attachments=[("formation.ics", training_session_ics(session), "text/calendar")],
    )
