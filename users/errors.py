"""The base of every service's refusal. Each layer raises its own subclass (users'
RegistrationError, mentors' MentorError, mentees' MenteeError, matching's PairRuleError and
MatchingError, evaluations' QuestionnaireError), so a caller catches what its layer can
refuse, and a form shows any of them the same way (`users.forms_errors.add_service_errors`)."""

from collections.abc import Hashable, Mapping


class ServiceError(Exception):
    """A step a programme rule refuses. `errors` maps the input it is about (a form field's
    name, a question's id…) or None (the step as a whole) to a French sentence for people; a
    plain message is about the step as a whole."""

    def __init__(self, errors: Mapping[Hashable | None, str] | str):
        self.errors: dict[Hashable | None, str] = (
            {None: errors} if isinstance(errors, str) else dict(errors)
        )
        super().__init__(" ".join(self.errors.values()))
