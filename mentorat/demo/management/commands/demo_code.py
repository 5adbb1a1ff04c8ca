from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from mentorat.demo.seed import COORDINATOR_EMAIL, DEMO_TOTP_DEVICE

PRODUCTION_SETTINGS = "mentorat.settings.production"


class Command(BaseCommand):
    help = (
        "Affiche le code de double authentification du moment pour le coordinateur de "
        "démonstration (sa clé est publique, comme son mot de passe)."
    )

    def handle(self, *args, **options) -> None:
        if settings.SETTINGS_MODULE == PRODUCTION_SETTINGS:
            raise CommandError("Commande réservée à la démonstration, hors production.")
        device = TOTPDevice.objects.filter(
            user__email=COORDINATOR_EMAIL, name=DEMO_TOTP_DEVICE, confirmed=True
        ).first()
        if device is None:
            raise CommandError("Pas de coordinateur de démonstration : lancez seed_demo.")
        code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
        self.stdout.write(f"{code:0{device.digits}d}")
