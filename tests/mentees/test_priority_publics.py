"""Priority publics as data: staff confirm, add or remove a young person's publics from their
page (through the services, with who did it), coordinators manage the list, and the roles
have exactly their permissions on it."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from mentees.enums import Declarant
from mentees.errors import MenteeError
from mentees.models import PriorityMark, PriorityPublic
from mentees.services import (
    priority_mark_add,
    priority_mark_confirm,
    priority_mark_remove,
    priority_marks_confirm_all,
)
from tests.matching.factories import MentorshipFactory
from tests.mentees.factories import MenteeFactory
from tests.users.staff import login_staff, make_coordinator, make_referent, staff_groups

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 6, 15, 10, 0, tzinfo=datetime.UTC)


def change_page(mentee) -> str:
    return reverse("admin:mentees_mentee_change", args=[mentee.pk])


def publics_url(mentee) -> str:
    return reverse("admin:mentees_mentee_publics", args=[mentee.pk])


def mark(mentee, code) -> PriorityMark:
    return mentee.priority_marks.get(public__code=code)


@pytest.fixture
def coordinator(client):
    user = make_coordinator(first_name="Camille", last_name="Martin")
    login_staff(client, user)
    return user


# --- The services


def test_confirming_records_who_and_when_and_keeps_who_declared():
    mentee = MenteeFactory(publics=["QPV"])
    staff = make_coordinator()

    with time_machine.travel(NOW, tick=False):
        confirmed = priority_mark_confirm(mark=mark(mentee, "QPV"), confirmed_by=staff)

    assert (confirmed.confirmed_by, confirmed.confirmed_at) == (staff, NOW)
    assert (confirmed.declared_by, confirmed.declared_by_user) == (Declarant.MENTEE, None)
    [last] = confirmed.history.order_by("-history_date")[:1]
    assert (last.history_user, last.history_change_reason) == (staff, "Confirmé")


def test_confirming_twice_keeps_the_first_confirmation():
    mentee = MenteeFactory(publics=["QPV"])
    first, second = make_coordinator(), make_coordinator()
    priority_mark_confirm(mark=mark(mentee, "QPV"), confirmed_by=first)

    priority_mark_confirm(mark=mark(mentee, "QPV"), confirmed_by=second)

    assert mark(mentee, "QPV").confirmed_by == first


def test_staff_add_a_missing_public_declared_and_confirmed_by_them():
    mentee = MenteeFactory()
    staff = make_coordinator()
    ase = PriorityPublic.objects.get(code="ASE")

    added = priority_mark_add(mentee=mentee, public=ase, added_by=staff)

    assert (added.declared_by, added.declared_by_user, added.confirmed_by) == (
        Declarant.STAFF,
        staff,
        staff,
    )
    assert added.history.get().history_user == staff


def test_adding_a_public_the_young_person_declared_confirms_it():
    mentee = MenteeFactory(publics=["QPV"])
    staff = make_coordinator()

    priority_mark_add(mentee=mentee, public=PriorityPublic.objects.get(code="QPV"), added_by=staff)

    kept = mark(mentee, "QPV")
    assert (kept.declared_by, kept.confirmed_by) == (Declarant.MENTEE, staff)
    assert mentee.priority_marks.count() == 1


def test_a_withdrawn_public_cannot_be_added():
    mentee = MenteeFactory()
    withdrawn = PriorityPublic.objects.get(code="PJJ")
    withdrawn.is_active = False
    withdrawn.save()

    with pytest.raises(MenteeError, match="n'est plus un public proposé"):
        priority_mark_add(mentee=mentee, public=withdrawn, added_by=make_coordinator())
    assert not mentee.priority_marks.exists()


def test_removing_leaves_a_trace_of_who_removed_it():
    mentee = MenteeFactory(publics=["QPV", "ASE"])
    staff = make_coordinator()
    wrong = mark(mentee, "ASE")

    priority_mark_remove(mark=wrong, removed_by=staff)
    priority_mark_remove(mark=wrong, removed_by=staff)  # gone already: nothing happens

    assert list(mentee.priority_marks.values_list("public__code", flat=True)) == ["QPV"]
    removal = PriorityMark.history.get(id=wrong.pk, history_type="-")
    assert (removal.history_user, removal.history_change_reason) == (staff, "Retiré par l'équipe")


def test_confirm_all_confirms_only_the_waiting_ones():
    mentee = MenteeFactory(publics=["QPV", "ASE", "ZRR"])
    first, second = make_coordinator(), make_coordinator()
    priority_mark_confirm(mark=mark(mentee, "QPV"), confirmed_by=first)

    assert priority_marks_confirm_all(mentee=mentee, confirmed_by=second) == 2

    by = dict(mentee.priority_marks.values_list("public__code", "confirmed_by"))
    assert by == {"QPV": first.pk, "ASE": second.pk, "ZRR": second.pk}


# --- The young person's page


def test_the_page_shows_each_public_with_who_declared_it_and_its_confirmation(client, coordinator):
    mentee = MenteeFactory(priority=True, mission_locale_name="ML de Bondy")
    with time_machine.travel(NOW, tick=False):
        priority_mark_add(
            mentee=mentee, public=PriorityPublic.objects.get(code="ZRR"), added_by=coordinator
        )

    html = client.get(change_page(mentee)).content.decode()

    box = html.split('aria-labelledby="priority-publics-title"')[1].split("</section>")[0]
    assert "Suivi par une Mission Locale (ML de Bondy)" in box
    assert "par le jeune, le " in box
    assert "par Camille Martin (équipe), le 15/06/2026" in box
    assert "confirmé par Camille Martin le 15/06/2026" in box
    assert box.count("à confirmer") == 3
    assert box.count('name="confirmer"') == 3
    assert box.count('name="retirer"') == 4
    assert "Confirmer les 3 publics déclarés" in box
    assert '<label for="id_public_to_add">Ajouter un public :</label>' in box
    assert '<option value="ASE">' in box
    assert '<option value="QPV">' not in box


def test_staff_confirm_a_declared_public_by_a_click(client, coordinator):
    mentee = MenteeFactory(publics=["QPV", "ASE"])

    response = client.post(publics_url(mentee), {"confirmer": mark(mentee, "QPV").pk})

    assert response.status_code == 302
    assert response.url == change_page(mentee)
    assert mark(mentee, "QPV").confirmed_by == coordinator
    assert mark(mentee, "ASE").confirmed_at is None
    messages = [str(m) for m in client.get(response.url).context["messages"]]
    assert messages == ["Public « Quartier prioritaire (QPV) » confirmé."]


def test_staff_confirm_every_declared_public_at_once(client, coordinator):
    mentee = MenteeFactory(publics=["QPV", "ASE"])

    client.post(publics_url(mentee), {"tout_confirmer": "1"})

    assert not mentee.priority_marks.unconfirmed().exists()


def test_staff_add_and_remove_a_public(client, coordinator):
    mentee = MenteeFactory(publics=["QPV"])

    client.post(publics_url(mentee), {"ajouter": "1", "public": "BOURSIER"})
    client.post(publics_url(mentee), {"retirer": mark(mentee, "QPV").pk})

    [kept] = mentee.priority_marks.all()
    assert (kept.public.code, kept.declared_by, kept.declared_by_user) == (
        "BOURSIER",
        Declarant.STAFF,
        coordinator,
    )


def test_adding_without_choosing_says_so_in_french(client, coordinator):
    mentee = MenteeFactory()

    response = client.post(publics_url(mentee), {"ajouter": "1", "public": ""}, follow=True)

    assert not mentee.priority_marks.exists()
    assert [str(m) for m in response.context["messages"]] == [
        "Choisissez dans la liste le public prioritaire à ajouter."
    ]


def test_a_mark_of_another_young_person_is_not_touched(client, coordinator):
    mentee, other = MenteeFactory(), MenteeFactory(publics=["QPV"])

    client.post(publics_url(mentee), {"retirer": mark(other, "QPV").pk})
    client.post(publics_url(mentee), {"confirmer": mark(other, "QPV").pk})

    assert mark(other, "QPV").confirmed_at is None


def test_a_referent_reads_the_publics_of_their_young_people_without_the_buttons(client):
    referent = make_referent()
    pair = MentorshipFactory(active=True, mentor__referent=referent, mentee__publics=["QPV"])
    login_staff(client, referent)

    html = client.get(change_page(pair.mentee)).content.decode()
    refused = client.post(publics_url(pair.mentee), {"confirmer": mark(pair.mentee, "QPV").pk})

    assert "Quartier prioritaire (QPV)" in html
    assert 'name="confirmer"' not in html
    assert 'id="id_public_to_add"' not in html
    assert refused.status_code == 403
    assert mark(pair.mentee, "QPV").confirmed_at is None


@pytest.mark.parametrize(
    ("code", "found"),
    [("QPV", {"qpv", "both"}), ("ASE", {"both"}), ("aucun", {"none"})],
)
def test_the_list_filters_by_public(admin_client, code, found):
    people = {
        "qpv": MenteeFactory(publics=["QPV"]),
        "both": MenteeFactory(publics=["QPV", "ASE"]),
        "none": MenteeFactory(),
    }
    response = admin_client.get(reverse("admin:mentees_mentee_changelist"), {"public": code})
    assert set(response.context["cl"].result_list) == {people[name] for name in found}


# --- The list coordinators manage


def test_coordinators_add_a_public_with_its_code_in_capitals(client, coordinator):
    response = client.post(
        reverse("admin:mentees_prioritypublic_add"),
        {
            "label": "Cité éducative",
            "code": "cite_educ",
            "question": "Mon collège fait partie d'une cité éducative",
            "order": "20",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    assert PriorityPublic.objects.get(code="CITE_EDUC").label == "Cité éducative"


def test_a_used_public_is_withdrawn_never_deleted(client, coordinator):
    MenteeFactory(publics=["QPV"])
    used = PriorityPublic.objects.get(code="QPV")
    unused = PriorityPublic.objects.get(code="PJJ")

    assert (
        client.get(reverse("admin:mentees_prioritypublic_delete", args=[used.pk])).status_code
        == 403
    )
    assert (
        client.get(reverse("admin:mentees_prioritypublic_delete", args=[unused.pk])).status_code
        == 200
    )
    page = client.get(reverse("admin:mentees_prioritypublic_changelist"))
    assert "delete_selected" not in page.content.decode()
    counts = {row.code: row.marks_count for row in page.context["cl"].result_list}
    assert (counts["QPV"], counts["PJJ"]) == (1, 0)


def test_the_roles_have_exactly_their_permissions_on_the_publics():
    coordinators, referents = staff_groups()
    wanted = {
        f"{action}_{model}"
        for action in ("add", "change", "delete", "view")
        for model in ("prioritypublic", "prioritymark")
    }
    held = set(coordinators.permissions.values_list("codename", flat=True))
    assert wanted <= held
    read = set(
        referents.permissions.filter(codename__contains="priority").values_list(
            "codename", flat=True
        )
    )
    assert read == {"view_prioritypublic", "view_prioritymark"}
