"""Domain errors. Views turn them into a message for the person who caused them."""


class DomainError(Exception):
    """A rule refused the action.

    The message is a lazy gettext string, so ``str(error)`` is fit to show to the person in
    their language when the view renders it, and services still need no request.
    """


class NotAllowed(DomainError):
    """The acting user may not do this."""


class NotFound(DomainError):
    """The thing acted on does not exist or is not visible to the actor."""


class InvalidInput(DomainError):
    """The input breaks a rule; ``field`` names the form field when there is one."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class Conflict(DomainError):
    """Someone else changed the thing since it was read (a stale edit, a taken name)."""
