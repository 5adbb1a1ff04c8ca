from django.apps import AppConfig


class SpacesConfig(AppConfig):
    """The members' spaces (« Mon espace »): a mentor's or a young person's pairs, their pair
    page and their own data."""

    name = "mentorat.spaces"
    label = "spaces"
    verbose_name = "Espaces des membres"
