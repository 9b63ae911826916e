"""GraphQL callers as the portal (cookie + CSRF) and integrators (bearer) send their requests."""

from dataclasses import dataclass
from typing import Any

import httpx

from tests.support.people import Person


@dataclass
class GraphQLCaller:
    http: httpx.Client
    headers: dict[str, str]

    def __call__(self, query: str, **variables: Any) -> dict[str, Any]:
        response = self.http.post(
            "/graphql", json={"query": query, "variables": variables}, headers=self.headers
        )
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    @classmethod
    def for_person(cls, person: Person) -> "GraphQLCaller":
        return cls(person.http, {"X-CSRF-Token": person.csrf()})

    @classmethod
    def with_token(cls, base_url: str, token: str | None) -> "GraphQLCaller":
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return cls(httpx.Client(base_url=base_url, timeout=30), headers)


def error_codes(body: dict[str, Any]) -> list[str]:
    return [str((error.get("extensions") or {}).get("code")) for error in body.get("errors") or []]
