import datetime
import re

from django.utils import timezone


def assert_error_tied_to_field(html: str, field: str) -> None:
    """The field's error is rendered beside it and the input (or its fieldset) points at it."""
    error_id = f"id_{field}_error"
    assert f'id="{error_id}"' in html, f"no error block for {field}"
    assert re.search(rf'aria-describedby="[^"]*\b{error_id}\b[^"]*"', html), (
        f"{field} is not described by its error"
    )


def days_ago(days: int) -> datetime.date:
    """A day relative to today on the test's clock (frozen or travelled by the test, or by
    MENTORAT_TEST_TODAY for the whole run: see tests/conftest.py)."""
    return timezone.localdate() - datetime.timedelta(days=days)
