"""Young people, as the demo builds them too (mentorat/demo/factories.py)."""

from mentorat.demo.factories import (
    MenteeFactory,
    PriorityMarkFactory,
    PriorityPublicFactory,
    born_years_ago,
)

__all__ = ["MenteeFactory", "PriorityMarkFactory", "PriorityPublicFactory", "born_years_ago"]
