"""The tests put the staff groups back after a flush by replaying the data migrations that
made them: none may be forgotten, or a role would lose a permission in the tests that run
after a transactional one (and only in the full suite)."""

import re
from pathlib import Path

from django.conf import settings

from tests.users.staff import GROUP_MIGRATIONS


def migrations_granting_permissions() -> set[str]:
    root = Path(settings.BASE_DIR)
    found = set()
    for path in root.glob("**/migrations/0*.py"):
        if ".venv" in path.parts or "node_modules" in path.parts:
            continue
        source = path.read_text()
        if "RunPython" in source and re.search(r"\b(Permission|Group)\b", source):
            found.add(".".join(path.relative_to(root).with_suffix("").parts))
    return found


def test_every_migration_that_grants_permissions_is_replayed_after_a_flush():
    assert {module for module, _ in GROUP_MIGRATIONS} == migrations_granting_permissions()
