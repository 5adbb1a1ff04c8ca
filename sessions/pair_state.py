"""What the programme's rules say of one pair at a moment, as its member (or a follower) sees
it: its state, the next meeting's due date and its rhythm, the planned meeting, the sessions
still to evaluate, which session its author may still correct. Read from a pair loaded with
`with_compliance` and its sessions annotated `mentor_evaluated` / `mentee_evaluated`; no
French here, the pages word it (mentorat.spaces)."""

import datetime
from dataclasses import dataclass
from functools import cached_property

from django.core.exceptions import ObjectDoesNotExist
from django.utils import timezone

from matching.enums import ComplianceState, MentorshipStatus, Side
from matching.models import Mentorship, Objective

from .models import Session


@dataclass
class PairState:
    """One pair as `side` sees it (None: a référent or a coordinator, who only read)."""

    mentorship: Mentorship
    side: Side | None
    today: datetime.date
    now: datetime.datetime

    @classmethod
    def for_user(cls, mentorship: Mentorship, user, *, now: datetime.datetime):
        if mentorship.mentor.user_id == user.pk:
            side = Side.MENTOR
        elif mentorship.mentee.user_id == user.pk:
            side = Side.MENTEE
        else:
            side = None
        return cls(mentorship, side, timezone.localdate(now), now)

    @property
    def pk(self) -> int:
        return self.mentorship.pk

    @property
    def is_mentor(self) -> bool:
        return self.side == Side.MENTOR

    @property
    def is_mentee(self) -> bool:
        return self.side == Side.MENTEE

    @property
    def is_member(self) -> bool:
        return self.side is not None

    @property
    def is_active(self) -> bool:
        return self.mentorship.status == MentorshipStatus.ACTIVE

    @property
    def is_proposed(self) -> bool:
        return self.mentorship.status == MentorshipStatus.PROPOSED

    @property
    def is_closed(self) -> bool:
        return self.mentorship.status == MentorshipStatus.CLOSED

    @property
    def can_edit(self) -> bool:
        """Objectives and meetings change only by a member, while the pair is active."""
        return self.is_member and self.is_active

    # --- The programme's rhythm (annotated by `with_compliance`)

    @property
    def compliance(self) -> ComplianceState | None:
        # Only active pairs have a rhythm to keep.
        compliance = self.mentorship.compliance
        return ComplianceState(compliance) if self.is_active and compliance else None

    @property
    def next_meeting_due(self) -> datetime.date | None:
        return self.mentorship.next_meeting_due() if self.is_active else None

    @property
    def months_elapsed(self) -> int:
        return self.mentorship.months_elapsed(today=self.today)

    @property
    def is_ready_to_close(self) -> bool:
        return bool(self.mentorship.is_ready_to_close)

    @cached_property
    def planned_meeting(self):
        try:
            return self.mentorship.planned_meeting
        except ObjectDoesNotExist:
            return None

    @property
    def has_upcoming_meeting(self) -> bool:
        return self.planned_meeting is not None and self.planned_meeting.starts_at > self.now

    @property
    def planned_meeting_passed_unlogged(self) -> bool:
        """The planned meeting has taken place and no session (of any length) is logged
        since: the mentor is asked to log it."""
        meeting = self.planned_meeting
        if meeting is None or meeting.starts_at > self.now:
            return False
        held = timezone.localdate(meeting.starts_at)
        last = self.mentorship.last_session_on
        return last is None or last < held

    # --- Objectives and sessions (prefetched)

    @cached_property
    def objectives(self) -> list[Objective]:
        return list(self.mentorship.objectives.all())

    @cached_property
    def sessions(self) -> list[Session]:
        return list(self.mentorship.sessions.all())

    @property
    def has_no_objective(self) -> bool:
        return self.is_active and not self.objectives

    def evaluated_by_me(self, session: Session) -> bool:
        return session.mentor_evaluated if self.is_mentor else session.mentee_evaluated

    @property
    def sessions_to_evaluate(self) -> list[Session]:
        if not self.is_member:
            return []
        return [session for session in self.sessions if not self.evaluated_by_me(session)]

    def may_correct(self, session: Session) -> bool:
        """The mentor corrects a session they logged, for EDIT_WINDOW (as the service)."""
        return (
            self.is_mentor
            and session.logged_by_id == self.mentorship.mentor.user_id
            and self.now <= session.editable_until()
        )
