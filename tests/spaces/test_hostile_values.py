"""Members' pages stay valid HTML whatever members typed: quotes, tags, very long words in
every free field, and a video link stored before links were validated."""

import pytest

from matching.enums import Side
from tests.spaces.member_pages import a_full_pair, member_pages
from tests.spaces.strict_html import read_html

pytestmark = pytest.mark.django_db

LONG_WORD = "Anticonstitutionnellement" * 12
HOSTILE = f'Yanis" onmouseover="alert(1)\' <script>alert(1)</script> <b>gras</b> & {LONG_WORD}'
# Stored before the validator existed: the page must still carry it as one href, unchanged.
LEGACY_LINK = 'https://visio.example.org/a"onmouseover="alert(1)"&x=<b>'


@pytest.fixture
def hostile_pair():
    return a_full_pair(
        text=HOSTILE,
        video_link=LEGACY_LINK,
        mentee__user__first_name=HOSTILE[:150],
        mentor__user__first_name=HOSTILE[:150],
        mentor__job_title=HOSTILE[:100],
    )


@pytest.mark.parametrize("side", [Side.MENTOR, Side.MENTEE])
def test_hostile_stored_values_leave_every_member_page_valid(client, hostile_pair, side):
    member = hostile_pair.mentor if side == Side.MENTOR else hostile_pair.mentee
    client.force_login(member.user)

    for name, url in member_pages(hostile_pair, side).items():
        response = client.get(url)
        assert response.status_code == 200, name
        content = response.content.decode()
        parsed = read_html(content)
        assert parsed.errors == [], name
        assert "<script>alert(1)" not in content, name
        assert "<b>gras</b>" not in content, name


@pytest.mark.parametrize("side", [Side.MENTOR, Side.MENTEE])
def test_a_legacy_video_link_round_trips_through_its_href(client, hostile_pair, side):
    member = hostile_pair.mentor if side == Side.MENTOR else hostile_pair.mentee
    client.force_login(member.user)

    parsed = read_html(client.get(member_pages(hostile_pair, side)["pair"]).content.decode())

    hrefs = [href for href, _ in parsed.links if href.startswith("https://visio.example.org/")]
    assert hrefs and set(hrefs) == {LEGACY_LINK}
