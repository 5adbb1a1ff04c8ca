"""The stage of a referred young person, in one annotation: from their registration's status
and their pairs (matching). Nothing else is read: never a session, an evaluation or a
questionnaire (this app sits below those apps and cannot import them)."""

from django.db.models import Case, Exists, OuterRef, Q, QuerySet, Value, When

from matching.enums import MentorshipStatus
from matching.models import Mentorship
from users.enums import RegistrationStatus

from .enums import PATH, Stage


def _has_pair(status: str) -> Exists:
    return Exists(Mentorship.objects.filter(mentee=OuterRef("mentee"), status=status))


def with_stage(referrals: QuerySet) -> QuerySet:
    """Referrals annotated with `stage` (a Stage value): one query however many they are."""
    status = "mentee__status"
    return referrals.annotate(
        stage=Case(
            When(mentee__isnull=True, then=Value(Stage.REFERRED.value)),
            When(Q(**{status: RegistrationStatus.REJECTED}), then=Value(Stage.NOT_RETAINED.value)),
            When(~Q(**{status: RegistrationStatus.APPROVED}), then=Value(Stage.REGISTERED.value)),
            When(_has_pair(MentorshipStatus.ACTIVE), then=Value(Stage.ACTIVE.value)),
            When(_has_pair(MentorshipStatus.PROPOSED), then=Value(Stage.MATCHED.value)),
            When(_has_pair(MentorshipStatus.CLOSED), then=Value(Stage.ENDED.value)),
            default=Value(Stage.APPROVED.value),
        )
    )


def path_steps(stage: str) -> list[dict]:
    """The path's steps for a page: each with its label and whether it is done, the current
    one or to come (a registration not retained has no current step beyond « inscrit »)."""
    if stage == Stage.NOT_RETAINED:
        reached = PATH.index(Stage.REGISTERED)
    else:
        reached = PATH.index(Stage(stage))
    return [
        {
            "label": step.label,
            "state": "done" if index < reached else "current" if index == reached else "todo",
        }
        for index, step in enumerate(PATH)
    ]
