"""What a person sees of a pair in their space: its title, its links, its sessions' rows and
its tasks. The rules' reading of the pair is sessions.pair_state.PairState, its query
mentorat.spaces.queries (a fixed number of queries for any list of pairs)."""

from dataclasses import dataclass
from functools import cached_property

from django.urls import reverse

from evaluations.enums import Moment
from evaluations.views import fill_url
from evaluations.views_closure import closure_url
from matching.enums import Side
from sessions.models import Session
from sessions.pair_state import PairState

from .links import session_link
from .todo import Task, pair_tasks

RECENT_SESSIONS = 3
# The pair page lists the latest sessions; the sessions page lists them all. A long pair's
# whole history would make the page slow to render and to read on a phone.
PAIR_PAGE_SESSIONS = 20


@dataclass(frozen=True)
class SessionRow:
    """A session on the pair's page, with what the viewer may do with it."""

    session: Session
    url: str
    evaluate_url: str | None
    edit_url: str | None
    evaluated_by_me: bool


class PairView(PairState):
    """One pair as `side` sees it, worded for its page and its card: the rules' reading is
    `PairState`'s; here are the titles, the links and the tasks."""

    @property
    def url(self) -> str:
        return reverse("spaces:pair", args=[self.pk])

    @property
    def title(self) -> str:
        mentor, mentee = self.mentorship.mentor.user, self.mentorship.mentee.user
        if self.is_mentor:
            return f"Binôme avec {mentee.first_name}"
        if self.is_mentee:
            return f"Ton mentor : {mentor.get_full_name()}"
        return f"{mentor.get_full_name()} et {mentee.get_full_name()}"

    @property
    def recent_sessions(self) -> list[Session]:
        return self.sessions[:RECENT_SESSIONS]

    @property
    def has_more_sessions(self) -> bool:
        return len(self.sessions) > PAIR_PAGE_SESSIONS

    @cached_property
    def session_rows(self) -> list[SessionRow]:
        rows = []
        for session in self.sessions[:PAIR_PAGE_SESSIONS]:
            editable = self.may_correct(session)
            rows.append(
                SessionRow(
                    session=session,
                    url=session_link("detail", session.pk),
                    evaluate_url=session_link("evaluate", session.pk) if self.is_member else None,
                    edit_url=session_link("update", session.pk) if editable else None,
                    evaluated_by_me=self.is_member and self.evaluated_by_me(session),
                )
            )
        return rows

    @property
    def ics_url(self) -> str | None:
        return session_link("meeting_ics", self.pk) if self.planned_meeting else None

    @property
    def sessions_url(self) -> str:
        return session_link("list", self.pk)

    @property
    def plan_url(self) -> str | None:
        return session_link("plan_meeting", self.pk) if self.can_edit else None

    @property
    def log_url(self) -> str | None:
        return session_link("log", self.pk) if self.is_mentor and self.is_active else None

    # --- The young person's questionnaires (annotated by `questionnaire_columns`)

    @property
    def start_response_url(self) -> str | None:
        response_id = self.mentorship.start_response_id
        return reverse("evaluations:response", args=[response_id]) if response_id else None

    @property
    def end_response_url(self) -> str | None:
        response_id = self.mentorship.end_response_id
        return reverse("evaluations:response", args=[response_id]) if response_id else None

    @property
    def progress_url(self) -> str | None:
        """Only once both are submitted: before that there is no progress to show."""
        if self.start_response_url and self.end_response_url:
            return reverse("evaluations:progress", args=[self.pk])
        return None

    @property
    def start_questionnaire_to_fill(self) -> bool:
        # Asked while the pair is active: after the end, a start questionnaire means nothing.
        return self.is_mentee and self.is_active and self.mentorship.start_questionnaire_due

    @property
    def end_questionnaire_to_fill(self) -> bool:
        return self.is_mentee and bool(self.mentorship.end_questionnaire_due)

    @property
    def start_fill_url(self) -> str | None:
        return fill_url(self.pk, Moment.START) if self.start_questionnaire_to_fill else None

    @property
    def end_fill_url(self) -> str | None:
        return fill_url(self.pk, Moment.END) if self.end_questionnaire_to_fill else None

    @property
    def has_questionnaires(self) -> bool:
        """Anything to say about the questionnaires: a link to read or to fill."""
        return bool(
            self.start_response_url
            or self.end_response_url
            or self.start_fill_url
            or self.end_fill_url
        )

    # --- Each member's closure questionnaire (annotated by `questionnaire_columns`)

    @property
    def closure_submitted(self) -> bool:
        """This member has sent their closure questionnaire."""
        column = "mentor_closure_id" if self.is_mentor else "mentee_closure_id"
        return self.is_member and getattr(self.mentorship, column, None) is not None

    @property
    def closure_questionnaire_to_fill(self) -> bool:
        return self.is_member and self.is_closed and not self.closure_submitted

    @property
    def closure_url(self) -> str | None:
        """The member's closure questionnaire: to fill, or to read again once sent."""
        return closure_url(self.pk) if self.is_member and self.is_closed else None

    @property
    def closure_response_urls(self) -> list[tuple[str, str]]:
        """For the pair's référent and coordinators: (whose, link) of each member's submitted
        closure questionnaire."""
        if self.is_member:
            return []
        ids = [
            (Side.MENTOR.label, self.mentorship.mentor_closure_id),
            (Side.MENTEE.label, self.mentorship.mentee_closure_id),
        ]
        return [(label, reverse("evaluations:response", args=[pk])) for label, pk in ids if pk]

    # --- What is waiting for this member

    @cached_property
    def tasks(self) -> list[Task]:
        return pair_tasks(self)
