"""A coordinator matches a young person in the admin, in a real browser: logs in, goes from the
young person's page to their matching page, reads the profile and the suggestions in one screen
and proposes the best mentor in one click; and approves a mentor who accepts minors with the
honorability check seen on the spot."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from matching.batch import batch_compute
from matching.enums import BatchStatus, CloseReason, MentorshipStatus
from matching.models import MatchingBatch, Mentorship
from mentees.priority import PriorityMark, PriorityPublic
from mentors.models import ScreeningRecord
from tests.browser.conftest import accessibility_violations, describe_violation, log_in_to_the_admin
from tests.matching.factories import MentorshipFactory
from tests.mentees.factories import MenteeFactory
from tests.mentors.factories import MentorFactory
from tests.users.factories import UserFactory
from users.enums import MeetingMode, RegistrationStatus

pytestmark = pytest.mark.browser


def assert_no_accessibility_violation(page):
    """axe-core's WCAG 2.1 AA audit of the whole page: no violation at all."""
    violations = accessibility_violations(page)
    assert not violations, "\n".join(describe_violation(v) for v in violations)


def test_a_coordinator_proposes_the_best_mentor_from_a_young_persons_matching_page(
    page, mailoutbox
):
    coordinator = UserFactory(coordinator=True, first_name="Camille", last_name="Martin")
    mentee = MenteeFactory(
        approved=True, postal_code="93200", user__first_name="Yanis", user__last_name="Benali"
    )
    best = MentorFactory(
        approved=True,
        postal_code="93200",
        user__first_name="Sophie",
        user__last_name="Lemoine",
        employer="Orange",
    )
    # Remote only, from Lyon: a weaker match, listed second.
    MentorFactory(approved=True, postal_code="69003", meeting_mode=MeetingMode.REMOTE)

    log_in_to_the_admin(page, coordinator)
    page.goto(reverse("admin:mentees_mentee_change", args=[mentee.pk]))
    page.get_by_role("link", name="Trouver un mentor").click()

    expect(page.get_by_role("heading", name="Appariement : Yanis Benali")).to_be_visible()
    suggestions = page.get_by_role("table", name="Les 2 mentors les plus compatibles")
    expect(suggestions).to_be_visible()
    first = suggestions.get_by_role("row").nth(1)
    expect(first.get_by_role("rowheader")).to_contain_text("Sophie Lemoine")
    expect(first).to_contain_text("même département (93)")
    expect(first).to_contain_text("/100")
    expect(first).to_contain_text("2 sur 2")

    first.get_by_role("button", name="Proposer le binôme avec Sophie Lemoine").click()

    expect(page.locator(".messagelist")).to_contain_text(
        "Binôme proposé : Sophie Lemoine et Yanis Benali"
    )
    mentorship = Mentorship.objects.get()
    assert (mentorship.mentee, mentorship.mentor) == (mentee, best)
    assert mentorship.status == MentorshipStatus.PROPOSED
    assert mentorship.proposed_by == coordinator
    assert len(mailoutbox) == 2
    # Back on the matching page: the young person is no longer waiting, and it says why.
    expect(page.get_by_text("Le jeune a déjà un binôme proposé ou actif")).to_be_visible()
    page.get_by_role("link", name="Modifier la fiche").click()
    expect(page.get_by_role("button", name="Enregistrer", exact=True)).to_be_visible()


def test_the_matching_page_fits_a_laptop_screen_and_passes_the_audit(open_page):
    page = open_page("staff")
    coordinator = UserFactory(coordinator=True)
    mentee = MenteeFactory(
        approved=True, minor=True, with_consent=True, priority=True, postal_code="93200"
    )
    for number in range(12):
        MentorFactory(
            approved=True,
            for_minors=True,
            postal_code="93200",
            employer=f"Orange {number}",
            job_title="Cheffe de projet numérique",
        )
    # Found by the search, but blocked: the reasons are listed instead of a button.
    MentorFactory(approved=True, postal_code="93200", employer="Orange Bank")
    log_in_to_the_admin(page, coordinator)

    page.goto(reverse("admin:mentees_mentee_matching", args=[mentee.pk]))
    suggestions = page.get_by_role("table", name="Les 10 mentors les plus compatibles")
    expect(suggestions.get_by_role("row")).to_have_count(11)
    width, height = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.scrollHeight]"
    )
    # No sideways scrolling at 1366 px, and the profile with the ten suggestions in about
    # two screens of a 768 px-high laptop (the change page with them was 5,700 px).
    assert width <= 1366
    assert height <= 1850, height
    assert_no_accessibility_violation(page)

    page.get_by_label("Nom, e-mail ou employeur du mentor").fill("orange bank")
    page.get_by_role("button", name="Chercher").click()
    results = page.get_by_role("table", name="Mentors trouvés pour « orange bank »")
    expect(results.get_by_role("row")).to_have_count(2)
    expect(results).to_contain_text("Le jeune est mineur et le mentor n'accepte pas les mineurs")
    expect(results.get_by_role("button")).to_have_count(0)
    assert_no_accessibility_violation(page)


def test_a_coordinator_approves_a_mentor_for_minors_with_the_check_seen(page):
    coordinator = UserFactory(coordinator=True, first_name="Camille", last_name="Martin")
    mentor = MentorFactory(
        accepts_minors=True, user__first_name="Sophie", user__last_name="Lemoine"
    )
    log_in_to_the_admin(page, coordinator)

    page.goto(reverse("admin:mentors_mentor_change", args=[mentor.pk]))
    assert_no_accessibility_violation(page)
    page.get_by_role("link", name="Valider l'inscription (avec le contrôle d'honorabilité)").click()
    expect(page.get_by_text("Un contrôle reste valable")).to_be_visible()
    assert_no_accessibility_violation(page)

    page.get_by_label("Extrait de casier judiciaire (bulletin n° 3)").check()
    seen_on = timezone.localdate() - datetime.timedelta(days=3)
    page.get_by_label("Date du contrôle").fill(seen_on.isoformat())
    page.get_by_role("button", name="Enregistrer le contrôle et valider l'inscription").click()

    expect(page.locator(".messagelist")).to_contain_text(
        "Inscription de Sophie Lemoine validée ; contrôle d'honorabilité enregistré"
    )
    mentor.refresh_from_db()
    assert mentor.status == RegistrationStatus.APPROVED
    record = ScreeningRecord.objects.get()
    assert (record.checked_by, record.checked_on) == (coordinator, seen_on)

    # Now approved: on to the young people they could accompany.
    page.get_by_role("link", name="Trouver un jeune").click()
    expect(page.get_by_role("heading", name="Jeunes suggérés")).to_be_visible()
    expect(page.get_by_text("oui — contrôle d'honorabilité valide")).to_be_visible()
    assert_no_accessibility_violation(page)


def test_the_reject_page_passes_the_audit(page):
    coordinator = UserFactory(coordinator=True)
    mentee = MenteeFactory()
    log_in_to_the_admin(page, coordinator)

    page.goto(reverse("admin:mentees_mentee_change", args=[mentee.pk]))
    page.get_by_role("link", name="Refuser l'inscription…").click()
    page.get_by_role("button", name="Refuser l'inscription").click()

    expect(page.get_by_text("Indiquez le motif du refus.")).to_be_visible()
    assert_no_accessibility_violation(page)
    mentee.refresh_from_db()
    assert mentee.status == RegistrationStatus.PENDING_REVIEW


def test_a_closed_pair_leads_the_coordinator_to_a_rematch(open_page):
    """Issue 15: a pair that ended early puts the young person back in the queue; its page
    links to their matching page, which marks the rematch and states their priority."""
    page = open_page("staff")
    coordinator = UserFactory(coordinator=True)
    mentee = MenteeFactory(
        approved=True, postal_code="93200", user__first_name="Inès", user__last_name="Amrani"
    )
    # The live server's database is emptied between tests: the seeded list with it.
    public, _ = PriorityPublic.objects.get_or_create(
        code="ASE", defaults={"label": "Aide sociale à l'enfance (ASE)", "question": "ASE"}
    )
    PriorityMark.objects.create(mentee=mentee, public=public)
    pair = MentorshipFactory(mentee=mentee, closed=True, close_reason=CloseReason.MENTOR_WITHDREW)
    MentorFactory(approved=True, postal_code="93200", civility=mentee.civility)
    log_in_to_the_admin(page, coordinator)

    page.goto(reverse("admin:matching_mentorship_change", args=[pair.pk]))
    assert_no_accessibility_violation(page)
    page.get_by_role("link", name="Trouver un nouveau mentor au jeune (rematch)").click()

    expect(page.get_by_role("heading", name="Appariement : Inès Amrani")).to_be_visible()
    expect(
        page.get_by_text("son binôme précédent s'est arrêté avant ses objectifs")
    ).to_be_visible()
    expect(page.get_by_text("public prioritaire : ASE (+10)").first).to_be_visible()
    assert_no_accessibility_violation(page)

    # A batch explains each young person's priority beside the pair's score.
    batch = MatchingBatch.objects.create(
        created_by=coordinator, status=BatchStatus.DONE, result=batch_compute().as_json()
    )
    page.goto(reverse("admin:matching_matchingbatch_result", args=[batch.pk]))
    pairs = page.get_by_role("table", name="Décochez les binômes à ne pas créer")
    expect(pairs.get_by_role("columnheader", name="Priorité du jeune")).to_be_visible()
    expect(pairs.get_by_role("row").nth(1)).to_contain_text("rematch")
    expect(pairs.get_by_role("row").nth(1)).to_contain_text("public prioritaire : ASE (+10)")
    assert_no_accessibility_violation(page)
