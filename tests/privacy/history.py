"""A young person with a full history (a closed pair, sessions, evaluations, questionnaires,
consents, reminders, logins from a phone and a failed one): what « Mes données » must show
readably. Shared by the page's tests and its browser test."""

import datetime

from axes.models import AccessAttempt, AccessLog

from reminders.enums import ReminderFrequency
from reminders.models import ReminderPreference

from .test_privacy_erasure import a_programme

PHONE_CHROME = (
    "Mozilla/5.0 (Linux; Android 14; SM-A546B) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/129.0.6668.100 Mobile Safari/537.36"
)
IPHONE_SAFARI = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_6 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1"
)
# 03:36 UTC on 2 December is 04:36 in Paris (winter time).
LOGGED_IN_AT = datetime.datetime(2026, 12, 2, 3, 36, 31, 631252, tzinfo=datetime.UTC)
LOGGED_IN_WORDS = "2 décembre 2026 à 04:36"
EXPLANATION = [
    {"label": "aide à l'orientation : oui", "ok": True},
    {"label": "aide à la confiance en soi : non", "ok": False},
    {"label": "aucune langue commune", "ok": False},
]


def a_young_person_with_a_full_history():
    """The young person of `a_programme`, with logins and an explanation of every kind."""
    mentee, mentor, pair, _other = a_programme()
    pair.explanation = EXPLANATION
    pair.save(update_fields=["explanation"])
    login = AccessLog.objects.create(
        username=mentee.user.email,
        ip_address="192.0.2.10",
        user_agent=PHONE_CHROME,
        http_accept="text/html,application/xhtml+xml",
        path_info="/connexion/",
    )
    # django-axes dates its rows itself (auto_now_add): the login's time is set afterwards.
    AccessLog.objects.filter(pk=login.pk).update(attempt_time=LOGGED_IN_AT)
    AccessAttempt.objects.create(
        username=mentee.user.email,
        ip_address="192.0.2.11",
        user_agent=IPHONE_SAFARI,
        http_accept="text/html",
        path_info="/connexion/",
        get_data="",
        post_data="username=" + mentee.user.email,
        failures_since_start=1,
    )
    ReminderPreference.objects.create(user=mentee.user, frequency=ReminderFrequency.WEEKLY)
    return mentee, mentor, pair
