from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    """The RGPD tools: the registry of personal fields, the right of access, anonymisation,
    retention, and the trails of erasures and data accesses."""

    name = "mentorat.privacy"
    label = "privacy"
    verbose_name = "Données personnelles (RGPD)"
