"""Retention periods (RGPD): a person is anonymised `RETENTION_YEARS_AFTER_LAST_PAIR` years
after their last pair ended (or after they registered, if they never had a pair), and
`RETENTION_MONTHS_AFTER_REJECTION` months after their registration was rejected. Never staff,
never anyone in a proposed or active pair, never twice."""

import datetime
import logging

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db.models import Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from matching.models import OPEN_STATUSES, Mentorship
from mentees.models import Mentee
from mentors.models import Mentor
from prescribers.models import Prescriber, Referral
from users.enums import RegistrationStatus
from users.models import User

from .enums import ErasureReason
from .erasure import ANONYMOUS_DOMAIN, ErasureError, _erase, person_anonymise

logger = logging.getLogger(__name__)
BATCH_SIZE = 200


def _pairs_of_outer_user():
    return Mentorship.objects.filter(
        Q(mentor__user=OuterRef("pk")) | Q(mentee__user=OuterRef("pk"))
    )


def _registrations_of_outer_user(**lookup) -> Q:
    return Exists(Mentor.objects.filter(user=OuterRef("pk"), **lookup)) | Exists(
        Mentee.objects.filter(user=OuterRef("pk"), **lookup)
    )


def retention_due(*, now: datetime.datetime | None = None):
    """The accounts past their retention period, as a QuerySet of users."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    after_pairs = today - relativedelta(years=settings.RETENTION_YEARS_AFTER_LAST_PAIR)
    after_registration = now - relativedelta(years=settings.RETENTION_YEARS_AFTER_LAST_PAIR)
    after_rejection = now - relativedelta(months=settings.RETENTION_MONTHS_AFTER_REJECTION)
    # A declined proposal has no end date: it ended on the day it was proposed.
    last_pair_end = (
        _pairs_of_outer_user()
        .annotate(end=Coalesce("ended_on", TruncDate("proposed_at")))
        .order_by("-end")
        .values("end")[:1]
    )
    registered_at = Coalesce(
        Subquery(Mentor.objects.filter(user=OuterRef("pk")).values("created_at")[:1]),
        Subquery(Mentee.objects.filter(user=OuterRef("pk")).values("created_at")[:1]),
        "date_joined",
    )
    rejected_long_ago = _registrations_of_outer_user(
        status=RegistrationStatus.REJECTED, reviewed_at__lt=after_rejection
    ) & ~_registrations_of_outer_user(
        status__in=[s for s in RegistrationStatus.values if s != RegistrationStatus.REJECTED]
    )
    return (
        User.objects.filter(is_staff=False, is_superuser=False)
        .exclude(email__endswith=f"@{ANONYMOUS_DOMAIN}")
        .exclude(Exists(_pairs_of_outer_user().filter(status__in=OPEN_STATUSES)))
        # A prescriber's account is the coordinators' to deactivate and anonymise.
        .exclude(Exists(Prescriber.objects.filter(user=OuterRef("pk"))))
        .annotate(last_pair_end=Subquery(last_pair_end), registered_at=registered_at)
        .filter(
            Q(last_pair_end__lt=after_pairs)
            | Q(last_pair_end__isnull=True, registered_at__lt=after_registration)
            | rejected_long_ago
        )
        .order_by("pk")
    )


def retention_apply(
    *, now: datetime.datetime | None = None, dry_run: bool = False, batch_size: int = BATCH_SIZE
) -> list[int]:
    """Anonymise every account past its retention period, a batch at a time, each person in
    their own transaction (one failure does not undo the others). Returns the account ids."""
    ids = list(retention_due(now=now).values_list("pk", flat=True))
    if dry_run:
        return ids
    referrals_unanswered_anonymise(now=now)
    done = []
    for start in range(0, len(ids), batch_size):
        for user in User.objects.filter(pk__in=ids[start : start + batch_size]).order_by("pk"):
            try:
                person_anonymise(user=user, performed_by=None, reason=ErasureReason.RETENTION)
            except ErasureError:
                # A pair proposed since the selection: the next night will see.
                logger.info("Retention skipped account %s: it has an open pair.", user.pk)
                continue
            done.append(user.pk)
    logger.info("Retention anonymised %s account(s).", len(done))
    return done


def referrals_unanswered_anonymise(*, now: datetime.datetime | None = None) -> int:
    """A referral whose young person never registered holds their identity for nothing once
    its link has expired: blanked `RETENTION_MONTHS_AFTER_REJECTION` months after the link's
    end (organisation, date and publics stay for the dashboard). Returns how many."""
    now = now or timezone.now()
    before = (
        now
        - datetime.timedelta(days=settings.REFERRAL_LINK_MAX_AGE_DAYS)
        - relativedelta(months=settings.RETENTION_MONTHS_AFTER_REJECTION)
    )
    stale = Referral.objects.filter(mentee__isnull=True, created_at__lt=before).exclude(
        first_name="", last_name="", email=""
    )
    count = 0
    for referral_id, birth_date in stale.values_list("pk", "birth_date"):
        _erase(Referral, Q(id=referral_id), birth_date=datetime.date(birth_date.year, 7, 1))
        count += 1
    if count:
        logger.info("Retention anonymised %s referral(s) never completed.", count)
    return count
