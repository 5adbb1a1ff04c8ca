from django.apps import AppConfig


class RemindersConfig(AppConfig):
    # Its own app: a reminder is about registrations, pairs, sessions and questionnaires at
    # once, so it sits above all of them.
    name = "reminders"
    verbose_name = "Rappels"
