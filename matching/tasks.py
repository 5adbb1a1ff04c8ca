from celery import shared_task
from django.conf import settings
from django.urls import reverse

from users.antennes import contacts_for_registration
from users.emails import absolute_url, send_templated_email, send_templated_email_once
from users.tasks import EMAIL_RETRY

from .enums import CloseReason, MentorshipStatus, Side
from .links import guardian_objection_path, response_path
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


# --- Notifications of a pair's events: each recipient once per event (users.SentEmail's key).

# The closure's wording follows what happens next: the objectives reached, a new mentor to
# find, or a mentoring that stopped early (every other reason).
CLOSURE_OUTCOMES = {
    CloseReason.OBJECTIVES_ACHIEVED: "achieved",
    CloseReason.REMATCH_NEEDED: "rematch",
}


def closure_recipients(mentorship: Mentorship) -> dict[str, str]:
    """Who is told that the pair closed: role → address. The mentor's référent when there is
    one, and the guardian of a young person still a minor when it ended."""
    recipients = {
        "mentee": mentorship.mentee.user.email,
        "mentor": mentorship.mentor.user.email,
    }
    referent = mentorship.mentor.referent
    if referent is not None and referent.is_active:
        recipients["referent"] = referent.email
    mentee = mentorship.mentee
    if mentee.guardian_email and mentee.is_minor(today=mentorship.ended_on):
        recipients["guardian"] = mentee.guardian_email
    return recipients


@shared_task(**EMAIL_RETRY)
def send_closure_emails(mentorship_id: int) -> None:
    mentorship = Mentorship.objects.select_related(
        "mentor__user", "mentor__referent", "mentor__antenne", "mentee__user", "mentee__antenne"
    ).get(pk=mentorship_id)
    if mentorship.status != MentorshipStatus.CLOSED:
        return
    referent = mentorship.mentor.referent
    context = {
        "mentorship": mentorship,
        "mentor": mentorship.mentor,
        "mentee": mentorship.mentee,
        "outcome": CLOSURE_OUTCOMES.get(mentorship.close_reason, "ended"),
        "reason": mentorship.get_close_reason_display(),
        # Whom the members ask: their référent, or the programme's team (`contacts`).
        "referent": referent if referent is not None and referent.is_active else None,
        "space_url": absolute_url(reverse(settings.PAGE_URLS["member_home"])),
        # Each member's closure questionnaire; the référent's closure interview.
        "closure_url": absolute_url(
            reverse(settings.PAGE_URLS["closure_questionnaire"], args=[mentorship.pk])
        ),
        "interview_url": absolute_url(
            reverse(settings.PAGE_URLS["closure_interview"], args=[mentorship.pk])
        ),
        "admin_url": absolute_url(
            reverse("admin:matching_mentorship_change", args=[mentorship.pk])
        ),
    }
    # Each member (and the guardian) is given their own antenne's contacts.
    contacts = {
        "mentor": contacts_for_registration(mentorship.mentor),
        "mentee": contacts_for_registration(mentorship.mentee),
        "guardian": contacts_for_registration(mentorship.mentee),
    }
    for role, address in closure_recipients(mentorship).items():
        send_templated_email_once(
            key=f"mentorship-closed:{mentorship.pk}:{role}",
            to=[address],
            template=f"matching/email/closed_{role}",
            context={**context, **({"contacts": contacts[role]} if role in contacts else {})},
        )


@shared_task(**EMAIL_RETRY)
def send_guardian_proposal_email(mentorship_id: int) -> None:
    """To a minor's guardian: who the proposed mentor is, the programme's safeguarding rules,
    whom to contact, and the link to object."""
    mentorship = Mentorship.objects.select_related(
        "mentor__user", "mentee__user", "mentee__antenne"
    ).get(pk=mentorship_id)
    mentee = mentorship.mentee
    if (
        mentorship.status != MentorshipStatus.PROPOSED
        or not mentee.guardian_email
        or not mentee.is_minor()
    ):
        return
    send_templated_email_once(
        key=f"mentorship-proposed:{mentorship.pk}:guardian",
        to=[mentee.guardian_email],
        template="matching/email/guardian_proposal",
        context={
            "mentorship": mentorship,
            "mentee": mentee,
            "mentor": mentorship.mentor,
            "objection_url": absolute_url(guardian_objection_path(mentorship)),
            "contacts": contacts_for_registration(mentee),
        },
    )


@shared_task(**EMAIL_RETRY)
def send_guardian_objection_email(mentorship_id: int) -> None:
    """To the coordinator who proposed the pair (the programme's contacts when that account is
    gone): a guardian objected, the young person waits for another mentor."""
    mentorship = Mentorship.objects.select_related("proposed_by").get(pk=mentorship_id)
    proposer = mentorship.proposed_by
    if proposer is not None and proposer.is_active:
        to = [proposer.email]
    else:
        to = [contact["email"] for contact in settings.PROGRAMME_CONTACTS]
    send_templated_email_once(
        key=f"mentorship-guardian-objection:{mentorship.pk}:staff",
        to=to,
        template="matching/email/guardian_objection",
        context={
            "mentorship": mentorship,
            "admin_url": absolute_url(
                reverse("admin:matching_mentorship_change", args=[mentorship.pk])
            ),
        },
    )


@shared_task
def compute_matching_batch(batch_id: int) -> None:
    # Imported here: the batch module enqueues this task.
    from .batch import batch_run

    batch_run(batch_id=batch_id)
