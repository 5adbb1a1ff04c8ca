from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class StatusChange:
    at: datetime
    by: object
    from_status: str | None
    to_status: str
    reason: str


def status_changes(registration) -> list[StatusChange]:
    """Every change of status of a registration (who, when, from, to), oldest first, read from
    its django-simple-history audit trail."""
    changes = []
    previous = None
    records = registration.history.select_related("history_user").order_by("history_date", "pk")
    for record in records:
        if previous is None or record.status != previous:
            changes.append(
                StatusChange(
                    at=record.history_date,
                    by=record.history_user,
                    from_status=previous,
                    to_status=record.status,
                    reason=record.history_change_reason or "",
                )
            )
        previous = record.status
    return changes
