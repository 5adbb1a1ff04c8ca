import factory
from factory.django import DjangoModelFactory

from users.models import User

DEFAULT_PASSWORD = "mentorat-demo-2026"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["email"]
        skip_postgeneration_save = True

    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    email = factory.Sequence(lambda n: f"personne{n}@example.org")
    password = factory.django.Password(DEFAULT_PASSWORD)

    class Params:
        staff = factory.Trait(is_staff=True)
        coordinator = factory.Trait(is_staff=True, is_superuser=True)
        without_password = factory.Trait(password="!")
