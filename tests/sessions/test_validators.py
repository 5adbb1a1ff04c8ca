"""The video link's validator, on the model too (the admin and any full_clean)."""

import pytest
from django.core.exceptions import ValidationError

from sessions.validators import validate_web_link
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
