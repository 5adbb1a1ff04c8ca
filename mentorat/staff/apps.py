from django.apps import AppConfig


class StaffConfig(AppConfig):
    """The staff's pages inside the admin (staff home, référent's home, dashboard and exports),
    the admin of the référents' exchanges and of the libraries' technical models."""

    name = "mentorat.staff"
    label = "staff"
    verbose_name = "Personnel"
