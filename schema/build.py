"""The schema object, with error masking and depth, size and cost limits."""

from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.extensions import MaxAliasesLimiter, MaxTokensLimiter, QueryDepthLimiter
from strawberry.tools import merge_types

from schema.cost import CostLimiter
from schema.domain_operations import DomainMutation
from schema.error_masking import MaskUnexpectedErrors, log_unexpected_errors
from schema.input_limits import InputLimits
from schema.integrator import IntegratorMutation, IntegratorQuery
from schema.operations import Mutation, Query
from schema.webhooks import WebhookMutation, WebhookQuery


class TenantrySchema(strawberry.Schema):
    def process_errors(self, errors: list[GraphQLError], execution_context: Any = None) -> None:
        """Log only unexpected errors, with the request id; a denial is not a crash."""
        log_unexpected_errors(errors, getattr(execution_context, "context", None))


schema = TenantrySchema(
    query=merge_types("Query", (Query, IntegratorQuery, WebhookQuery)),
    mutation=merge_types("Mutation", (Mutation, IntegratorMutation, WebhookMutation, DomainMutation)),
    extensions=[
        lambda: QueryDepthLimiter(max_depth=8),
        lambda: MaxTokensLimiter(max_token_count=2000),
        lambda: MaxAliasesLimiter(max_alias_count=15),
        CostLimiter,
        InputLimits,
        MaskUnexpectedErrors,
    ],
)
