"""Every answer carries the security headers; only configured host names are served."""

import httpx

from tests.support.server import ServerProcess


def test_pages_and_apis_carry_strict_security_headers(server: ServerProcess) -> None:
    for path in ("/a/auth/login", "/.well-known/openid-configuration", "/oauth/userinfo"):
        response = httpx.get(f"{server.url}{path}")
        csp = response.headers["content-security-policy"]
        assert "script-src 'self'" in csp
        assert "frame-ancestors 'none'" in csp
        assert response.headers["x-frame-options"] == "DENY"
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"] == "no-referrer"


def test_a_request_for_an_unconfigured_host_is_refused(server: ServerProcess) -> None:
    response = httpx.get(
        f"{server.url}/.well-known/openid-configuration", headers={"Host": "evil.example.com"}
    )
    assert response.status_code == 421
    assert "not configured" in response.text


def test_health_probes_answer_on_any_host_name(server: ServerProcess) -> None:
    response = httpx.get(f"{server.url}/health/live", headers={"Host": "10.0.0.7"})
    assert response.status_code == 200


def test_hosted_pages_set_the_csrf_cookie_and_embed_the_token(server: ServerProcess) -> None:
    response = httpx.get(f"{server.url}/a/auth/login")
    token = response.cookies["tenantry_csrf"]
    assert f'<meta name="csrf-token" content="{token}">' in response.text
    assert response.headers["cache-control"] == "no-store"
