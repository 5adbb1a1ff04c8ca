"""The video link's validator, on the model too (the admin and any full_clean)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from matching.services import PairRuleError
from sessions.models import PlannedMeeting
from sessions.services import meeting_plan
from sessions.validators import LINK_INVALID, validate_web_link
from tests.matching.factories import MentorshipFactory
from tests.sessions.factories import PlannedMeetingFactory


@pytest.mark.parametrize(
    "link",
    [
        "https://meet.example.org/abc-def?pwd=x1&lang=fr#salle",
        "http://visio.example.org/",
        "https://visio.exemple.fr/réunion",
        "",
    ],
)
def test_a_link_a_browser_follows_as_typed_is_accepted(link):
    validate_web_link(link)


@pytest.mark.parametrize(
    "link",
    [
        'https://visio.example.org/"',
        "https://visio.example.org/'><script>alert(1)</script>",
        "https://visio.example.org/a b",
        "https://visio.example.org/a\nb",
        "https://visio.example.org/\x7f",
        "https://visio.example.org/{x}",
        "mailto:someone@example.org",
        "//visio.example.org/",
    ],
)
def test_quotes_spaces_control_characters_and_other_schemes_are_refused(link):
    with pytest.raises(ValidationError):
        validate_web_link(link)


@pytest.mark.django_db
def test_the_model_refuses_a_hostile_link():
    meeting = PlannedMeetingFactory.build(video_link='https://visio.example.org/a"b')

    with pytest.raises(ValidationError) as raised:
        meeting.full_clean(exclude=["mentorship", "planned_by"])

    assert "video_link" in raised.value.message_dict


@pytest.mark.django_db
def test_the_planning_service_refuses_a_link_a_browser_would_not_follow():
    pair = MentorshipFactory(active=True)

    with pytest.raises(PairRuleError) as refusal:
        meeting_plan(
            mentorship=pair,
            author=pair.mentor.user,
            starts_at=timezone.now() + datetime.timedelta(days=3),
            video_link='https://visio.example/a"onmouseover="alert(1)',
        )

    assert refusal.value.errors == {"video_link": LINK_INVALID}
    assert not PlannedMeeting.objects.filter(mentorship=pair).exists()
