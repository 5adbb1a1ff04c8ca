"""The programme's ages (users.programme MIN_AGE, MAX_AGE) are the service's rule: the form
only asks it first."""

import datetime

import pytest
import time_machine

from mentees.errors import MenteeError
from mentees.forms import MenteeRegistrationForm
from mentees.models import Mentee
from mentees.services import mentee_register
from tests.mentees.form_data import birth_date_for_age, mentee_form_data, minor_form_data
from users.models import User
from users.programme import MAX_AGE, MIN_AGE

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 15)


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2026, 3, 15, 12, tzinfo=datetime.UTC)):
        yield


def registration_fields(age: int) -> dict:
    """What a valid form gives the service, for somebody of an age the form accepts."""
    data = minor_form_data(15) if age < 18 else mentee_form_data()
    form = MenteeRegistrationForm(data)
    assert form.is_valid(), form.errors
    fields = form.registration_fields()
    fields["birth_date"] = birth_date_for_age(age, today=TODAY)
    return fields


def register(age: int) -> Mentee | None:
    return mentee_register(
        email="jeune@example.org",
        first_name="Inès",
        last_name="Martin",
        fields=registration_fields(age),
    )


@pytest.mark.parametrize(
    ("age", "message"),
    [
        (MIN_AGE - 1, f"à partir de {MIN_AGE} ans"),
        (MAX_AGE + 1, f"jusqu'à {MAX_AGE} ans inclus"),
    ],
)
def test_the_service_refuses_an_age_outside_the_programme_without_the_form(age, message):
    with pytest.raises(MenteeError) as refused:
        register(age)

    assert list(refused.value.errors) == ["birth_date"]
    assert message in refused.value.errors["birth_date"]
    # Refused before anything is written: no account, no registration.
    assert not User.objects.exists()
    assert not Mentee.objects.exists()


@pytest.mark.parametrize("age", [MIN_AGE, MAX_AGE])
def test_the_service_takes_the_first_and_the_last_age_of_the_programme(age):
    mentee = register(age)

    assert mentee is not None
    assert mentee.birth_date == birth_date_for_age(age, today=TODAY)


@pytest.mark.parametrize("age", [MIN_AGE - 1, MAX_AGE + 1])
def test_the_form_states_the_services_refusal_beside_the_birth_date(age):
    data = minor_form_data(15) if age < 18 else mentee_form_data()
    data["birth_date"] = birth_date_for_age(age, today=TODAY).isoformat()
    form = MenteeRegistrationForm(data)

    assert not form.is_valid()
    with pytest.raises(MenteeError) as refused:
        register(age)
    assert form.errors["birth_date"] == [refused.value.errors["birth_date"]]
