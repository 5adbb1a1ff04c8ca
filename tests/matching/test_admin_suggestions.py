"""Coordinators match a young person from their matching page in the admin (or a mentor from
theirs): the best suggestions with their score and explanation, a one-click proposal, and a
search to pick any mentor by hand with the hard constraints still enforced and explained."""

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.urls import reverse

from matching.enums import MentorshipStatus
from matching.models import MatchingWeights, Mentorship
from mentees.models import Mentee
from mentors.models import Mentor
from tests.matching.factories import MentorshipFactory
from tests.mentees.factories import MenteeFactory
from tests.mentors.factories import MentorFactory
from tests.users.factories import UserFactory
from users.enums import MeetingMode

pytestmark = pytest.mark.django_db

MENTEES = reverse("admin:mentees_mentee_changelist")
MENTORS = reverse("admin:mentors_mentor_changelist")


def mentee_page(mentee):
    return reverse("admin:mentees_mentee_matching", args=[mentee.pk])


def mentor_page(mentor):
    return reverse("admin:mentors_mentor_matching", args=[mentor.pk])


def propose_from_mentee(mentee):
    return reverse("admin:mentees_mentee_propose", args=[mentee.pk])


def propose_from_mentor(mentor):
    return reverse("admin:mentors_mentor_propose", args=[mentor.pk])


def awaiting_mentee(**kwargs):
    """An adult, approved young person in Seine-Saint-Denis who wants an alternance in IT."""
    return MenteeFactory(approved=True, postal_code="93200", **kwargs)


def local_mentor(**kwargs):
    return MentorFactory(approved=True, postal_code="93200", **kwargs)


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


def test_a_young_person_awaiting_a_mentor_is_shown_the_ten_best_mentors(admin_client):
    mentee = awaiting_mentee()
    best = local_mentor(employer="Orange", job_title="Développeuse")
    # In another département and remote only: half the place points, fewer than `best`.
    MentorFactory.create_batch(
        11, approved=True, postal_code="69003", meeting_mode=MeetingMode.REMOTE
    )

    response = admin_client.get(mentee_page(mentee))

    suggestions = response.context["matching"]["suggestions"]
    assert len(suggestions) == 10
    assert suggestions[0].mentor == best
    scores = [suggestion.compatibility.score for suggestion in suggestions]
    assert scores == sorted(scores, reverse=True)
    html = response.content.decode()
    assert "Les 10 mentors les plus compatibles" in html
    assert f"{suggestions[0].compatibility.score}/100" in html
    assert "même département (93)" in html
    assert "aide à trouver une alternance : oui" in html
    assert "disponibilités communes : soir en semaine" in html
    # The ✓ and ✗ carry words, not only a symbol or a colour.
    assert '<span class="visually-hidden">Critère rempli :</span>' in html
    assert "Développeuse, Orange (93)" in html
    assert "2 sur 2" in html  # free slots of a mentor with capacity 2
    assert html.count(">Proposer<") == 10


def test_the_free_capacity_shown_counts_the_open_pairs(admin_client):
    mentee = awaiting_mentee()
    mentor = local_mentor(capacity=3)
    MentorshipFactory(mentor=mentor)

    response = admin_client.get(mentee_page(mentee))

    [suggestion] = response.context["matching"]["suggestions"]
    assert suggestion.free_slots == 2
    assert "2 sur 3" in response.content.decode()


def test_proposing_a_suggested_mentor_creates_the_pair_and_emails_both(
    admin_client, admin_user, django_capture_on_commit_callbacks
):
    mentee = awaiting_mentee(user__email="yanis@example.org")
    mentor = local_mentor(user__email="sophie@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(propose_from_mentee(mentee), {"mentor": mentor.pk})

    assert response.status_code == 302
    assert response.url == mentee_page(mentee)
    mentorship = Mentorship.objects.get()
    assert (mentorship.mentee, mentorship.mentor) == (mentee, mentor)
    assert mentorship.status == MentorshipStatus.PROPOSED
    assert mentorship.proposed_by == admin_user
    assert mentorship.score > 0
    assert mentorship.explanation
    assert sorted(address for message in mail.outbox for address in message.to) == [
        "sophie@example.org",
        "yanis@example.org",
    ]
    page = admin_client.get(response.url)
    [message] = messages_of(page)
    assert message.startswith(f"Binôme proposé : {mentor} et {mentee}")
    # Now paired, the young person gets no more suggestions, and the page says why.
    assert page.context["matching"]["suggestions"] == []
    assert page.context["matching"]["open_pair"] == mentorship
    assert "Le jeune a déjà un binôme proposé ou actif" in page.content.decode()


def test_a_young_person_whose_registration_is_not_validated_is_told_why(admin_client):
    mentee = MenteeFactory(postal_code="93200")
    local_mentor()

    response = admin_client.get(mentee_page(mentee))

    matching = response.context["matching"]
    assert matching["suggestions"] == []
    assert matching["blockers"] == ["l'inscription du jeune n'est pas validée"]
    html = response.content.decode()
    assert "ce jeune n'attend pas de mentor" in html
    assert "L&#x27;inscription du jeune n&#x27;est pas validée" in html
    assert ">Proposer<" not in html


def test_a_minor_without_their_guardians_consent_is_told_why(admin_client):
    mentee = awaiting_mentee(minor=True)
    local_mentor(for_minors=True)

    response = admin_client.get(mentee_page(mentee))

    assert response.context["matching"]["blockers"] == [
        "le jeune est mineur et son représentant légal n'a pas donné son accord"
    ]


def test_when_no_mentor_fits_the_page_says_so(admin_client):
    mentee = awaiting_mentee(minor=True, with_consent=True)
    local_mentor(accepts_minors=False)

    response = admin_client.get(mentee_page(mentee))

    assert response.context["matching"]["suggestions"] == []
    assert response.context["matching"]["blockers"] == []
    assert "Aucun mentor disponible ne remplit les conditions" in response.content.decode()


def test_the_hand_search_shows_the_score_or_why_the_pair_is_impossible(admin_client):
    mentee = awaiting_mentee(minor=True, with_consent=True)
    cleared = local_mentor(for_minors=True, employer="Orange Business")
    not_for_minors = local_mentor(employer="Orange Bank", accepts_minors=False)
    local_mentor(employer="SNCF")

    response = admin_client.get(mentee_page(mentee), {"mentor_q": "orange"})

    results = {result.mentor: result for result in response.context["matching"]["results"]}
    assert set(results) == {cleared, not_for_minors}
    assert results[cleared].reasons == []
    assert results[not_for_minors].reasons == [
        "le jeune est mineur et le mentor n'accepte pas les mineurs"
    ]
    html = response.content.decode()
    assert "Le jeune est mineur et le mentor n&#x27;accepte pas les mineurs" in html
    assert f'name="mentor" value="{cleared.pk}"' in html
    assert f'name="mentor" value="{not_for_minors.pk}"' not in html


@pytest.mark.parametrize(
    ("query", "found"),
    [("Zerrouki", "by_name"), ("karim.z@", "by_email"), ("Airbus", "by_employer")],
)
def test_the_hand_search_finds_a_mentor_by_name_email_or_employer(admin_client, query, found):
    mentee = awaiting_mentee()
    mentors = {
        "by_name": local_mentor(user__last_name="Zerrouki"),
        "by_email": local_mentor(user__email="karim.z@example.org"),
        "by_employer": local_mentor(employer="Airbus"),
    }

    response = admin_client.get(mentee_page(mentee), {"mentor_q": query})

    assert [result.mentor for result in response.context["matching"]["results"]] == [mentors[found]]


def test_the_hand_search_finds_mentors_who_are_not_validated_and_says_so(admin_client):
    mentee = awaiting_mentee()
    pending = MentorFactory(postal_code="93200", employer="Decathlon")

    response = admin_client.get(mentee_page(mentee), {"mentor_q": "decathlon"})

    [result] = response.context["matching"]["results"]
    assert result.mentor == pending
    assert "l'inscription du mentor n'est pas validée" in result.reasons


def test_a_forged_proposal_of_a_blocked_pair_is_refused_with_the_reasons(admin_client):
    mentee = awaiting_mentee(minor=True, with_consent=True)
    mentor = local_mentor(accepts_minors=False)

    response = admin_client.post(propose_from_mentee(mentee), {"mentor": mentor.pk}, follow=True)

    assert not Mentorship.objects.exists()
    assert messages_of(response) == [
        "Binôme impossible : le jeune est mineur et le mentor n'accepte pas les mineurs."
    ]
    assert mail.outbox == []


def test_a_full_mentor_cannot_be_proposed(admin_client):
    mentee = awaiting_mentee()
    mentor = local_mentor(capacity=1)
    MentorshipFactory(mentor=mentor, active=True)

    response = admin_client.post(propose_from_mentee(mentee), {"mentor": mentor.pk}, follow=True)

    assert Mentorship.objects.filter(mentee=mentee).count() == 0
    assert messages_of(response) == [
        "Binôme impossible : le mentor n'a plus de place (1 binôme(s) pour 1 place(s))."
    ]


def test_a_mentor_page_suggests_the_young_people_awaiting_a_mentor(admin_client):
    mentor = local_mentor()
    best = awaiting_mentee()
    MenteeFactory.create_batch(
        11, approved=True, postal_code="69008", meeting_mode=MeetingMode.REMOTE
    )
    MenteeFactory(postal_code="93200")  # not validated: never suggested

    response = admin_client.get(mentor_page(mentor))

    matching = response.context["matching"]
    assert len(matching["suggestions"]) == 10
    assert matching["suggestions"][0].mentee == best
    assert matching["free_slots"] == 2
    html = response.content.decode()
    assert "Les 10 jeunes en attente les plus compatibles" in html
    assert "même département (93)" in html
    assert "<dt>Places libres</dt>" in html
    assert "<dd>2 sur 2</dd>" in html


def test_proposing_from_a_mentor_page_creates_the_pair_and_returns_to_it(
    admin_client, django_capture_on_commit_callbacks
):
    mentor = local_mentor()
    mentee = awaiting_mentee()

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(propose_from_mentor(mentor), {"mentee": mentee.pk})

    assert response.url == mentor_page(mentor)
    assert Mentorship.objects.filter(mentor=mentor, mentee=mentee).exists()
    assert len(mail.outbox) == 2


def test_a_full_mentor_is_told_why_no_young_person_is_suggested(admin_client):
    mentor = local_mentor(capacity=1)
    MentorshipFactory(mentor=mentor, active=True)
    awaiting_mentee()

    response = admin_client.get(mentor_page(mentor))

    matching = response.context["matching"]
    assert matching["suggestions"] == []
    assert matching["blockers"] == ["le mentor n'a plus de place (1 binôme(s) pour 1 place(s))"]
    assert matching["free_slots"] == 0


def test_a_mentor_not_validated_is_told_why(admin_client):
    mentor = MentorFactory(postal_code="93200")
    awaiting_mentee()

    response = admin_client.get(mentor_page(mentor))

    assert response.context["matching"]["blockers"] == ["l'inscription du mentor n'est pas validée"]


@pytest.mark.parametrize("mentors", [3, 15])
def test_the_young_persons_page_costs_the_same_queries_whatever_the_number_of_mentors(
    admin_client, django_assert_num_queries, mentors
):
    MatchingWeights.load()
    mentee = awaiting_mentee()
    for mentor in MentorFactory.create_batch(mentors, approved=True, postal_code="93200"):
        # A past pair with one of them: excluded in the same query as the others.
        MentorshipFactory(mentor=mentor, mentee=MenteeFactory(approved=True), closed=True)
    # Cached after the first page of any test: warm it so that the count does not depend on
    # the order of the tests.
    ContentType.objects.get_for_model(Mentee)
    # session, user, the verified second-factor device, the young person with their user,
    # since when they wait and whether they are a rematch, their priority publics; the weights
    # row, the young person's open pair (exists), the candidates' scoring columns, the ten
    # best mentors with their users and open pairs.
    with django_assert_num_queries(9):
        response = admin_client.get(mentee_page(mentee))
    assert len(response.context["matching"]["suggestions"]) == min(mentors, 10)


@pytest.mark.parametrize("mentees", [3, 15])
def test_the_mentors_page_costs_the_same_queries_whatever_the_number_of_young_people(
    admin_client, django_assert_num_queries, mentees
):
    MatchingWeights.load()
    mentor = local_mentor()
    MenteeFactory.create_batch(mentees, approved=True, postal_code="93200")
    ContentType.objects.get_for_model(Mentor)
    # session, user, the verified second-factor device, the mentor with their user, référent,
    # open pairs and latest check; the weights row, the mentor's facts for the suggestions,
    # the candidates' scoring columns, the ten best young people with their users and waits,
    # their priority publics.
    with django_assert_num_queries(9):
        response = admin_client.get(mentor_page(mentor))
    assert len(response.context["matching"]["suggestions"]) == min(mentees, 10)


def test_coordinators_filter_the_young_people_awaiting_a_mentor(admin_client):
    awaiting = awaiting_mentee()
    MentorshipFactory(mentee=awaiting_mentee())  # proposed: no longer awaiting
    MenteeFactory()  # not validated
    MenteeFactory(approved=True, minor=True)  # a minor without consent

    response = admin_client.get(MENTEES, {"en_attente_de_mentor": "oui"})

    assert list(response.context["cl"].result_list) == [awaiting]
    response = admin_client.get(MENTEES, {"en_attente_de_mentor": "non"})
    assert awaiting not in response.context["cl"].result_list
    assert len(response.context["cl"].result_list) == 3


def test_coordinators_filter_the_mentors_with_a_free_slot(admin_client):
    with_room = local_mentor(capacity=2)
    MentorshipFactory(mentor=with_room)
    full = local_mentor(capacity=1)
    MentorshipFactory(mentor=full, active=True)
    # A closed pair no longer holds a slot.
    freed = local_mentor(capacity=1)
    MentorshipFactory(mentor=freed, closed=True)

    response = admin_client.get(MENTORS, {"place_libre": "oui"})
    assert set(response.context["cl"].result_list) == {with_room, freed}
    response = admin_client.get(MENTORS, {"place_libre": "non"})
    assert list(response.context["cl"].result_list) == [full]
    assert '<td class="field-free_slots">0</td>' in response.content.decode()


@pytest.mark.parametrize(
    "url_name", ["admin:mentees_mentee_propose", "admin:mentors_mentor_propose"]
)
def test_proposing_for_an_unknown_person_is_a_404(admin_client, url_name):
    response = admin_client.post(reverse(url_name, args=[999_999]), {"mentor": 1, "mentee": 1})
    assert response.status_code == 404


@pytest.mark.parametrize("posted", ["999999", "abc", ""])
def test_proposing_an_unknown_mentor_is_a_404(admin_client, posted):
    mentee = awaiting_mentee()
    response = admin_client.post(propose_from_mentee(mentee), {"mentor": posted})
    assert response.status_code == 404
    assert not Mentorship.objects.exists()


def test_proposing_an_unknown_young_person_from_a_mentor_page_is_a_404(admin_client):
    mentor = local_mentor()
    response = admin_client.post(propose_from_mentor(mentor), {"mentee": "999999"})
    assert response.status_code == 404


def test_a_proposal_is_only_ever_a_post(admin_client):
    mentee = awaiting_mentee()
    mentor = local_mentor()
    response = admin_client.get(propose_from_mentee(mentee), {"mentor": mentor.pk})
    assert response.status_code == 405
    assert not Mentorship.objects.exists()


def test_staff_without_the_matching_permission_neither_see_the_page_nor_propose(client):
    staff = UserFactory(staff=True)
    staff.user_permissions.add(
        Permission.objects.get(codename="view_mentee"),
        Permission.objects.get(codename="view_mentor"),
    )
    client.force_login(staff)
    mentee = awaiting_mentee()
    mentor = local_mentor()
    # A young person they follow (an earlier pair of a mentor of theirs): staff who are not
    # coordinators see only those in the admin (users.admin_scoping).
    MentorshipFactory(closed=True, mentee=mentee, mentor__referent=staff)

    assert client.get(mentee_page(mentee)).status_code == 403
    assert client.get(mentor_page(mentor)).status_code == 403
    change_page = client.get(reverse("admin:mentees_mentee_change", args=[mentee.pk]))
    assert change_page.status_code == 200
    assert "Trouver un mentor" not in change_page.content.decode()

    response = client.post(propose_from_mentee(mentee), {"mentor": mentor.pk})
    assert response.status_code == 403
    assert not Mentorship.objects.filter(mentor=mentor).exists()
