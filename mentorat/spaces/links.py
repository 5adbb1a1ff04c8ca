"""Links from the spaces to the sessions pages (sessions/urls.py)."""

from django.urls import reverse


def session_link(name: str, pk: int) -> str:
    """The sessions page `name` for a pair's id (log, list, plan_meeting, meeting_ics) or a
    session's id (detail, update, evaluate). Reversed by name: a renamed page fails the
    spaces' tests rather than leaving a dead link."""
    return reverse(f"sessions:{name}", args=[pk])
