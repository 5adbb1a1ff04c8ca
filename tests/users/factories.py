"""People, as the demo builds them too (mentorat/demo_factories.py)."""

from mentorat.demo.factories import DEFAULT_PASSWORD, UserFactory

__all__ = ["DEFAULT_PASSWORD", "UserFactory"]
