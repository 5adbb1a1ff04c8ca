"""Young people, as the demo builds them too (mentorat/demo/factories.py)."""

from mentorat.demo.factories import MenteeFactory, born_years_ago

__all__ = ["MenteeFactory", "born_years_ago"]
