"""A tiny stand-in for "the app" (Coffee Desk): signs users in through /oauth/authorize like any client.

It speaks to Tenantry only over HTTP (discovery, token endpoint, JWKS), exactly as an
integrator's backend would, so the demo exercises the real protocol.
"""

import base64
import hashlib
import json
import secrets
from html import escape
from typing import Any
from urllib.parse import urlencode

import httpx
import jwt
from litestar import Request, Response, get
from litestar.datastructures import Cookie
from litestar.response import Redirect
from litestar.types import ControllerRouterHandler

from host.runtime import runtime
from resolvers.crypto import constant_time_equal, mac
from resolvers.demo import DEMO_CLIENT_ID, demo_client_secret

FLOW_COOKIE = "coffeedesk_flow"
TOKEN_COOKIE = "coffeedesk_id_token"  # noqa: S105 - a cookie name


def _signed(secret_key: str, data: dict[str, str]) -> str:
    payload = base64.urlsafe_b64encode(json.dumps(data).encode()).decode()
    return f"{payload}.{mac(secret_key, b'demo-flow', payload.encode())}"


def _unsigned(secret_key: str, value: str | None) -> dict[str, str] | None:
    if not value:
        return None
    payload, _, signature = value.partition(".")
    if not constant_time_equal(signature, mac(secret_key, b"demo-flow", payload.encode())):
        return None
    loaded: dict[str, str] = json.loads(base64.urlsafe_b64decode(payload))
    return loaded


DEMO_CSS = (
    "body{font-family:system-ui,sans-serif;max-width:720px;margin:40px auto;padding:0 16px;color:#1c1917}"
    "h1{font-size:1.75rem;line-height:1.2}"
    "a.button{display:inline-block;background:#78350f;color:#fff;padding:10px 18px;border-radius:6px;"
    "text-decoration:none;margin:8px 8px 0 0}"
    "pre{background:#f5f5f4;padding:12px;border-radius:6px;overflow:auto;max-height:24rem}"
    "a:focus-visible,pre:focus-visible{outline:3px solid #78350f;outline-offset:2px}"
)


def _error(message: str) -> Response[str]:
    return _page(
        "Sign-in did not finish",
        f'<p data-testid="demo-error">{escape(message)} <a href="/demo/">Start again</a></p>',
    )


def _page(title: str, body: str) -> Response[str]:
    html = f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)} · Coffee Desk</title>
<style>{DEMO_CSS}</style></head>
<body><header><p><strong>☕ Coffee Desk</strong> · <em>a demo app that signs in with Tenantry</em></p>
</header>
<main><h1>{escape(title)}</h1>{body}</main></body></html>"""
    return Response(html, media_type="text/html", headers={"Cache-Control": "no-store"})


async def _verified_claims(request: Request[Any, Any, Any], id_token: str) -> dict[str, Any] | None:
    issuer = runtime(request).deployment.issuer
    async with httpx.AsyncClient(timeout=10) as client:
        keys = (await client.get(f"{issuer}/keys")).json()
    try:
        kid = jwt.get_unverified_header(id_token)["kid"]
        key = jwt.PyJWKSet.from_dict(keys)[kid]
        claims: dict[str, Any] = jwt.decode(
            id_token, key.key, algorithms=["RS256"], audience=DEMO_CLIENT_ID, issuer=issuer
        )
        return claims
    except (jwt.PyJWTError, KeyError):
        return None


@get("/demo/", name="demo_home")
async def demo_home(request: Request[Any, Any, Any]) -> Response[str]:
    id_token = request.cookies.get(TOKEN_COOKIE)
    claims = await _verified_claims(request, id_token) if id_token else None
    if claims is None:
        return _page(
            "Welcome to Coffee Desk",
            "<p>You are not signed in.</p>"
            '<a class="button" href="/demo/login" data-testid="demo-sign-in">Sign in</a>'
            '<a class="button" href="/demo/login?prompt=create" data-testid="demo-sign-up">'
            "Create account</a>",
        )
    issuer = runtime(request).deployment.issuer
    logout = f"{issuer}/oauth/logout?" + urlencode(
        {"id_token_hint": id_token, "post_logout_redirect_uri": f"{issuer}/demo/signed-out"}
    )
    return _page(
        "Your Coffee Desk account",
        f'<p data-testid="demo-welcome">Signed in as <strong>{escape(str(claims.get("name")))}</strong>'
        f" ({escape(str(claims.get('email')))})"
        + (f" in <strong>{escape(str(claims.get('org_name')))}</strong>" if claims.get("org_name") else "")
        + "</p>"
        "<h2>ID token claims</h2>"
        # focusable, so a keyboard can scroll the long lines on a narrow screen
        '<pre tabindex="0" role="region" aria-label="ID token claims" data-testid="demo-claims">'
        f"{escape(json.dumps(claims, indent=2))}</pre>"
        '<a class="button" href="/ui/" data-testid="demo-portal">Manage your account</a>'
        f'<a class="button" href="{escape(logout)}" data-testid="demo-sign-out">Sign out</a>',
    )


@get("/demo/login", name="demo_login")
async def demo_login(request: Request[Any, Any, Any]) -> Response[Any]:
    run = runtime(request)
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).decode().rstrip("=")
    target = request.query_params.get("target_link_uri", "")
    flow = {
        "state": secrets.token_urlsafe(16),
        "nonce": secrets.token_urlsafe(16),
        "verifier": verifier,
        # third-party initiated login (the portal sent the user here): return there afterwards
        "target": target if target.startswith(f"{run.deployment.issuer}/") else "",
    }
    params = {
        "client_id": DEMO_CLIENT_ID,
        "redirect_uri": f"{run.deployment.issuer}/demo/callback",
        "response_type": "code",
        "scope": "openid profile email offline_access",
        "state": flow["state"],
        "nonce": flow["nonce"],
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }
    if request.query_params.get("prompt") in {"login", "create", "none"}:
        params["prompt"] = request.query_params["prompt"]
    cookie = Cookie(
        key=FLOW_COOKIE,
        value=_signed(run.deployment.secret_key, flow),
        path="/demo",
        httponly=True,
        samesite="lax",
    )
    return Redirect(f"{run.deployment.issuer}/oauth/authorize?{urlencode(params)}", cookies=[cookie])


@get("/demo/callback", name="demo_callback")
async def demo_callback(request: Request[Any, Any, Any]) -> Response[Any]:
    run = runtime(request)
    flow = _unsigned(run.deployment.secret_key, request.cookies.get(FLOW_COOKIE))
    query = request.query_params
    if flow is None or not constant_time_equal(query.get("state", ""), flow["state"]):
        return _error("The sign-in could not be verified (state mismatch).")
    if "error" in query:
        return _error(f"Sign-in failed: {query['error']} — {query.get('error_description', '')}.")
    async with httpx.AsyncClient(timeout=10) as client:
        response = await client.post(
            f"{run.deployment.issuer}/oauth/token",
            data={
                "grant_type": "authorization_code",
                "code": query.get("code", ""),
                "redirect_uri": f"{run.deployment.issuer}/demo/callback",
                "code_verifier": flow["verifier"],
            },
            auth=(DEMO_CLIENT_ID, demo_client_secret(run.deployment)),
        )
    tokens = response.json()
    id_token = tokens.get("id_token")
    claims = await _verified_claims(request, id_token) if id_token else None
    if claims is None or claims.get("nonce") != flow["nonce"]:
        return _error(f"Token exchange failed: {json.dumps(tokens)}")
    cookies = [
        Cookie(key=TOKEN_COOKIE, value=id_token, path="/demo", httponly=True, samesite="lax"),
        Cookie(key=FLOW_COOKIE, value="", path="/demo", max_age=0),
    ]
    return Redirect(flow.get("target") or "/demo/", cookies=cookies)


@get("/demo/signed-out", name="demo_signed_out")
async def demo_signed_out() -> Response[Any]:
    return Redirect("/demo/", cookies=[Cookie(key=TOKEN_COOKIE, value="", path="/demo", max_age=0)])


def demo_handlers() -> list[ControllerRouterHandler]:
    return [demo_home, demo_login, demo_callback, demo_signed_out]
