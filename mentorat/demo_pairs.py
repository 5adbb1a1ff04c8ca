"""Pairs of the demo programme: one active pair for the demo mentor and young person, and one
proposal awaiting answers, so every space and admin screen has something to show."""

import datetime

from django.db import transaction
from django.utils import timezone

from matching.enums import MentorshipStatus, Response
from matching.models import Mentorship
from matching.selectors import pair_evaluation, suggest_mentors
from mentees.models import Mentee
from mentors.models import Mentor
from users.models import User

from .demo import COORDINATOR_EMAIL, DEMO_DOMAIN, MENTEE_EMAIL, MENTOR_EMAIL

ACTIVE_FOR = datetime.timedelta(days=50)


def _pair(*, mentee: Mentee, mentor: Mentor, coordinator: User, active: bool) -> Mentorship | None:
    reasons, compatibility = pair_evaluation(mentee=mentee, mentor=mentor)
    if reasons:
        return None
    proposed_at = timezone.now() - (
        ACTIVE_FOR + datetime.timedelta(days=5) if active else datetime.timedelta(days=2)
    )
    # Stored like the services store them, without their e-mails: demo addresses get no mail.
    return Mentorship.objects.create(
        mentor=mentor,
        mentee=mentee,
        score=compatibility.score,
        explanation=compatibility.explanation(),
        proposed_by=coordinator,
        proposed_at=proposed_at,
        status=MentorshipStatus.ACTIVE if active else MentorshipStatus.PROPOSED,
        mentor_response=Response.ACCEPTED if active else Response.PENDING,
        mentee_response=Response.ACCEPTED if active else Response.PENDING,
        started_on=timezone.localdate() - ACTIVE_FOR if active else None,
    )


@transaction.atomic
def seed_demo_pairs() -> int:
    """Create the demo pairs once; return how many were created."""
    if Mentorship.objects.filter(mentee__user__email__endswith=f"@{DEMO_DOMAIN}").exists():
        return 0
    coordinator = User.objects.get(email=COORDINATOR_EMAIL)
    created = 0
    active = _pair(
        mentee=Mentee.objects.get(user__email=MENTEE_EMAIL),
        mentor=Mentor.objects.get(user__email=MENTOR_EMAIL),
        coordinator=coordinator,
        active=True,
    )
    created += active is not None
    waiting = (
        Mentee.objects.approved()
        .filter(user__email__endswith=f"@{DEMO_DOMAIN}", mentorships__isnull=True)
        .order_by("pk")
    )
    for mentee in waiting:
        suggestions = suggest_mentors(mentee=mentee)
        if suggestions:
            created += (
                _pair(
                    mentee=mentee,
                    mentor=suggestions[0].mentor,
                    coordinator=coordinator,
                    active=False,
                )
                is not None
            )
            break
    return created
