"""The pairs and the score weights in the admin: pairs are read, never edited by hand, and a
coordinator activates a proposed pair directly with its start date and who introduced them."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from matching.enums import MentorshipStatus
from matching.models import MatchingWeights, Mentorship
from matching.selectors import suggest_mentors
from tests.matching.factories import MentorshipFactory
from tests.mentees.factories import MenteeFactory
from tests.mentors.factories import MentorFactory
from tests.users.factories import UserFactory
from users.enums import Language

pytestmark = pytest.mark.django_db

PAIRS = reverse("admin:matching_mentorship_changelist")
WEIGHTS = reverse("admin:matching_matchingweights_changelist")


def pair_page(mentorship):
    return reverse("admin:matching_mentorship_change", args=[mentorship.pk])


def activate_url(mentorship):
    return reverse("admin:matching_mentorship_activate", args=[mentorship.pk])


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


def weights_form(**weights):
    data = {
        "needs": 35,
        "sectors": 15,
        "place": 20,
        "availability": 15,
        "language": 10,
        "meeting_format": 5,
        "priority_bonus": 10,
        "waiting_bonus_per_month": 2,
        "waiting_bonus_cap": 12,
    }
    return {**data, **weights}


def test_the_weights_list_opens_the_single_settings_row(admin_client):
    response = admin_client.get(WEIGHTS)

    weights = MatchingWeights.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("admin:matching_matchingweights_change", args=[weights.pk])


def test_the_weights_page_documents_each_weight_and_cannot_add_or_delete(admin_client):
    weights = MatchingWeights.load()

    response = admin_client.get(reverse("admin:matching_matchingweights_change", args=[1]))

    html = response.content.decode()
    assert "Part des besoins du jeune pour lesquels le mentor peut aider." in html
    assert "seules leurs proportions comptent" in html
    assert "deletelink" not in html
    assert admin_client.get(reverse("admin:matching_matchingweights_add")).status_code == 403
    delete = reverse("admin:matching_matchingweights_delete", args=[weights.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert MatchingWeights.objects.count() == 1


def test_changing_the_weights_changes_the_scores_at_once(admin_client):
    mentee = MenteeFactory(approved=True, postal_code="93200", languages=[Language.ARABIC])
    MentorFactory(approved=True, postal_code="93200", languages=[Language.FRENCH])
    before = suggest_mentors(mentee=mentee)[0].compatibility.score
    change = reverse("admin:matching_matchingweights_change", args=[MatchingWeights.load().pk])

    # Only the shared language counts now, and they have none in common.
    response = admin_client.post(
        change,
        weights_form(needs=0, sectors=0, place=0, availability=0, language=100, meeting_format=0),
    )

    assert response.status_code == 302
    assert before > 0
    assert suggest_mentors(mentee=mentee)[0].compatibility.score == 0


def test_all_weights_at_zero_are_refused(admin_client):
    change = reverse("admin:matching_matchingweights_change", args=[MatchingWeights.load().pk])

    response = admin_client.post(
        change,
        weights_form(needs=0, sectors=0, place=0, availability=0, language=0, meeting_format=0),
    )

    assert response.status_code == 200
    assert "Au moins un critère doit avoir un poids supérieur à 0." in response.content.decode()
    assert MatchingWeights.load().needs == 35


def test_the_pairs_list_shows_who_when_and_the_score(admin_client):
    mentorship = MentorshipFactory(
        mentor__user__last_name="Lemoine", mentee__user__last_name="Benali", score=81
    )
    MentorshipFactory(active=True)

    response = admin_client.get(PAIRS, {"status__exact": MentorshipStatus.PROPOSED})

    assert list(response.context["cl"].result_list) == [mentorship]
    html = response.content.decode()
    assert "Lemoine" in html
    assert "Benali" in html
    assert '<td class="field-score">81</td>' in html
    assert str(mentorship.proposed_by) in html


def test_coordinators_search_pairs_by_either_persons_name_or_the_employer(admin_client):
    wanted = MentorshipFactory(mentee__user__last_name="Zerrouki")
    by_employer = MentorshipFactory(mentor__employer="Airbus")
    MentorshipFactory()

    found = admin_client.get(PAIRS, {"q": "zerrouki"}).context["cl"].result_list
    assert list(found) == [wanted]
    found = admin_client.get(PAIRS, {"q": "airbus"}).context["cl"].result_list
    assert list(found) == [by_employer]


@pytest.mark.parametrize("size", [2, 12])
def test_the_pairs_list_costs_the_same_queries_whatever_its_size(
    admin_client, django_assert_num_queries, size
):
    MentorshipFactory.create_batch(size)
    # session, user, the verified second-factor device, filtered count (no total count), the
    # page of pairs with both persons' users and the coordinator who proposed them (no date
    # hierarchy: its dates scanned the whole table).
    with django_assert_num_queries(5):
        response = admin_client.get(PAIRS)
    assert len(response.context["cl"].result_list) == size


def test_a_pairs_page_is_read_only_with_its_explanation_in_words(admin_client):
    mentorship = MentorshipFactory(
        explanation=[
            {"label": "même département (93)", "ok": True},
            {"label": "aucune langue commune", "ok": False},
        ]
    )

    response = admin_client.get(pair_page(mentorship))

    html = response.content.decode()
    assert response.context["adminform"].form.fields == {}
    assert 'name="status"' not in html
    assert 'name="_save"' not in html
    assert (
        '<span class="matching-icon" aria-hidden="true">✓</span>'
        '<span class="visually-hidden">Critère rempli :</span> même département (93)'
    ) in html
    assert (
        '<span class="matching-icon" aria-hidden="true">✗</span>'
        '<span class="visually-hidden">Critère non rempli :</span> aucune langue commune'
    ) in html
    assert "Activer le binôme" in html


def test_a_criterion_not_given_shows_neither_tick_nor_cross_on_the_pairs_page(admin_client):
    mentorship = MentorshipFactory(
        explanation=[{"label": "langues non renseignées (par le jeune)", "ok": None}]
    )

    html = admin_client.get(pair_page(mentorship)).content.decode()

    assert (
        '<li class="matching-unknown"><span class="visually-hidden">Critère non renseigné :'
        "</span> langues non renseignées (par le jeune)</li>"
    ) in html


def test_pairs_are_neither_added_nor_deleted_by_hand(admin_client):
    mentorship = MentorshipFactory()

    assert admin_client.get(reverse("admin:matching_mentorship_add")).status_code == 403
    delete = reverse("admin:matching_mentorship_delete", args=[mentorship.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert Mentorship.objects.filter(pk=mentorship.pk).exists()


def test_posting_a_status_on_a_pairs_page_does_not_change_it(admin_client):
    mentorship = MentorshipFactory()

    admin_client.post(pair_page(mentorship), {"status": MentorshipStatus.ACTIVE})

    mentorship.refresh_from_db()
    assert mentorship.status == MentorshipStatus.PROPOSED


def test_an_active_pair_offers_no_activation(admin_client):
    mentorship = MentorshipFactory(active=True)

    response = admin_client.get(pair_page(mentorship))

    assert "Activer le binôme" not in response.content.decode()


def test_the_activation_form_proposes_today_and_the_staff_as_introducers(admin_client):
    mentorship = MentorshipFactory()
    introducer = UserFactory(staff=True, first_name="Camille", last_name="Martin")
    member = UserFactory(first_name="Pas", last_name="Staff")

    response = admin_client.get(activate_url(mentorship))

    form = response.context["form"]
    assert form["started_on"].value() == timezone.localdate()
    assert introducer in form.fields["introduced_by"].queryset
    assert member not in form.fields["introduced_by"].queryset
    html = response.content.decode()
    assert f'value="{timezone.localdate():%Y-%m-%d}"' in html
    assert f"Camille Martin ({introducer.email})" in html


def test_a_coordinator_activates_a_pair_with_who_introduced_them(
    admin_client, admin_user, django_capture_on_commit_callbacks
):
    mentorship = MentorshipFactory(
        mentor__user__email="sophie@example.org", mentee__user__email="yanis@example.org"
    )
    introducer = UserFactory(staff=True)
    kick_off = timezone.localdate() - datetime.timedelta(days=3)

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            activate_url(mentorship),
            {"started_on": kick_off.isoformat(), "introduced_by": introducer.pk},
            follow=True,
        )

    mentorship.refresh_from_db()
    assert mentorship.status == MentorshipStatus.ACTIVE
    assert mentorship.started_on == kick_off
    assert mentorship.introduced_by == introducer
    assert mentorship.activated_by == admin_user
    assert sorted(address for message in mail.outbox for address in message.to) == [
        "sophie@example.org",
        "yanis@example.org",
    ]
    assert messages_of(response) == [
        f"Le binôme {mentorship} est actif depuis le {kick_off:%d/%m/%Y} ; "
        "ils sont prévenus par e-mail."
    ]
    assert mentorship.history.latest().history_user == admin_user


def test_an_activation_needs_no_introducer(admin_client):
    mentorship = MentorshipFactory()

    admin_client.post(activate_url(mentorship), {"started_on": timezone.localdate().isoformat()})

    mentorship.refresh_from_db()
    assert mentorship.status == MentorshipStatus.ACTIVE
    assert mentorship.introduced_by is None


def test_a_start_date_in_the_future_is_refused_beside_the_field(admin_client):
    mentorship = MentorshipFactory()
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    response = admin_client.post(activate_url(mentorship), {"started_on": tomorrow.isoformat()})

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "started_on": ["La date de début ne peut pas être dans le futur."]
    }
    mentorship.refresh_from_db()
    assert mentorship.status == MentorshipStatus.PROPOSED


def test_the_service_refusal_is_shown_in_french(admin_client):
    # Opened while proposed, activated meanwhile by someone else (e.g. both accepted).
    mentorship = MentorshipFactory()
    form_page = admin_client.get(activate_url(mentorship))
    assert form_page.status_code == 200
    Mentorship.objects.filter(pk=mentorship.pk).update(status=MentorshipStatus.ACTIVE)

    response = admin_client.post(
        activate_url(mentorship), {"started_on": timezone.localdate().isoformat()}, follow=True
    )

    assert messages_of(response) == ["Binôme impossible : seul un binôme proposé peut être activé."]


def test_opening_the_activation_of_a_pair_that_is_not_proposed_says_why(admin_client):
    mentorship = MentorshipFactory(declined=True)

    response = admin_client.get(activate_url(mentorship), follow=True)

    assert response.redirect_chain[-1][0] == pair_page(mentorship)
    assert messages_of(response) == ["Seul un binôme proposé peut être activé."]
