"""A person at a browser, minus the browser: cookies, CSRF, and the hosted sign-in JSON API."""

import base64
import hashlib
import itertools
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlencode, urlparse

import httpx

from tests.support.smtp import MailSink

if TYPE_CHECKING:
    from tests.support.factories import App

_ips = itertools.count(1)


def unique_ip() -> str:
    """Each person gets their own address (via the trusted proxy header) so rate limits are per test."""
    n = next(_ips) + secrets.randbelow(1000) * 1000
    return f"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}"


def unique_email(label: str = "user") -> str:
    return f"{label}-{secrets.token_hex(4)}@example.com"


def pkce_pair() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).decode().rstrip("=")
    return verifier, challenge


@dataclass
class Person:
    http: httpx.Client
    mail: MailSink
    ip: str

    @classmethod
    def at(cls, base_url: str, mail: MailSink) -> "Person":
        ip = unique_ip()
        client = httpx.Client(base_url=base_url, headers={"X-Forwarded-For": ip}, timeout=30)
        return cls(client, mail, ip)

    def csrf(self) -> str:
        if "tenantry_csrf" not in self.http.cookies:
            self.http.get("/a/auth/login")
        return str(self.http.cookies["tenantry_csrf"])

    def post_api(self, path: str, body: dict[str, Any]) -> httpx.Response:
        return self.http.post(path, json=body, headers={"X-CSRF-Token": self.csrf()})

    def start(
        self, email: str, *, intent: str = "login", req: str | None = None, **names: str
    ) -> httpx.Response:
        return self.post_api("/a/auth/api/email", {"email": email, "intent": intent, "req": req, **names})

    def sign_in(
        self,
        email: str,
        *,
        intent: str = "login",
        req: str | None = None,
        first_name: str = "",
        last_name: str = "",
    ) -> str:
        """Request a code, read it from the real SMTP server, submit it; returns the next location."""
        before = self.mail.count(email)
        started = self.start(email, intent=intent, req=req, first_name=first_name, last_name=last_name)
        assert started.status_code == 200, started.text
        code = self.mail.wait_for(email, after=before).code
        verified = self.post_api("/a/auth/api/code", {"flow": started.json()["flow"], "code": code})
        assert verified.status_code == 200, verified.text
        return str(verified.json()["location"])

    def accept_invitation(self, invitation_id: str) -> None:
        """Accept an invitation in the hosted login's organization step (a sign-in accepts none)."""
        accepted = self.post_api("/a/auth/api/organization", {"accept_invitation": invitation_id})
        assert accepted.status_code == 200, accepted.text

    def follow(self, location: str, *, stop_at: str) -> httpx.Response:
        """Follow redirects ourselves until one leaves for `stop_at` (the client's redirect URI)."""
        response = self.http.get(location)
        for _ in range(10):
            if response.status_code not in (302, 303, 307):
                return response
            target = response.headers["location"]
            if target.startswith(stop_at):
                return response
            response = self.http.get(target)
        raise AssertionError("too many redirects")

    def tokens_for(self, app: "App", **extra: str) -> dict[str, Any]:
        """An app's code flow in this browser, which already has a session: the token response."""
        verifier, challenge = pkce_pair()
        start = self.http.get(
            authorize_url(
                app.client_id,
                app.redirect_uri,
                code_challenge=challenge,
                code_challenge_method="S256",
                **extra,
            )
        )
        callback = start.headers["location"]
        if not callback.startswith(app.redirect_uri):  # an organization or consent step first
            callback = self.follow(callback, stop_at=app.redirect_uri).headers["location"]
        response = self.http.post(
            "/oauth/token",
            data={
                "grant_type": "authorization_code",
                "code": query_of(callback)["code"],
                "redirect_uri": app.redirect_uri,
                "code_verifier": verifier,
            },
            auth=(app.client_id, app.client_secret or ""),
        )
        assert response.status_code == 200, response.text
        tokens: dict[str, Any] = response.json()
        return tokens


def query_of(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlparse(url).query).items()}


def req_handle(location: str) -> str:
    return query_of(location)["req"]


def authorize_url(client_id: str, redirect_uri: str, **extra: str) -> str:
    params = {
        "client_id": client_id,
        "redirect_uri": redirect_uri,
        "response_type": "code",
        "scope": "openid profile email",
        **extra,
    }
    return "/oauth/authorize?" + urlencode(params)
