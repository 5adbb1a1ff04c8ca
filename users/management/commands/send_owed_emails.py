from django.core.management.base import BaseCommand

from users.outbox import owed_emails_dispatch


class Command(BaseCommand):
    help = (
        "Envoie les e-mails dus dont l'heure est venue (la tâche de Celery beat de chaque "
        "minute) : sans Redis, dans ce processus ; avec, par les workers."
    )

    def handle(self, *args, **options):
        ids = owed_emails_dispatch()
        self.stdout.write(f"{len(ids)} e-mail(s) dû(s) envoyé(s) ou mis en file.")
