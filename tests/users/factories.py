"""People, as the demo builds them too (mentorat/demo_factories.py)."""

from mentorat.demo_factories import DEFAULT_PASSWORD, UserFactory

__all__ = ["DEFAULT_PASSWORD", "UserFactory"]
