"""Mentors and their honorability checks, as the demo builds them too
(mentorat/demo/factories.py)."""

from mentorat.demo.factories import MentorFactory, ScreeningRecordFactory

__all__ = ["MentorFactory", "ScreeningRecordFactory"]
