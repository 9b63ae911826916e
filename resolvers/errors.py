"""Expected failures of the domain; each edge (OAuth, GraphQL, CLI) maps them to its wire format."""


class DomainError(Exception):
    """A rule of the domain refused the request; `code` is stable, `message` is for people."""

    code = "invalid_request"

    def __init__(self, message: str, **details: object) -> None:
        super().__init__(message)
        self.message = message
        self.details = details


class NotFound(DomainError):
    code = "not_found"


class Forbidden(DomainError):
    code = "forbidden"


class InvalidInput(DomainError):
    code = "invalid_input"


class Conflict(DomainError):
    code = "conflict"


class FeatureNotEnabled(DomainError):
    """The organization is not entitled to the feature this needs (one class for every feature)."""

    code = "feature_not_enabled"
