from django.apps import AppConfig


class PagesConfig(AppConfig):
    """The public pages (home, privacy notice, health check), the login's landing dispatch
    and the context processor every template reads."""

    name = "mentorat.pages"
    label = "pages"
    verbose_name = "Pages"
