from django.conf import settings
from django.shortcuts import render


def home(request):
    return render(request, "mentorat/home.html")


def privacy(request):
    return render(
        request,
        "mentorat/privacy.html",
        {
            "retention_years": settings.RETENTION_YEARS_AFTER_LAST_PAIR,
            "rejection_retention_months": settings.RETENTION_MONTHS_AFTER_REJECTION,
            "guardian_link_days": settings.GUARDIAN_CONSENT_LINK_MAX_AGE_DAYS,
            "privacy_notice_version": settings.PRIVACY_NOTICE_VERSION,
        },
    )


def health(request):
    # Health check for the load balancer and docker-compose, and the benchmark's baseline: the
    # cost of a bare Django view rendering a template, with no database query.
    return render(request, "mentorat/health.html")
