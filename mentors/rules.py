"""The honorability check's calendar. How long a check stays valid is the setting
SCREENING_VALIDITY_DAYS (read by `mentors.models.screening_valid_since`); this is how long
before its end the coordinators are warned to renew it."""

import datetime

SCREENING_EXPIRY_WARNING = datetime.timedelta(days=60)
