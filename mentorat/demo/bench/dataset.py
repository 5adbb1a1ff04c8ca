"""The data set as the load found it. Some pages write when opened (a questionnaire's draft,
the trace of a prescriber's or a coordinator's read, a pending authenticator app) and every
login leaves its log: under wrk they write hundreds of rows, which the next run would measure
(a longer list, one more kind of row in a changelist, a query count that no longer matches the
small data set's). Every row added to a table while the load runs is deleted afterwards: each
run measures the same data set. (Rows the pages update are left as they are.)"""

import contextlib

from django.apps import apps
from django.db import IntegrityError, models, transaction
from django.db.models import Max


def _counted_models() -> list[type[models.Model]]:
    """The tables with an increasing integer key (the others: the sessions, which the
    benchmark deletes itself)."""
    return [
        model
        for model in apps.get_models()
        if model._meta.managed
        and not model._meta.proxy
        and isinstance(model._meta.pk, models.AutoField | models.BigAutoField)
    ]


def marks() -> dict[type[models.Model], int]:
    """Each table's highest key now."""
    return {
        model: model._base_manager.aggregate(mark=Max("pk"))["mark"] or 0
        for model in _counted_models()
    }


def delete_after(found: dict[type[models.Model], int]) -> int:
    """Delete the rows added since `found`; how many (cascades included). A row that another
    new row protects is deleted in a later pass, once that one is gone."""
    deleted = 0
    pending = dict(found)
    for _ in range(3):
        left = {}
        for model, mark in pending.items():
            try:
                with transaction.atomic():
                    deleted += model._base_manager.filter(pk__gt=mark).delete()[0]
            except (models.ProtectedError, models.RestrictedError, IntegrityError):
                left[model] = mark
        if not left:
            break
        pending = left
    return deleted


@contextlib.contextmanager
def kept():
    """Within: the load; after: the rows it added are gone."""
    found = marks()
    try:
        yield
    finally:
        delete_after(found)
