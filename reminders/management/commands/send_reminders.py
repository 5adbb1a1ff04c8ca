"""The daily sweep without Celery: for cron-only deployments and for the demo."""

import datetime

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from reminders.sweep import digests as weekly_digests
from reminders.sweep import sweep


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"Date invalide : « {value} » (format attendu AAAA-MM-JJ).") from error


class Command(BaseCommand):
    help = (
        "Calcule les rappels dus et les envoie sans Celery (même calcul que la tâche "
        "quotidienne) ; --dry-run affiche ce qui serait envoyé sans rien écrire."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Afficher sans envoyer.")
        parser.add_argument("--date", help="Jour du calcul (AAAA-MM-JJ), aujourd'hui par défaut.")
        parser.add_argument(
            "--digests",
            action="store_true",
            dest="with_digests",
            help="Envoyer aussi les récapitulatifs de la semaine.",
        )

    def handle(self, *args, dry_run: bool, date: str | None, with_digests: bool, **options) -> None:
        today = _date(date) if date else timezone.localdate()
        if dry_run:
            rows = sweep(today=today, dry_run=True)
            self.stdout.write(f"{len(rows)} rappel(s) à envoyer le {today:%d/%m/%Y} (simulation) :")
            for row in rows:
                self.stdout.write(
                    f"  {row.get_kind_display()} → {row.recipient_email} ({row.target})"
                )
            return
        # Recorded first, in one transaction: whatever happens while sending, the rows say
        # what is left to send and the next run picks it up.
        with transaction.atomic():
            rows = sweep(today=today)
            if with_digests:
                rows += weekly_digests(today=today)
        # Imported here: sending (e-mail rendering) is only needed when something is sent.
        from reminders.sending import send_reminder_now

        sent = sum(1 for row in rows if send_reminder_now(row.pk))
        self.stdout.write(
            self.style.SUCCESS(f"{sent} rappel(s) envoyé(s) sur {len(rows)} à envoyer.")
        )
