"""The OIDC relying-party ceremony against a real IdP on loopback (tests/support/oidc_idp.py): the full
flow, and each thing an IdP (or someone posing as one) can get wrong refused with its own reason."""

import secrets
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

import pytest

from resolvers.federated_identity import FederationRefused, IdpAssertion
from resolvers.oidc_discovery import provider_configuration
from resolvers.oidc_federation import (
    ProviderConfiguration,
    authorization_url,
    code_challenge,
    complete,
    discover,
    forget_provider_configurations,
)
from tests.support.factories import run
from tests.support.oidc_idp import OidcIdp

REDIRECT_URI = "http://localhost:8000/sso/callback/oidc/conn_test"


@pytest.fixture
def idp() -> Iterator[OidcIdp]:
    forget_provider_configurations()
    with OidcIdp(client_id="tenantry-rp", client_secret="rp-secret:with/odd chars") as started:
        started.person = {
            "sub": "00u-ada",
            "email": "ada@example.com",
            "email_verified": True,
            "given_name": "Ada",
            "groups": ["admins", "staff"],
        }
        yield started
    forget_provider_configurations()


@dataclass
class Started:
    """One sign-in as the lead's /sso/start keeps it: the secrets, and the URL the browser is sent to."""

    config: ProviderConfiguration
    state: str
    nonce: str
    verifier: str
    url: str


def start(idp: OidcIdp, login_hint: str | None = None) -> Started:
    config = run(discover(idp.issuer, private_networks=True))
    state, nonce, verifier = secrets.token_urlsafe(16), secrets.token_urlsafe(16), secrets.token_urlsafe(48)
    url = authorization_url(
        config,
        client_id=idp.client_id,
        redirect_uri=REDIRECT_URI,
        state=state,
        nonce=nonce,
        code_verifier=verifier,
        login_hint=login_hint,
    )
    return Started(config, state, nonce, verifier, url)


def finish(
    idp: OidcIdp, started: Started, params: dict[str, str], client_secret: str | None = None
) -> IdpAssertion:
    return run(
        complete(
            started.config,
            client_id=idp.client_id,
            client_secret=client_secret or idp.client_secret,
            redirect_uri=REDIRECT_URI,
            params=params,
            expected_state=started.state,
            nonce=started.nonce,
            code_verifier=started.verifier,
            private_networks=True,
        )
    )


def sign_in(idp: OidcIdp) -> IdpAssertion:
    started = start(idp)
    return finish(idp, started, idp.sign_in(started.url))


def refusal(idp: OidcIdp) -> FederationRefused:
    with pytest.raises(FederationRefused) as refused:
        sign_in(idp)
    return refused.value


def test_a_person_signs_in_and_every_claim_arrives_as_strings(idp: OidcIdp) -> None:
    idp.behaviour.userinfo = {"family_name": "Lovelace", "given_name": "Not what the ID token says"}
    assertion = sign_in(idp)
    assert assertion.subject == "00u-ada"
    attributes = assertion.attributes
    assert attributes["email"] == ["ada@example.com"]
    assert attributes["email_verified"] == ["true"]
    assert attributes["groups"] == ["admins", "staff"]
    assert attributes["family_name"] == ["Lovelace"], "userinfo adds what the ID token lacks"
    assert attributes["given_name"] == ["Ada"], "the signed ID token wins over userinfo"
    assert "nonce" not in attributes
    assert assertion.expires_at is not None and assertion.expires_at == float(attributes["exp"][0])
    [token_request] = idp.token_requests
    assert token_request.auth_method == "client_secret_basic"
    assert token_request.form["code_verifier"] and token_request.form["redirect_uri"] == REDIRECT_URI
    assert idp.userinfo_requests == 1


def test_the_authorization_request_is_the_code_flow_with_pkce_and_the_login_hint(idp: OidcIdp) -> None:
    started = start(idp, login_hint="ada@example.com")
    query = {name: values[0] for name, values in parse_qs(urlsplit(started.url).query).items()}
    assert started.url.startswith(f"{idp.issuer}/authorize?")
    assert query["response_type"] == "code" and query["scope"] == "openid email profile"
    assert (query["client_id"], query["redirect_uri"]) == (idp.client_id, REDIRECT_URI)
    assert (query["state"], query["nonce"]) == (started.state, started.nonce)
    assert query["code_challenge"] == code_challenge(started.verifier) != started.verifier
    assert query["code_challenge_method"] == "S256" and query["login_hint"] == "ada@example.com"
    assert "login_hint" not in start(idp).url


def test_client_secret_post_is_used_when_it_is_the_only_method_the_idp_takes(idp: OidcIdp) -> None:
    idp.behaviour.token_auth_methods = ("client_secret_post",)
    assert sign_in(idp).subject == "00u-ada"
    assert [request.auth_method for request in idp.token_requests] == ["client_secret_post"]


def test_discovery_naming_another_issuer_is_refused_and_says_which(idp: OidcIdp) -> None:
    idp.behaviour.discovery_issuer = "https://evil.example.com"
    with pytest.raises(FederationRefused) as refused:
        run(discover(idp.issuer, private_networks=True))
    assert refused.value.reason == "discovery_failed"
    assert "https://evil.example.com" in refused.value.message


def test_a_failing_or_unreachable_discovery_is_refused_with_what_failed(idp: OidcIdp) -> None:
    idp.behaviour.discovery_status = 500
    with pytest.raises(FederationRefused) as refused:
        run(discover(idp.issuer, private_networks=True))
    assert (refused.value.reason, "HTTP 500" in refused.value.message) == ("discovery_failed", True)
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        nobody = f"http://127.0.0.1:{unused.getsockname()[1]}"
    with pytest.raises(FederationRefused) as unreachable:
        run(discover(nobody, private_networks=True))
    assert unreachable.value.reason == "discovery_failed" and nobody in unreachable.value.message


def test_an_idp_on_a_private_address_is_refused_unless_private_networks_are_allowed(idp: OidcIdp) -> None:
    with pytest.raises(FederationRefused) as refused:
        run(discover(idp.issuer, private_networks=False))
    assert refused.value.reason == "discovery_failed"
    assert "not a public internet address" in refused.value.message


def test_discovery_is_cached_per_issuer(idp: OidcIdp) -> None:
    first = run(discover(idp.issuer, private_networks=True))
    idp.behaviour.discovery_status = 500
    assert run(discover(idp.issuer, private_networks=True)) is first


def test_an_iss_parameter_naming_another_issuer_is_refused(idp: OidcIdp) -> None:
    idp.behaviour.iss_parameter = "https://evil.example.com"
    refused = refusal(idp)
    assert refused.reason == "issuer_mismatch"
    assert refused.details["received"] == "https://evil.example.com"


def test_a_missing_iss_parameter_is_refused_only_when_the_idp_promised_it(idp: OidcIdp) -> None:
    idp.behaviour.sends_iss_parameter = False
    assert refusal(idp).reason == "issuer_mismatch"
    forget_provider_configurations()
    idp.behaviour.advertises_iss_parameter = False
    assert sign_in(idp).subject == "00u-ada"


def test_an_answer_for_another_browsers_sign_in_is_refused(idp: OidcIdp) -> None:
    started = start(idp)
    params = idp.sign_in(started.url)
    with pytest.raises(FederationRefused) as refused:
        finish(idp, started, {**params, "state": "someone-elses"})
    assert refused.value.reason == "state_mismatch"
    assert idp.token_requests == [], "the code was never exchanged"


def test_an_error_from_the_idp_is_refused_with_its_code_and_description(idp: OidcIdp) -> None:
    idp.behaviour.authorize_error = "access_denied"
    refused = refusal(idp)
    assert refused.reason == "idp_error"
    assert refused.details == {"error": "access_denied", "error_description": "The person said no."}
    assert "access_denied" in refused.message


def test_a_token_endpoint_error_is_refused_with_the_idps_error(idp: OidcIdp) -> None:
    idp.behaviour.token_error = "invalid_grant"
    refused = refusal(idp)
    assert refused.reason == "token_exchange_failed"
    assert (refused.details["status"], refused.details["error"]) == (400, "invalid_grant")


def test_a_wrong_client_secret_is_a_failed_token_exchange(idp: OidcIdp) -> None:
    started = start(idp)
    params = idp.sign_in(started.url)
    with pytest.raises(FederationRefused) as refused:
        finish(idp, started, params, client_secret="not-the-idps")
    assert (refused.value.reason, refused.value.details["error"]) == (
        "token_exchange_failed",
        "invalid_client",
    )


def test_an_id_token_for_another_sign_in_is_refused(idp: OidcIdp) -> None:
    idp.behaviour.nonce = "another-sign-ins-nonce"
    assert refusal(idp).reason == "nonce_mismatch"


def test_an_id_token_signed_with_another_key_is_refused(idp: OidcIdp) -> None:
    idp.behaviour.signed_with_other_key = True
    assert refusal(idp).reason == "signature_invalid"


def test_a_rotated_key_is_fetched_once_the_token_names_it(idp: OidcIdp) -> None:
    assert sign_in(idp).subject == "00u-ada"  # the JWKS is cached now
    idp.rotate_key()
    assert sign_in(idp).subject == "00u-ada"


def test_an_id_token_for_another_client_is_refused(idp: OidcIdp) -> None:
    idp.behaviour.audience = "another-client"
    assert refusal(idp).reason == "audience_mismatch"


def test_several_audiences_need_us_as_the_authorized_party(idp: OidcIdp) -> None:
    idp.behaviour.audience = [idp.client_id, "another-client"]
    assert refusal(idp).reason == "audience_mismatch"
    idp.behaviour.authorized_party = "another-client"
    assert refusal(idp).reason == "audience_mismatch"
    idp.behaviour.authorized_party = idp.client_id
    assert sign_in(idp).subject == "00u-ada"


def test_an_id_token_from_another_issuer_is_refused(idp: OidcIdp) -> None:
    idp.behaviour.id_token_issuer = "https://evil.example.com"
    assert refusal(idp).reason == "issuer_mismatch"


def test_an_expired_id_token_is_refused_with_both_clocks(idp: OidcIdp) -> None:
    idp.behaviour.lifetime_seconds = -600
    refused = refusal(idp)
    assert refused.reason == "clock_skew"
    assert set(refused.details) == {"issued_at", "expires_at", "our_time"}
    assert str(refused.details["expires_at"]) < str(refused.details["our_time"])


def test_userinfo_about_another_person_is_refused(idp: OidcIdp) -> None:
    idp.behaviour.userinfo = {"sub": "someone-else"}
    assert refusal(idp).reason == "malformed"


DOCUMENT = {
    "issuer": "https://idp.example.com/",
    "authorization_endpoint": "https://idp.example.com/authorize",
    "token_endpoint": "https://idp.example.com/token",
    "jwks_uri": "https://idp.example.com/jwks",
}


def test_a_discovery_document_keeps_its_issuers_spelling_and_the_specifications_defaults() -> None:
    config = provider_configuration(
        "https://idp.example.com", DOCUMENT, private_networks=False, source="https://idp.example.com/x"
    )
    assert config.issuer == "https://idp.example.com/", "ID tokens carry the document's spelling"
    assert config.token_endpoint_auth_methods_supported == ("client_secret_basic",)
    assert config.id_token_signing_alg_values_supported == ("RS256",)
    assert config.userinfo_endpoint is None and config.authorization_response_iss_parameter_supported is False


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"token_endpoint": "http://idp.example.com/token"}, "token_endpoint (an absolute https URL)"),
        ({"jwks_uri": None}, "jwks_uri"),
        ({"authorization_endpoint": "https://[::1"}, "authorization_endpoint"),
        ({"id_token_signing_alg_values_supported": "RS256"}, "not a list"),
        ({"issuer": "https://idp.example.com/tenant"}, "names the issuer"),
    ],
)
def test_an_unusable_discovery_document_is_refused_saying_what_is_wrong(
    change: dict[str, object], words: str
) -> None:
    document = {key: value for key, value in {**DOCUMENT, **change}.items() if value is not None}
    with pytest.raises(FederationRefused) as refused:
        provider_configuration("https://idp.example.com", document, private_networks=False, source="there")
    assert refused.value.reason == "discovery_failed"
    assert words in refused.value.message, refused.value.message
