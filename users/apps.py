from django.apps import AppConfig


class UsersConfig(AppConfig):
    name = "users"
    verbose_name = "Comptes et inscriptions"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from .roles import note_member_role
        from .two_factor import note_second_factor_owed

        user_logged_in.connect(note_second_factor_owed, dispatch_uid="second_factor_owed")
        user_logged_in.connect(note_member_role, dispatch_uid="member_role")
