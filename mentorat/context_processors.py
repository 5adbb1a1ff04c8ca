from django.conf import settings


def programme(request):
    return {
        "programme_name": settings.PROGRAMME_NAME,
        "association_name": settings.ASSOCIATION_NAME,
        "programme_contacts": settings.PROGRAMME_CONTACTS,
    }
