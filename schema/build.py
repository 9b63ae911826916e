"""The schema object, with error masking and depth, size and cost limits."""

from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.extensions import MaskErrors, MaxAliasesLimiter, MaxTokensLimiter, QueryDepthLimiter
from strawberry.tools import merge_types

from schema.cost import CostLimiter
from schema.domain_operations import DomainMutation
from schema.integrator import IntegratorMutation, IntegratorQuery
from schema.operations import Mutation, Query
from schema.webhooks import WebhookMutation, WebhookQuery

EXPECTED_CODES = {
    "FORBIDDEN",
    "UNAUTHENTICATED",
    "NOT_FOUND",
    "BAD_REQUEST",
    "FEATURE_NOT_ENABLED",
    "GRAPHQL_VALIDATION_FAILED",
    "BAD_PAGE_SIZE",
    "QUERY_TOO_COSTLY",
}


def is_unexpected(error: GraphQLError) -> bool:
    """Mask anything that is not one of our coded errors or a validation error."""
    code = (error.extensions or {}).get("code")
    if code in EXPECTED_CODES:
        return False
    return error.original_error is not None


class TenantrySchema(strawberry.Schema):
    def process_errors(self, errors: list[GraphQLError], execution_context: Any = None) -> None:
        """Log only unexpected errors; a denial is not a crash."""
        unexpected = [error for error in errors if is_unexpected(error)]
        if unexpected:
            super().process_errors(unexpected, execution_context)


schema = TenantrySchema(
    query=merge_types("Query", (Query, IntegratorQuery, WebhookQuery)),
    mutation=merge_types("Mutation", (Mutation, IntegratorMutation, WebhookMutation, DomainMutation)),
    extensions=[
        lambda: QueryDepthLimiter(max_depth=8),
        lambda: MaxTokensLimiter(max_token_count=2000),
        lambda: MaxAliasesLimiter(max_alias_count=15),
        CostLimiter,
        lambda: MaskErrors(
            should_mask_error=is_unexpected, error_message="Something went wrong on our side."
        ),
    ],
)
