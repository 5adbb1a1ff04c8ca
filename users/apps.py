from django.apps import AppConfig


class UsersConfig(AppConfig):
    name = "users"
    verbose_name = "Comptes et inscriptions"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_delete, post_save

        from .antennes import Antenne, antenne_changed, note_member_contacts
        from .roles import note_member_role
        from .two_factor import note_second_factor_owed

        user_logged_in.connect(note_second_factor_owed, dispatch_uid="second_factor_owed")
        user_logged_in.connect(note_member_role, dispatch_uid="member_role")
        # An antenne's contacts are cached for its members' pages (users/antennes.py), from
        # the login on.
        user_logged_in.connect(note_member_contacts, dispatch_uid="member_contacts")
        post_save.connect(antenne_changed, sender=Antenne, dispatch_uid="antenne_saved")
        post_delete.connect(antenne_changed, sender=Antenne, dispatch_uid="antenne_deleted")
