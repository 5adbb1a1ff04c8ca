from users.errors import ServiceError


class MenteeError(ServiceError):
    """A young person's registration refused by a programme rule (the age bounds…): `errors`
    maps form fields (or None) to French messages."""
