from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo data (`seed_demo`, `demo_code`) and the benchmark (`bench`): built with their
    own factories, never with the test suite's."""

    name = "mentorat.demo"
    label = "demo"
    verbose_name = "Démonstration"
