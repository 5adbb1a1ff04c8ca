from django.apps import AppConfig


class MentoratConfig(AppConfig):
    """The project package is an app only to hold project-wide commands (seed_demo)."""

    name = "mentorat"
    verbose_name = "Mentorat"
