"""Loaded by the admin's autodiscovery: the project app's admin lives in its sub-packages."""

from . import technical_admin  # noqa: F401
from .privacy import admin as privacy_admin  # noqa: F401
