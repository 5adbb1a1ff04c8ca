from users.errors import ServiceError


class MentorError(ServiceError):
    """A step of the mentors' follow-up refused by a programme rule (a référent's exchange…):
    `errors` maps form fields (or None) to French messages."""
