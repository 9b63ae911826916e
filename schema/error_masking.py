"""Which GraphQL errors are the caller's to read, and which are ours to log and hide.

Our coded errors and GraphQL's own validation and input-coercion errors go back as they are (a
wrong variable type is the caller's mistake: a BAD_INPUT, not a crash). Anything else is logged
with its traceback and the request id, and the caller sees only that id.
"""

import logging
from typing import Any

from graphql import GraphQLError
from strawberry.extensions import MaskErrors

EXPECTED_CODES = {
    "FORBIDDEN",
    "UNAUTHENTICATED",
    "NOT_FOUND",
    "BAD_REQUEST",
    "BAD_INPUT",
    "FEATURE_NOT_ENABLED",
    "GRAPHQL_VALIDATION_FAILED",
    "BAD_PAGE_SIZE",
    "QUERY_TOO_COSTLY",
}
UNEXPECTED_MESSAGE = "Something went wrong on our side. Quote this request id if you report it."

log = logging.getLogger("tenantry.errors")


def is_input_error(error: GraphQLError) -> bool:
    """graphql-core's coercion of a variable or argument failed: it wraps its own GraphQLError."""
    return isinstance(error.original_error, GraphQLError)


def is_unexpected(error: GraphQLError) -> bool:
    """Mask anything that is not one of our coded errors, a validation or an input error."""
    code = (error.extensions or {}).get("code")
    if code in EXPECTED_CODES or is_input_error(error):
        return False
    return error.original_error is not None


def request_id_of(context: Any) -> str:
    """The id the host gave this request (in the GraphQL context), or "-" outside a request."""
    return str(context.get("request_id", "-")) if isinstance(context, dict) else "-"


def log_unexpected_errors(errors: list[GraphQLError], context: Any) -> None:
    request_id = request_id_of(context)
    for error in errors:
        if is_unexpected(error):
            cause = error.original_error or error
            log.error(
                "unexpected error in GraphQL %s (request id %s)",
                ".".join(str(step) for step in error.path or []) or "operation",
                request_id,
                exc_info=(type(cause), cause, cause.__traceback__),
            )


class MaskUnexpectedErrors(MaskErrors):
    """MaskErrors that names the request id in the masked error and codes input errors."""

    def __init__(self) -> None:
        super().__init__(should_mask_error=is_unexpected, error_message=UNEXPECTED_MESSAGE)

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        masked = super().anonymise_error(error)
        masked.extensions = {
            "code": "INTERNAL_SERVER_ERROR",
            "request_id": request_id_of(self.execution_context.context),
        }
        return masked

    def _process_errors(self, errors: list[GraphQLError]) -> list[GraphQLError]:
        for error in errors:
            if is_input_error(error) and "code" not in (error.extensions or {}):
                error.extensions = {**(error.extensions or {}), "code": "BAD_INPUT"}
        return super()._process_errors(errors)
