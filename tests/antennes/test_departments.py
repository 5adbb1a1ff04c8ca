"""An antenne's départements: known codes only, named « 93 – Seine-Saint-Denis », each in one
antenne at most (the database says it too)."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from matching.geography import department_codes
from tests.antennes.factories import make_antenne
from users.antennes import AntenneDepartment, validate_department
from users.geography import DEPARTMENT_NAMES, department_label
from users.services import AntenneError, antenne_departments_set

pytestmark = pytest.mark.django_db


def test_the_names_cover_exactly_the_departements_matching_knows():
    assert sorted(DEPARTMENT_NAMES) == sorted(department_codes())


@pytest.mark.parametrize(
    ("code", "label"),
    [("93", "93 – Seine-Saint-Denis"), ("2A", "2A – Corse-du-Sud"), ("974", "974 – La Réunion")],
)
def test_a_departement_reads_as_its_code_and_name(code, label):
    assert department_label(code) == label


@pytest.mark.parametrize("code", ["20", "975", "99", ""])
def test_an_unknown_code_is_refused_in_french(code):
    with pytest.raises(ValidationError, match="n'est pas un département connu"):
        validate_department(code)


def test_a_departement_of_another_antenne_is_refused_in_french_and_nothing_changes():
    make_antenne("Seine-Saint-Denis", ["93"])
    est = make_antenne("Île-de-France Est", ["94"])

    refusal = "Déjà couvert par une autre antenne : 93 – Seine-Saint-Denis (Seine-Saint-Denis)."
    with pytest.raises(AntenneError, match=re.escape(refusal)):
        antenne_departments_set(antenne=est, departments=["93", "94", "77"])

    assert list(est.departments.values_list("department", flat=True)) == ["94"]


def test_the_database_refuses_a_departement_in_two_antennes():
    first = make_antenne("Première", ["69"])
    second = make_antenne("Seconde", ["01"])

    with pytest.raises(IntegrityError), transaction.atomic():
        AntenneDepartment.objects.create(antenne=second, department="69")

    assert AntenneDepartment.objects.get(department="69").antenne == first
