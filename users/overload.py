"""A form whose save meets an overloaded database keeps what the person typed.

The database may still refuse a write after waiting its turn (SQLite's busy timeout, a
PostgreSQL lock or serialisation failure): that is an `OperationalError`, which Django would
answer with the 500 page, and what was typed would be lost. Every form view already shows a
service's refusal beside the form it re-renders; this turns that database error, raised by a
statement during the view, into such a refusal, so the same code path answers it."""

import functools
import logging
from collections.abc import Callable

from django.db import OperationalError, connection

from .errors import ServiceError

# Neither « tu » nor « vous »: young people, mentors and guardians meet it alike.
OVERLOADED = (
    "Le service est momentanément surchargé : rien n'a été enregistré. Le formulaire est resté "
    "rempli, il suffit de l'envoyer à nouveau dans un instant."
)

logger = logging.getLogger(__name__)


def form_kept_when_overloaded(refusal: type[ServiceError] = ServiceError) -> Callable:
    """Decorates a form view that catches `refusal` around its service call and re-renders
    the bound form with it. On a POST, a statement the database refuses as overloaded raises
    `refusal(OVERLOADED)` instead: the service's transaction rolls back as for any refusal,
    and the view answers its form again, filled in as it was sent."""

    def decorator(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method != "POST":
                return view(request, *args, **kwargs)

            def refuse_when_overloaded(execute, sql, params, many, context):
                try:
                    return execute(sql, params, many, context)
                except OperationalError as error:
                    logger.warning("Form not saved, database overloaded: %s", error)
                    raise refusal(OVERLOADED) from error

            with connection.execute_wrapper(refuse_when_overloaded):
                return view(request, *args, **kwargs)

        return wrapped

    return decorator
