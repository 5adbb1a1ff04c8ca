"""The staff's second factor: a TOTP code from an authenticator app (django-otp).

Coordinators see everybody's personal data, young people's included: unless the setting
OTP_REQUIRED_FOR_COORDINATORS turns it off, their session counts as verified only once a
code from their own confirmed device has been entered. OTP_REQUIRED_FOR_REFERENTS asks the
same of référents (off by default: they see only their own mentors' pairs). Until then
users/middleware.py lets them reach nothing but the code page."""

from base64 import b32encode, b64encode
from urllib.parse import urlencode

import django_otp
import qrcode
import qrcode.image.svg
from django.conf import settings
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from .roles import is_coordinator, is_prescriber, is_referent

DEVICE_NAME = "Application d'authentification"
# Set at login for somebody who owes the second factor without being staff (a prescriber):
# the middleware then asks for it on every page without a query for the other members.
OWED_SESSION_KEY = "second_factor_owed"


def second_factor_required(user) -> bool:
    """Per role: coordinators by default (an antenne's as the national ones: the group, not
    the scope, decides), référents when the association asks for it too."""
    # The admin asks on every permission check of a page: one query on the groups, not many.
    if not hasattr(user, "_second_factor_required"):
        user._second_factor_required = bool(
            (settings.OTP_REQUIRED_FOR_COORDINATORS and is_coordinator(user))
            or (settings.OTP_REQUIRED_FOR_REFERENTS and is_referent(user))
            # Not staff: no query on the groups for staff, who are never prescribers.
            or (settings.OTP_REQUIRED_FOR_PRESCRIBERS and not user.is_staff and is_prescriber(user))
        )
    return user._second_factor_required


def is_verified(user) -> bool:
    # Set by django-otp's middleware; absent on a user loaded any other way.
    verified = getattr(user, "is_verified", None)
    return bool(verified and verified())


def second_factor_missing(user) -> bool:
    # A verified session is checked first: it needs no query on the groups.
    return not is_verified(user) and second_factor_required(user)


def note_second_factor_owed(sender, request, user, **kwargs) -> None:
    """At login (signal user_logged_in): a member who owes the second factor (a prescriber)
    is marked in the session, which the middleware reads."""
    if request is not None and not user.is_staff and second_factor_required(user):
        request.session[OWED_SESSION_KEY] = True


def may_use_second_factor(user) -> bool:
    """Staff, and the members whose role asks for it (prescribers)."""
    return user.is_staff or is_prescriber(user)


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def second_factor_url(user, *, next_url: str) -> str:
    """The code page, or the enrolment page for somebody with no device yet."""
    name = "two_factor_verify" if confirmed_device(user) else "two_factor_setup"
    return f"{reverse(name)}?{urlencode({'next': next_url})}"


def pending_device(*, user) -> TOTPDevice:
    """The device being enrolled. It is kept until confirmed, so that reloading the page shows
    the QR code that was already scanned."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def check_code(*, device: TOTPDevice, code: str) -> str | None:
    """Verify a code on the device (with django-otp's throttling, under a row lock); return
    the error to show beside the field, or None when the code is right."""
    allowed, _ = device.verify_is_allowed()
    if not allowed:
        return "Trop de codes erronés : attendez quelques secondes avant de réessayer."
    if django_otp.verify_token(device.user, device.persistent_id, code) is None:
        return "Ce code est incorrect ou a expiré. Saisissez le code affiché en ce moment."
    return None


def confirm_device(*, request, device: TOTPDevice) -> None:
    """A first right code proves the app holds the secret: the device now counts."""
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    django_otp.login(request, device)


def manual_key(device: TOTPDevice) -> str:
    """The secret in base 32, in groups of four, for typing into the app by hand."""
    key = b32encode(device.bin_key).decode()
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def qr_code_data_uri(device: TOTPDevice) -> str:
    """The otpauth:// URI as an SVG QR code in a data: URI: drawn here, never sent to a third
    party, and allowed by the Content-Security-Policy (img-src data:)."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    return "data:image/svg+xml;base64," + b64encode(image.to_string()).decode()
