from django.apps import AppConfig


class MenteesConfig(AppConfig):
    name = "mentees"
    verbose_name = "Jeunes"
