"""/scim/v2/<directory id>/…: SCIM 2.0 (RFC 7643/7644) for one directory, with its bearer token.

scim2-server speaks the protocol (routing, validation, PATCH, filters, ETags, errors); a
`DirectoryStorage` reads and writes the directory's rows through the provisioning rules. What the
IdPs actually send is first made standard (host/scim_dialects.py). Every request that changed
something or failed is written to the directory's provisioning log.
"""

import json
import logging
from typing import Any

from litestar import Request, Response, route
from scim2_models import (
    AuthenticationScheme,
    Bulk,
    ChangePassword,
    EnterpriseUser,
    ETag,
    External,
    Filter,
    ForbiddenException,
    Group,
    Patch,
    Reference,
    Resource,
    ResourceType,
    ResponseParameters,
    SCIMException,
    ScimProvider,
    ServiceProviderConfig,
    Sort,
    UnauthorizedException,
    User,
)
from scim2_server.handler import AsyncScimHandler
from scim2_server.requests import ScimRequest
from scim2_server.responses import SCIM_MEDIA_TYPE, ScimResponse
from scim2_server.service import ScimService

from host.input_validation import LARGER_BODIES
from host.request_ids import current_request_id
from host.runtime import runtime
from host.scim_dialects import standardized
from host.security import client_ip
from resolvers import provisioning_log
from resolvers.directories import authenticate, touch
from resolvers.directory_rows import DirectoryRow
from resolvers.errors import FeatureNotEnabled
from resolvers.scim_storage import DirectoryStorage

logger = logging.getLogger(__name__)
errors_log = logging.getLogger("tenantry.errors")

MAX_RESULTS = 200
FAILED_AUTH_LIMIT = 20  # per client address and minute: a token cannot be guessed, but why let it try
REQUEST_LIMIT = 3000  # per directory and minute: Okta and Entra ID stay far below
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
DIRECTORY_ID_MAX = 40

BEARER = AuthenticationScheme(
    type=AuthenticationScheme.Type.oauthbearertoken,
    name="Bearer token",
    description="The directory's token, from the portal's Directory sync page: Authorization: Bearer <token>",
    spec_uri=Reference[External]("https://www.rfc-editor.org/rfc/rfc6750"),
    primary=True,
)

CONFIG = ServiceProviderConfig(
    documentation_uri=None,
    patch=Patch(supported=True),
    bulk=Bulk(supported=False, max_operations=0, max_payload_size=0),
    filter=Filter(supported=True, max_results=MAX_RESULTS),
    change_password=ChangePassword(supported=False),
    sort=Sort(supported=True),
    etag=ETag(supported=True),
    authentication_schemes=[BEARER],
)

PROVIDER = ScimProvider(
    models=[User, EnterpriseUser, Group],
    resource_types=[ResourceType.from_resource(User[EnterpriseUser]), ResourceType.from_resource(Group)],
    config=CONFIG,
)


class TenantryScimService(ScimService):
    """scim2-server's protocol, answering a PATCH with the resource (200): Okta reads the user it
    patched from the answer, and RFC 7644 §3.5.2 allows either."""

    def patch_response(
        self, base_url: str, resource: Resource[Any], response_parameters: ResponseParameters[Any]
    ) -> ScimResponse:
        return self.replacement_response(base_url, resource, response_parameters)


SERVICE = TenantryScimService(PROVIDER)


def _scim_response(response: ScimResponse) -> Response[bytes]:
    body = b"" if response.body is None else json.dumps(response.body).encode()
    headers = {**response.headers, "Cache-Control": "no-store"}
    headers.pop("Content-Type", None)
    media_type = SCIM_MEDIA_TYPE if response.body is not None else None
    return Response(content=body, status_code=int(response.status), headers=headers, media_type=media_type)


def _error(exception: SCIMException, **headers: str) -> ScimResponse:
    response = SERVICE.error_response(exception)
    response.headers.update(headers)
    return response


def _bearer(request: Request[Any, Any, Any]) -> str | None:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def _resource_parts(path: str) -> tuple[str, str, str]:
    """(operation kind, resource type, resource id) of a path relative to the directory's base."""
    parts = [part for part in path.strip("/").split("/") if part]
    if not parts or parts[0] not in ("Users", "Groups"):
        return "discovery", "", ""
    kind = "User" if parts[0] == "Users" else "Group"
    return "resource", kind, parts[1][:DIRECTORY_ID_MAX] if len(parts) > 1 else ""


def _operation(method: str, path: str) -> str:
    kind, _, resource_id = _resource_parts(path)
    if kind == "discovery":
        return "discovery"
    if method == "POST":
        return "search" if path.rstrip("/").endswith(".search") else "create"
    return {"PUT": "replace", "PATCH": "patch", "DELETE": "delete"}.get(
        method, "read" if resource_id else "search"
    )


def _subject(body: bytes, answer: dict[str, Any] | None) -> str:
    """The userName or displayName the request or its answer named, for the log."""
    for source in (answer or {}, _json_object(body)):
        for key in ("userName", "displayName"):
            value = source.get(key)
            if isinstance(value, str):
                return value
    return ""


def _json_object(body: bytes) -> dict[str, Any]:
    try:
        parsed = json.loads(body) if body else {}
    except ValueError:
        return {}
    return parsed if isinstance(parsed, dict) else {}


async def _log(directory: DirectoryRow, method: str, path: str, body: bytes, response: ScimResponse) -> None:
    _, resource_type, resource_id = _resource_parts(path)
    answer = response.body or {}
    failed = int(response.status) >= 400
    if not resource_id and not failed and isinstance(answer.get("id"), str):
        resource_id = answer["id"]
    outcome = provisioning_log.RequestOutcome(
        method=method,
        operation=_operation(method, path),
        resource_type=resource_type,
        resource_id=resource_id,
        subject=_subject(body, answer if not failed else None),
        status=int(response.status),
        scim_type=str(answer.get("scimType") or "") if failed else "",
        detail=str(answer.get("detail") or "") if failed else "",
    )
    try:
        await provisioning_log.record(directory.id, outcome)
    except Exception:  # the log must never turn an answer into a 500
        logger.exception("could not write the provisioning log")


async def _serve(request: Request[Any, Any, Any], directory_id: str, path: str) -> Response[bytes]:
    run = runtime(request)
    method = request.method.upper()
    base_url = f"{run.deployment.issuer}/scim/v2/{directory_id}"
    body = await request.body() if method in WRITE_METHODS else b""
    scim_request = ScimRequest(
        method=method,
        base_url=base_url,
        path=path or "/",
        query=dict(request.query_params),
        headers=list(request.headers.items()),
        body=body,
    )
    token = _bearer(request)
    try:
        directory = await authenticate(directory_id[:DIRECTORY_ID_MAX], token) if token else None
    except FeatureNotEnabled as refusal:
        return _scim_response(_error(ForbiddenException(detail=refusal.message)))
    if directory is None:
        address = client_ip(request, run.settings)
        wait = await run.limiter.hit(f"scim-auth:{address}", FAILED_AUTH_LIMIT, 60)
        if wait is not None:
            return _scim_response(_error(_too_many(), **{"Retry-After": str(wait)}))
        return _scim_response(
            _error(
                UnauthorizedException(detail="A valid bearer token is needed."),
                **{"WWW-Authenticate": "Bearer"},
            )
        )
    wait = await run.limiter.hit(f"scim:{directory.id}", REQUEST_LIMIT, 60)
    if wait is not None:
        return _scim_response(_error(_too_many(), **{"Retry-After": str(wait)}))
    scim_request.body = standardized(method, path, body)
    storage = DirectoryStorage(
        directory,
        writing=method in ("PUT", "PATCH", "DELETE"),
        changing=method in WRITE_METHODS and _operation(method, path) != "search",
    )
    try:
        answer = await AsyncScimHandler(SERVICE, storage).handle(scim_request)
    except SCIMException as refusal:
        answer = SERVICE.error_response(refusal)
    except Exception:
        errors_log.exception("SCIM request %s failed (request id %s)", path, current_request_id.get())
        answer = ScimResponse(
            status=500,  # type: ignore[arg-type]
            body={
                "schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"],
                "status": "500",
                "detail": f"Something went wrong on our side (request id {current_request_id.get()}).",
            },
        )
    await _log(directory, method, path, body, answer)
    await touch(directory)
    if method in WRITE_METHODS:
        run.wake_jobs()
    return _scim_response(answer)


def _too_many() -> SCIMException:
    refusal = SCIMException(detail="Too many requests: wait and try again.")
    refusal.status = 429
    return refusal


SCIM_METHODS: Any = ["GET", "POST", "PUT", "PATCH", "DELETE"]


SCIM_BODY_BYTES = LARGER_BODIES["/scim/"]


@route(
    ["/scim/v2/{directory_id:str}"],
    http_method=SCIM_METHODS,
    include_in_schema=False,
    request_max_body_size=SCIM_BODY_BYTES,
)
async def scim_root(request: Request[Any, Any, Any], directory_id: str) -> Response[bytes]:
    return await _serve(request, directory_id, "/")


@route(
    ["/scim/v2/{directory_id:str}/{path:path}"],
    http_method=SCIM_METHODS,
    include_in_schema=False,
    request_max_body_size=SCIM_BODY_BYTES,
)
async def scim_resource(request: Request[Any, Any, Any], directory_id: str, path: str) -> Response[bytes]:
    return await _serve(request, directory_id, path)
