"""SCIM fixtures: a directory made through the domain (its token returned once), a group row written
directly, and an HTTP client that speaks to /scim/v2/<directory id> the way an IdP does."""

import json
from dataclasses import dataclass
from typing import Any

import httpx

from db.directories import DirectoryGroup
from db.ids import new_id
from resolvers.clock import now
from resolvers.directories import create_directory, update_directory
from resolvers.principal import SystemPrincipal
from tests.support.factories import run

SCIM_JSON = "application/scim+json"
USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group"
PATCH_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp"


@dataclass
class Directory:
    id: str
    token: str
    organization_id: str


def make_directory(organization_id: str, provider: str = "okta", **settings: Any) -> Directory:
    """A directory of the organization (which needs the scim feature), with `settings` applied."""
    operator = SystemPrincipal("test")
    issued = run(create_directory(operator, organization_id, provider=provider))
    if settings:
        run(update_directory(operator, issued.directory.id, **settings))
    return Directory(issued.directory.id, issued.token, organization_id)


def push_group_row(directory_id: str, name: str) -> str:
    """A group row as the identity provider's Push Groups leaves it, written without the SCIM service."""
    group_id = new_id("dgr")
    moment = now()
    run(
        DirectoryGroup.insert(
            DirectoryGroup(
                id=group_id,
                directory=directory_id,
                display_name=name,
                display_name_key=name.lower(),
                created_at=moment,
                updated_at=moment,
            )
        ).run()
    )
    return group_id


class ScimClient:
    """An IdP's view: JSON in and out, the directory's bearer token on every request."""

    def __init__(self, base_url: str, directory: Directory, token: str | None = None) -> None:
        self.directory = directory
        bearer = token if token is not None else directory.token
        headers = {"Content-Type": SCIM_JSON, "Accept": SCIM_JSON}
        if bearer:  # "": no Authorization header at all
            headers["Authorization"] = f"Bearer {bearer}"
        self.http = httpx.Client(base_url=f"{base_url}/scim/v2/{directory.id}", headers=headers, timeout=30)

    def request(self, method: str, path: str, body: Any = None, **headers: str) -> httpx.Response:
        content = json.dumps(body).encode() if body is not None else None
        return self.http.request(method, path, content=content, headers=headers)

    def get(self, path: str, **params: Any) -> httpx.Response:
        return self.http.get(path, params=params)

    def post(self, path: str, body: Any, **headers: str) -> httpx.Response:
        return self.request("POST", path, body, **headers)

    def put(self, path: str, body: Any, **headers: str) -> httpx.Response:
        return self.request("PUT", path, body, **headers)

    def patch(self, path: str, operations: list[dict[str, Any]], **headers: str) -> httpx.Response:
        return self.request("PATCH", path, {"schemas": [PATCH_SCHEMA], "Operations": operations}, **headers)

    def delete(self, path: str, **headers: str) -> httpx.Response:
        return self.http.delete(path, headers=headers)

    def create_user(self, user_name: str, *, active: bool = True, **extra: Any) -> dict[str, Any]:
        body = {
            "schemas": [USER_SCHEMA],
            "userName": user_name,
            "name": {"givenName": "Given", "familyName": "Family"},
            "emails": [{"value": user_name, "type": "work", "primary": True}],
            "active": active,
            **extra,
        }
        answer = self.post("/Users", body)
        assert answer.status_code == 201, answer.text
        created: dict[str, Any] = answer.json()
        return created

    def create_group(self, name: str, member_ids: list[str] | None = None) -> dict[str, Any]:
        body = {
            "schemas": [GROUP_SCHEMA],
            "displayName": name,
            "members": [{"value": member} for member in member_ids or []],
        }
        answer = self.post("/Groups", body)
        assert answer.status_code == 201, answer.text
        created: dict[str, Any] = answer.json()
        return created

    def close(self) -> None:
        self.http.close()
