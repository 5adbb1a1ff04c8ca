from django.conf import settings

from users.programme import RULES


def programme(request):
    return {
        "programme_name": settings.PROGRAMME_NAME,
        "association_name": settings.ASSOCIATION_NAME,
        "programme_contacts": settings.PROGRAMME_CONTACTS,
        # The programme's numbers and their words: templates say them, never restate them.
        "rules": RULES,
        # The URL names of the pages the domain apps' templates link to.
        "page_urls": settings.PAGE_URLS,
    }
