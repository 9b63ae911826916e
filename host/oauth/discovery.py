"""OpenID Connect Discovery 1.0 §4 metadata and the JWKS (RFC 7517)."""

from typing import Any

from litestar import Request, Response, get

from host.oauth.authorize import PROMPTS, SUPPORTED_SCOPES
from host.oauth.grants.client_credentials import CLIENT_SCOPES
from host.runtime import runtime
from resolvers.signing_keys import key_ring


@get("/.well-known/openid-configuration", name="discovery")
async def openid_configuration(request: Request[Any, Any, Any]) -> Response[Any]:
    issuer = runtime(request).deployment.issuer
    metadata = {
        "issuer": issuer,
        "authorization_endpoint": f"{issuer}/oauth/authorize",
        "token_endpoint": f"{issuer}/oauth/token",
        "userinfo_endpoint": f"{issuer}/oauth/userinfo",
        "jwks_uri": f"{issuer}/keys",
        "revocation_endpoint": f"{issuer}/oauth/revoke",
        "end_session_endpoint": f"{issuer}/oauth/logout",
        "scopes_supported": sorted(SUPPORTED_SCOPES | CLIENT_SCOPES),
        "response_types_supported": ["code"],
        "response_modes_supported": ["query"],
        "grant_types_supported": ["authorization_code", "refresh_token", "client_credentials"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "token_endpoint_auth_methods_supported": [
            "client_secret_basic",
            "client_secret_post",
            "none",
        ],
        "revocation_endpoint_auth_methods_supported": [
            "client_secret_basic",
            "client_secret_post",
            "none",
        ],
        "code_challenge_methods_supported": ["S256"],
        "prompt_values_supported": list(PROMPTS),
        "claims_supported": [
            "iss",
            "sub",
            "aud",
            "exp",
            "iat",
            "auth_time",
            "nonce",
            "sid",
            "amr",
            "azp",
            "email",
            "email_verified",
            "name",
            "given_name",
            "family_name",
            "org_id",
            "org_name",
            "roles",
            "permissions",
        ],
        "claims_parameter_supported": False,
        "request_parameter_supported": False,
        "request_uri_parameter_supported": False,
        "authorization_response_iss_parameter_supported": True,
        "frontchannel_logout_supported": False,
        "backchannel_logout_supported": True,
        "backchannel_logout_session_supported": True,
    }
    return Response(metadata, headers={"Cache-Control": "public, max-age=300"})


@get("/keys", name="jwks")
async def jwks(request: Request[Any, Any, Any]) -> Response[Any]:
    keys = await key_ring.jwks(runtime(request).deployment.secret_key)
    return Response(
        keys,
        media_type="application/jwk-set+json",
        headers={"Cache-Control": "public, max-age=300"},
    )
