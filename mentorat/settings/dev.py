"""Local development: the embedded default (SQLite, in-process tasks, console e-mails)."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
