"""A training session as an iCalendar (.ics) event, as the planned meetings' (sessions app)."""

from django.conf import settings
from icalendar import Calendar, Event

from .training import TrainingSession


def training_session_ics(session: TrainingSession) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", f"-//{settings.PROGRAMME_NAME}//Mentorat//FR")
    calendar.add("version", "2.0")
    event = Event()
    event.add("uid", f"formation-{session.pk}@{settings.SITE_URL.split('://')[-1]}")
    event.add("dtstamp", session.created_at)
    event.add("dtstart", session.starts_at)
    event.add("dtend", session.ends_at)
    event.add("summary", f"{session.title} – {settings.PROGRAMME_NAME}")
    if session.place:
        event.add("location", session.place)
    if session.video_link:
        event.add("url", session.video_link)
        event.add("description", f"Lien de visio : {session.video_link}")
    calendar.add_component(event)
    return calendar.to_ical()
