"""How a resolver's refusal reaches the caller, by table: a union member where the field's result
type lists one for it, else a GraphQL error with a stable code.

Fields wear `@answers_refusals()`; their bodies call resolvers and shape the success alone. An
error outside DomainError is not a refusal: it passes through to error masking (a crash).
"""

import functools
import typing
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, NoReturn, ParamSpec, TypeVar

from graphql import GraphQLError

from resolvers import invitations, managing_members, passkeys, role_authority, sso_connections
from resolvers.domain_names import InvalidDomain
from resolvers.errors import DomainError, FeatureNotEnabled, Forbidden, InvalidInput, NotFound
from resolvers.idp_documents import DiscoveryFailed
from resolvers.idp_settings import CertificateExpired
from resolvers.invitation_limits import ResendLimitReached
from resolvers.reauthentication import ReauthenticationRequired
from resolvers.saml_metadata import MetadataInvalid
from schema import results


@dataclass(frozen=True, slots=True)
class AsResult:
    """A refusal of kind `error` becomes `build(error)`, when the field's result type lists `result`."""

    error: type[DomainError]
    result: type
    build: Callable[[Any], object]


RESULTS: tuple[AsResult, ...] = (
    AsResult(role_authority.RoleNotGrantable, results.RoleNotGrantable, results.role_not_grantable),
    AsResult(role_authority.RoleOutranksYou, results.RoleOutranksYou, results.role_outranks_you),
    AsResult(invitations.InvitationNotPending, results.InvitationNotPending, results.invitation_not_pending),
    AsResult(ResendLimitReached, results.ResendLimitReached, results.resend_limit_reached),
    AsResult(managing_members.LastAdmin, results.LastAdmin, results.last_admin),
    AsResult(
        managing_members.RoleManagedByDirectory,
        results.RoleManagedByDirectory,
        results.role_managed_by_directory,
    ),
    AsResult(ReauthenticationRequired, results.ReauthenticationRequired, results.reauthentication_required),
    AsResult(passkeys.PasskeyRejected, results.PasskeyRejected, results.passkey_rejected),
    AsResult(passkeys.ExpiredChallenge, results.PasskeyRejected, results.passkey_rejected),
    AsResult(InvalidDomain, results.InvalidDomain, results.invalid_domain),
    AsResult(sso_connections.NotTested, results.NotTested, results.not_tested),
    AsResult(MetadataInvalid, results.MetadataInvalid, results.metadata_invalid),
    AsResult(CertificateExpired, results.CertificateExpired, results.certificate_expired),
    AsResult(DiscoveryFailed, results.DiscoveryFailed, results.discovery_failed),
    AsResult(InvalidInput, results.InvalidInput, results.invalid_input),
)
"""The first row whose error matches and whose result the field lists wins: subclasses come first."""

GRAPHQL_CODES: tuple[tuple[type[DomainError], str], ...] = (
    (Forbidden, "FORBIDDEN"),
    (NotFound, "NOT_FOUND"),  # an id of another organization reads as unknown too
    (FeatureNotEnabled, "FEATURE_NOT_ENABLED"),
)
"""A refusal no union member answers is a GraphQL error with this code; any other is BAD_REQUEST."""

EVERY_REFUSAL_AS_INPUT = AsResult(DomainError, results.InvalidInput, results.invalid_input)
"""For integrator set-up fields, where a conflict or unknown key is the caller's input to fix."""


def raise_as_graphql(error: DomainError) -> NoReturn:
    code = next((value for kind, value in GRAPHQL_CODES if isinstance(error, kind)), "BAD_REQUEST")
    raise GraphQLError(error.message, extensions={"code": code}) from error


def result_types(resolver: Callable[..., Any]) -> frozenset[type]:
    """The object types a resolver may return: the members of its result union, or its one type."""
    returned = typing.get_type_hints(resolver, include_extras=True).get("return")
    if typing.get_origin(returned) is typing.Annotated:
        returned = typing.get_args(returned)[0]
    listed = typing.get_args(returned) or (returned,)
    return frozenset(kind for kind in listed if isinstance(kind, type))


P = ParamSpec("P")
R = TypeVar("R")


def answers_refusals(
    *first: AsResult,
) -> Callable[[Callable[P, Awaitable[R]]], Callable[P, Awaitable[R]]]:
    """Answer the resolver's DomainError by the table (`first` rows, then RESULTS, then codes)."""

    def decorate(resolver: Callable[P, Awaitable[R]]) -> Callable[P, Awaitable[R]]:
        listed = result_types(resolver)
        rows = [row for row in (*first, *RESULTS) if row.result in listed]

        @functools.wraps(resolver)
        async def answered(*args: P.args, **kwargs: P.kwargs) -> R:
            try:
                return await resolver(*args, **kwargs)
            except DomainError as error:
                row = next((row for row in rows if isinstance(error, row.error)), None)
                if row is None:
                    raise_as_graphql(error)
                return typing.cast(R, row.build(error))

        return answered

    return decorate
