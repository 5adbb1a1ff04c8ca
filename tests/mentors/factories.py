"""Mentors and their honorability checks, as the demo builds them too
(mentorat/demo/factories.py)."""

from mentorat.demo.factories import (
    MentorFactory,
    ScreeningRecordFactory,
    TrainingRegistrationFactory,
    TrainingSessionFactory,
)

__all__ = [
    "MentorFactory",
    "ScreeningRecordFactory",
    "TrainingRegistrationFactory",
    "TrainingSessionFactory",
]
