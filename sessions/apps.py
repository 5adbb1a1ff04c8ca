from django.apps import AppConfig


class MentoringSessionsConfig(AppConfig):
    # "sessions" is django.contrib.sessions' label: this app's tables are mentoring_sessions_*.
    name = "sessions"
    label = "mentoring_sessions"
    verbose_name = "Séances de mentorat"
