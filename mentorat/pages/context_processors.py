from django.conf import settings
from django.utils.functional import SimpleLazyObject

from users.antennes import cached_contacts_for
from users.programme import RULES


def _contacts(request) -> list[dict]:
    # Once per request, whatever the number of templates rendered.
    if not hasattr(request, "_member_contacts"):
        request._member_contacts = cached_contacts_for(getattr(request, "user", None))
    return request._member_contacts


def programme(request):
    return {
        "programme_name": settings.PROGRAMME_NAME,
        "association_name": settings.ASSOCIATION_NAME,
        "programme_contacts": settings.PROGRAMME_CONTACTS,
        # Whom the person reading writes to: a member's antenne, else the programme
        # (users.antennes.cached_contacts_for), read only by a template that shows it.
        "contacts": SimpleLazyObject(lambda: _contacts(request)),
        # The programme's numbers and their words: templates say them, never restate them.
        "rules": RULES,
        # The URL names of the pages the domain apps' templates link to.
        "page_urls": settings.PAGE_URLS,
    }
