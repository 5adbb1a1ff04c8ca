"""The dashboard's section on prescribers: young people referred by each organisation over
the period (by the referral's date; département and antenne: the organisation's), and how
many went on to register, to be approved and to be mentored (a pair that started). One query
whatever the number of organisations and referrals."""

from django.db.models import Count, Exists, OuterRef, Q

from matching.models import Mentorship
from prescribers.enums import OrganisationKind
from prescribers.models import Referral
from users.enums import RegistrationStatus

from .dashboard import Filters


def _rate(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


def referrals_by_prescriber(filters: Filters) -> dict:
    referrals = Referral.objects.all()
    if filters.since:
        referrals = referrals.filter(created_at__date__gte=filters.since)
    if filters.until:
        referrals = referrals.filter(created_at__date__lte=filters.until)
    referrals = filters.organisations(referrals, prefix="organisation__")
    if filters.public:
        referrals = referrals.filter(publics__code=filters.public)
    started = Mentorship.objects.filter(mentee=OuterRef("mentee"), started_on__isnull=False)
    rows = list(
        referrals.annotate(mentored=Exists(started))
        .values("organisation", "organisation__name", "organisation__kind")
        .annotate(
            referred=Count("pk", distinct=True),
            registered=Count("pk", filter=Q(mentee__isnull=False), distinct=True),
            approved=Count(
                "pk", filter=Q(mentee__status=RegistrationStatus.APPROVED), distinct=True
            ),
            mentored_count=Count("pk", filter=Q(mentored=True), distinct=True),
        )
        .order_by("-referred", "organisation__name")
    )
    kinds = dict(OrganisationKind.choices)
    organisations = [
        {
            "name": row["organisation__name"],
            "kind": kinds.get(row["organisation__kind"], row["organisation__kind"]),
            "referred": row["referred"],
            "registered": row["registered"],
            "approved": row["approved"],
            "mentored": row["mentored_count"],
            "registered_rate": _rate(row["registered"], row["referred"]),
            "mentored_rate": _rate(row["mentored_count"], row["referred"]),
        }
        for row in rows
    ]
    total = {
        key: sum(row[key] for row in organisations)
        for key in ("referred", "registered", "approved", "mentored")
    }
    total["registered_rate"] = _rate(total["registered"], total["referred"])
    total["mentored_rate"] = _rate(total["mentored"], total["referred"])
    return {"organisations": organisations, "total": total}
