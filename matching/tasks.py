from celery import shared_task
from django.urls import reverse

from users.emails import absolute_url, send_templated_email
from users.tasks import EMAIL_RETRY

from .enums import Side
from .links import response_path
from .models import Mentorship


@shared_task(**EMAIL_RETRY)
def send_mentorship_email(mentorship_id: int, kind: str, recipient: str) -> None:
    """kind: proposed, activated or declined; recipient: mentor, mentee or staff (the
    coordinator who proposed the pair)."""
    mentorship = Mentorship.objects.select_related(
        "mentor__user", "mentee__user", "proposed_by"
    ).get(pk=mentorship_id)
    if recipient == "staff":
        to = mentorship.proposed_by.email
    else:
        to = (mentorship.mentor if recipient == Side.MENTOR else mentorship.mentee).user.email
    context = {
        "mentorship": mentorship,
        "recipient": recipient,
        "is_mentor": recipient == Side.MENTOR,
        "mentor": mentorship.mentor,
        "mentee": mentorship.mentee,
        "my_pairs_url": absolute_url(reverse("matching:my_proposals")),
    }
    if kind == "proposed":
        context["response_url"] = absolute_url(response_path(mentorship, Side(recipient)))
    if recipient == "staff":
        context["admin_url"] = absolute_url(
            reverse("admin:matching_mentorship_change", args=[mentorship.pk])
        )
    send_templated_email(to=[to], template=f"matching/email/{kind}", context=context)


@shared_task
def compute_matching_batch(batch_id: int) -> None:
    # Imported here: the batch module enqueues this task.
    from .batch import batch_run

    batch_run(batch_id=batch_id)
