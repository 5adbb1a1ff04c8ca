"""Django's manage.py, importable: the `mentorat` console script of an installed copy runs it
from any directory, and the repository's manage.py delegates to it."""

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentorat.settings.dev")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
