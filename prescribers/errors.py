from users.errors import ServiceError


class PrescriberError(ServiceError):
    """A referral or a prescriber's account refused by a programme rule: `errors` maps form
    fields (or None) to French messages."""
