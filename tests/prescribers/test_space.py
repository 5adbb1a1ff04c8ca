"""The prescriber's space: only the young people they referred, only their stage and whom to
contact, every reading traced, nothing before the second factor."""

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from mentorat.demo.factories import MenteeFactory, PrescriberFactory, ReferralFactory
from prescribers.enums import ConsultedPage
from prescribers.models import Referral, ReferralConsultation
from tests.matching.factories import MentorshipFactory
from tests.sessions.factories import SessionEvaluationFactory, SessionFactory
from tests.users.staff import confirmed_device, make_coordinator
from users.roles import is_prescriber

from .helpers import login_prescriber, referral_form_data

pytestmark = pytest.mark.django_db
HOME = reverse("prescribers:home")
CONTACTS = [{"name": "Camille Martin", "email": "camille.martin@example.org"}]


def detail(referral) -> str:
    return reverse("prescribers:referral", args=[referral.pk])


def test_the_list_shows_only_my_referrals_with_their_stage(client):
    me = PrescriberFactory()
    colleague = PrescriberFactory(organisation=me.organisation)
    mine = ReferralFactory(prescriber=me, last_name="Martin-Mien")
    ReferralFactory(prescriber=colleague, last_name="Durand-Collegue")
    ReferralFactory(last_name="Petit-Ailleurs")
    login_prescriber(client, me)

    html = client.get(HOME).content.decode()

    assert "Martin-Mien" in html
    assert "Orienté" in html
    assert detail(mine) in html
    # Nobody else's, not even a colleague's of the same organisation.
    assert "Durand-Collegue" not in html
    assert "Petit-Ailleurs" not in html


@pytest.mark.parametrize("owner", ["colleague", "elsewhere"])
def test_somebody_elses_referral_is_not_found(client, owner):
    me = PrescriberFactory()
    other = PrescriberFactory(organisation=me.organisation) if owner == "colleague" else None
    referral = ReferralFactory(**({"prescriber": other} if other else {}))
    login_prescriber(client, me)

    assert client.get(detail(referral)).status_code == 404
    assert not ReferralConsultation.objects.exists()


@override_settings(PROGRAMME_CONTACTS=CONTACTS)
def test_the_follow_up_page_shows_the_stage_and_whom_to_contact_never_the_pairs_content(client):
    me = PrescriberFactory()
    pair = MentorshipFactory(active=True, mentee=MenteeFactory(approved=True))
    session = SessionFactory(mentorship=pair, summary="Résumé-confidentiel-de-seance")
    SessionEvaluationFactory(session=session, comment="Commentaire-confidentiel")
    pair.mentee.goals = "Objectifs-confidentiels"
    pair.mentee.save()
    referral = ReferralFactory(prescriber=me, mentee=pair.mentee)
    login_prescriber(client, me)

    html = client.get(detail(referral)).content.decode()

    assert "Étape actuelle : <strong>Actif</strong>" in html
    assert "camille.martin@example.org" in html
    for secret in (
        "Résumé-confidentiel-de-seance",
        "Commentaire-confidentiel",
        "Objectifs-confidentiels",
        pair.mentor.user.last_name,
    ):
        assert secret not in html


def test_every_reading_is_traced(client):
    me = PrescriberFactory()
    first, second = ReferralFactory(prescriber=me), ReferralFactory(prescriber=me)
    login_prescriber(client, me)

    client.get(HOME)
    client.get(detail(first))

    traces = ReferralConsultation.objects.order_by("pk")
    assert [(t.referral_id, t.page) for t in traces] == [
        *sorted(
            [(second.pk, ConsultedPage.LIST), (first.pk, ConsultedPage.LIST)],
            key=lambda trace: -Referral.objects.get(pk=trace[0]).created_at.timestamp(),
        ),
        (first.pk, ConsultedPage.DETAIL),
    ]
    assert {t.consulted_by for t in traces} == {me.user}


@pytest.mark.parametrize("count", [1, 6])
def test_the_list_takes_the_same_queries_whatever_the_number_of_referrals(
    client, django_assert_num_queries, count
):
    me = PrescriberFactory()
    for _ in range(count):
        ReferralFactory(prescriber=me)
        ReferralFactory(prescriber=me, mentee=MentorshipFactory(active=True).mentee)
    login_prescriber(client, me)
    # Session, user, the prescriber (with the organisation), their second factor's device,
    # the referrals with their stage, the traces (one insert).
    with django_assert_num_queries(6):
        assert client.get(HOME).status_code == 200


def test_a_prescriber_without_the_code_reaches_nothing_and_writes_nothing(client):
    me = PrescriberFactory()
    referral = ReferralFactory(prescriber=me)
    confirmed_device(me.user)
    client.force_login(me.user)

    for url in (HOME, detail(referral), reverse("spaces:my_data"), reverse("home")):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("two_factor_verify") + "?next=")
    response = client.post(reverse("prescribers:refer"), referral_form_data())
    assert response.url.startswith(reverse("two_factor_verify"))
    assert Referral.objects.count() == 1
    assert not ReferralConsultation.objects.exists()


def test_a_prescriber_without_an_app_is_asked_to_enrol_one(client):
    me = PrescriberFactory()
    client.force_login(me.user)

    response = client.get(HOME)

    assert response.url.startswith(reverse("two_factor_setup") + "?next=")
    assert client.get(reverse("two_factor_setup")).status_code == 200


def test_after_login_a_prescriber_lands_on_their_space(client):
    me = PrescriberFactory()
    login_prescriber(client, me)

    assert client.get(reverse("landing")).url == HOME


def test_staff_and_members_are_not_prescribers(client):
    client.force_login(MenteeFactory().user)
    assert client.get(HOME).status_code == 404
    coordinator = make_coordinator()
    assert not is_prescriber(coordinator)


def test_a_deactivated_prescriber_has_no_space(client):
    me = PrescriberFactory()
    login_prescriber(client, me)
    me.user.is_active = False
    me.user.save()

    assert client.get(HOME).status_code == 302  # logged out: Django drops inactive users


# The coordinator creates the account in the admin.


def test_a_coordinator_creates_a_prescribers_account_with_an_e_mailed_link(
    client, django_capture_on_commit_callbacks
):
    from tests.users.staff import login_staff

    organisation = PrescriberFactory().organisation
    login_staff(client, make_coordinator())

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:prescribers_prescriber_add"),
            {
                "first_name": "Léa",
                "last_name": "Garnier",
                "email": "Lea.Garnier@example.org",
                "organisation": organisation.pk,
                "job_title": "CPE",
            },
        )

    assert response.status_code == 302
    created = organisation.prescribers.get(user__email="lea.garnier@example.org")
    user = created.user
    assert not user.is_staff
    assert not user.has_usable_password()
    assert is_prescriber(user)
    [message] = mail.outbox
    assert message.to == ["lea.garnier@example.org"]
    assert "/compte/mot-de-passe/choisir/" in message.body


def test_an_address_that_has_an_account_is_refused_beside_the_field(client):
    existing = PrescriberFactory()
    from tests.users.staff import login_staff

    login_staff(client, make_coordinator())

    response = client.post(
        reverse("admin:prescribers_prescriber_add"),
        {
            "first_name": "Léa",
            "last_name": "Garnier",
            "email": existing.user.email,
            "organisation": existing.organisation.pk,
        },
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["email"] == [
        "Cette adresse a déjà un compte sur la plateforme."
    ]


def test_the_menu_leads_a_prescriber_to_their_referrals_and_a_member_to_their_space(client):
    login_prescriber(client, PrescriberFactory())

    menu = client.get(HOME).content.decode()

    assert f'href="{HOME}">Mes orientations</a>' in menu
    assert "Mon espace" not in menu

    member = MenteeFactory(approved=True).user
    client.force_login(member)
    page = client.get(reverse("spaces:home")).content.decode()
    assert "Mes orientations" not in page
    assert f'href="{reverse("spaces:home")}">Mon espace</a>' in page
