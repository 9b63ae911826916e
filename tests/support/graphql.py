"""GraphQL callers as the portal (cookie + CSRF) and integrators (bearer) send their requests."""

from dataclasses import dataclass
from typing import Any

import httpx

from tests.support.people import Person, unique_ip


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
    def as_integrator(cls, base_url: str) -> "GraphQLCaller":
        """A new client_credentials application's caller, with the tenantry:manage scope."""
        from tests.support.factories import make_app

        app = make_app(grant_types=["client_credentials"])
        token = httpx.post(
            f"{base_url}/oauth/token",
            data={"grant_type": "client_credentials", "scope": "tenantry:manage"},
            auth=(app.client_id, app.client_secret or ""),
        ).json()["access_token"]
        return cls.with_token(base_url, token)

    @classmethod
    def as_app_for(cls, person: Person) -> "GraphQLCaller":
        """A new app holding `person`'s access token (their session, their active organization)."""
        from tests.support.factories import make_app

        token = person.tokens_for(make_app())["access_token"]
        return cls.with_token(str(person.http.base_url).rstrip("/"), token)

    @classmethod
    def with_token(cls, base_url: str, token: str | None) -> "GraphQLCaller":
        """Each caller from its own address, as callers are: anonymous ones are limited per address."""
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        client = httpx.Client(base_url=base_url, timeout=30, headers={"X-Forwarded-For": unique_ip()})
        return cls(client, headers)


def error_codes(body: dict[str, Any]) -> list[str]:
    return [str((error.get("extensions") or {}).get("code")) for error in body.get("errors") or []]
