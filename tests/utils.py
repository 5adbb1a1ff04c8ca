import re


def assert_error_tied_to_field(html: str, field: str) -> None:
    """The field's error is rendered beside it and the input (or its fieldset) points at it."""
    error_id = f"id_{field}_error"
    assert f'id="{error_id}"' in html, f"no error block for {field}"
    assert re.search(rf'aria-describedby="[^"]*\b{error_id}\b[^"]*"', html), (
        f"{field} is not described by its error"
    )
