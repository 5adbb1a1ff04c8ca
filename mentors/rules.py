"""The honorability check's calendar. How long a check stays valid is the setting
SCREENING_VALIDITY_DAYS (read by `mentors.models.screening_valid_since`); how long before its
end the coordinators are warned to renew it is stated in users.programme."""

from users.programme import SCREENING_EXPIRY_WARNING

__all__ = ["SCREENING_EXPIRY_WARNING"]
