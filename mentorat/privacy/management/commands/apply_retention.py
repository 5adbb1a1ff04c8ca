from django.core.management.base import BaseCommand

from mentorat.privacy.retention import retention_apply


class Command(BaseCommand):
    help = "Anonymise the accounts past their retention period (RGPD)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="List the accounts that would be anonymised, without changing anything.",
        )

    def handle(self, *args, dry_run=False, **options):
        ids = retention_apply(dry_run=dry_run)
        # Account ids only: names and e-mails never reach the console or the logs.
        listed = ", ".join(str(pk) for pk in ids) or "aucun"
        if dry_run:
            self.stdout.write(f"{len(ids)} compte(s) seraient anonymisés : {listed}")
        else:
            self.stdout.write(f"{len(ids)} compte(s) anonymisés : {listed}")
