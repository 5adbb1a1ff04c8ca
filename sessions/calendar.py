"""The planned meeting as an iCalendar (.ics) event, built with the icalendar library."""

import datetime

from django.conf import settings
from icalendar import Calendar, Event

from .models import PlannedMeeting


def planned_meeting_ics(meeting: PlannedMeeting) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", f"-//{settings.PROGRAMME_NAME}//Mentorat//FR")
    calendar.add("version", "2.0")
    event = Event()
    # A stable identifier: calendars update the event when the meeting is planned again.
    event.add("uid", f"rencontre-{meeting.mentorship_id}@{settings.SITE_URL.split('://')[-1]}")
    event.add("dtstamp", meeting.updated_at)
    event.add("dtstart", meeting.starts_at)
    event.add("dtend", meeting.starts_at + datetime.timedelta(minutes=meeting.duration_minutes))
    # No names in the event: calendars are often shared or synchronised to third parties.
    event.add("summary", f"Rencontre de mentorat – {settings.PROGRAMME_NAME}")
    if meeting.place:
        event.add("location", meeting.place)
    if meeting.video_link:
        event.add("url", meeting.video_link)
        event.add("description", f"Lien de visio : {meeting.video_link}")
    calendar.add_component(event)
    return calendar.to_ical()
