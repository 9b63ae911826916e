"""The schema object: each concept's query and mutation fields, with error masking and limits.

A new concept (SSO connections, SCIM directories, ...) is one module under schema/ with its types and
an `XQuery` and/or `XMutation` class, listed below. The order of the lists is the order of the
fields in the SDL.
"""

from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.extensions import MaxAliasesLimiter, MaxTokensLimiter, QueryDepthLimiter
from strawberry.tools import merge_types

from schema.cost import CostLimiter
from schema.directories import DirectoryMutation, DirectoryQuery
from schema.domains import DomainMutation
from schema.error_masking import MaskUnexpectedErrors, log_unexpected_errors
from schema.input_limits import InputLimits
from schema.integrator import IntegratorMutation, IntegratorQuery
from schema.invitations import InvitationMutation
from schema.members import MemberMutation, MemberQuery
from schema.organizations import OrganizationMutation, OrganizationQuery
from schema.passkeys import PasskeyMutation
from schema.session_policy import SessionPolicyMutation
from schema.sessions import SessionMutation
from schema.sso_connections import ConnectionMutation, ConnectionQuery
from schema.sso_requirement import SsoRequirementMutation
from schema.viewer import ViewerMutation, ViewerQuery
from schema.webhooks import WebhookMutation, WebhookQuery

QUERIES: tuple[type, ...] = (
    ViewerQuery,
    OrganizationQuery,
    MemberQuery,
    IntegratorQuery,
    WebhookQuery,
    ConnectionQuery,
    DirectoryQuery,
)
MUTATIONS: tuple[type, ...] = (
    InvitationMutation,
    OrganizationMutation,
    SessionPolicyMutation,
    MemberMutation,
    ViewerMutation,
    SessionMutation,
    PasskeyMutation,
    IntegratorMutation,
    WebhookMutation,
    DomainMutation,
    ConnectionMutation,
    SsoRequirementMutation,
    DirectoryMutation,
)


class TenantrySchema(strawberry.Schema):
    def process_errors(self, errors: list[GraphQLError], execution_context: Any = None) -> None:
        """Log only unexpected errors, with the request id; a denial is not a crash."""
        log_unexpected_errors(errors, getattr(execution_context, "context", None))


schema = TenantrySchema(
    query=merge_types("Query", QUERIES),
    mutation=merge_types("Mutation", MUTATIONS),
    extensions=[
        lambda: QueryDepthLimiter(max_depth=8),
        lambda: MaxTokensLimiter(max_token_count=2000),
        lambda: MaxAliasesLimiter(max_alias_count=15),
        CostLimiter,
        InputLimits,
        MaskUnexpectedErrors,
    ],
)
