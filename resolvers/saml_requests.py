"""The SP-initiated AuthnRequest: where the browser goes (or what it posts) to sign in at the IdP.

Pure: the caller stores `request_id` with its sign-in attempt, to match the answer's InResponseTo,
and passes our signing key when the IdP's metadata says WantAuthnRequestsSigned. The XML is built
with lxml; signatures are python3-saml's (xmlsec), rsa-sha256: over the query string in the
HTTP-Redirect binding, enveloped in the XML in the HTTP-POST binding.
"""

import base64
import secrets
from dataclasses import dataclass
from urllib.parse import quote_plus

from lxml import etree
from onelogin.saml2.constants import OneLogin_Saml2_Constants
from onelogin.saml2.utils import OneLogin_Saml2_Utils

from resolvers.clock import now
from resolvers.text import text_problem

SAMLP = OneLogin_Saml2_Constants.NS_SAMLP
SAML = OneLogin_Saml2_Constants.NS_SAML
HTTP_REDIRECT = OneLogin_Saml2_Constants.BINDING_HTTP_REDIRECT
HTTP_POST = OneLogin_Saml2_Constants.BINDING_HTTP_POST
RSA_SHA256 = OneLogin_Saml2_Constants.RSA_SHA256
MAX_RELAY_STATE_BYTES = 80  # SAML 2.0 bindings, 3.4.3 and 3.5.3


@dataclass(frozen=True, slots=True)
class SamlRequest:
    """Where to send the browser: `url` itself (HTTP-Redirect), or `form` posted to `url` (HTTP-POST)."""

    request_id: str  # what the answer's InResponseTo must be
    url: str
    form: dict[str, str] | None = None


def authn_request(
    *,
    sp_entity_id: str,
    acs_url: str,
    idp_sso_url: str,
    sso_binding: str,
    relay_state: str,
    name_id_format: str,
    force_authn: bool = False,
    signing_key_pem: str | None = None,
    signing_certificate_pem: str | None = None,
) -> SamlRequest:
    """An AuthnRequest asking the IdP to answer by HTTP-POST at `acs_url`, signed when a key is given.

    `sso_binding` is the binding URN stored with the IdP settings; `relay_state` comes back with the
    answer unchanged (at most 80 bytes, one printable line: keep it an opaque handle).
    """
    if sso_binding not in (HTTP_REDIRECT, HTTP_POST):
        raise ValueError(f"unsupported SSO binding: {sso_binding!r}")
    if not _is_one_line(relay_state) or not 1 <= len(relay_state.encode()) <= MAX_RELAY_STATE_BYTES:
        raise ValueError("RelayState is one printable line of 1 to 80 bytes")
    for name, value in (
        ("sp_entity_id", sp_entity_id),
        ("acs_url", acs_url),
        ("idp_sso_url", idp_sso_url),
        ("name_id_format", name_id_format),
    ):
        if not value or not _is_one_line(value):
            raise ValueError(f"{name} must be one printable line")
    if signing_key_pem is not None and sso_binding == HTTP_POST and signing_certificate_pem is None:
        raise ValueError(
            "a signed HTTP-POST AuthnRequest carries its certificate: give signing_certificate_pem"
        )
    request_id = "_" + secrets.token_hex(20)  # an xs:ID starts with a letter or an underscore
    xml = _request_xml(
        request_id=request_id,
        sp_entity_id=sp_entity_id,
        acs_url=acs_url,
        destination=idp_sso_url,
        name_id_format=name_id_format,
        force_authn=force_authn,
    )
    if sso_binding == HTTP_POST:
        if signing_key_pem is not None and signing_certificate_pem is not None:
            xml = OneLogin_Saml2_Utils.add_sign(xml, signing_key_pem, signing_certificate_pem)
        form = {"SAMLRequest": base64.b64encode(xml).decode(), "RelayState": relay_state}
        return SamlRequest(request_id=request_id, url=idp_sso_url, form=form)
    query = f"SAMLRequest={quote_plus(OneLogin_Saml2_Utils.deflate_and_base64_encode(xml))}"
    query += f"&RelayState={quote_plus(relay_state)}"
    if signing_key_pem is not None:
        query += f"&SigAlg={quote_plus(RSA_SHA256)}"
        signature = OneLogin_Saml2_Utils.sign_binary(query, signing_key_pem)
        query += f"&Signature={quote_plus(base64.b64encode(signature).decode())}"
    separator = "&" if "?" in idp_sso_url else "?"
    return SamlRequest(request_id=request_id, url=f"{idp_sso_url}{separator}{query}")


def _request_xml(
    *,
    request_id: str,
    sp_entity_id: str,
    acs_url: str,
    destination: str,
    name_id_format: str,
    force_authn: bool,
) -> bytes:
    request = etree.Element(f"{{{SAMLP}}}AuthnRequest", nsmap={"samlp": SAMLP, "saml": SAML})
    request.set("ID", request_id)
    request.set("Version", "2.0")
    request.set("IssueInstant", now().strftime("%Y-%m-%dT%H:%M:%SZ"))
    request.set("Destination", destination)
    request.set("ProtocolBinding", HTTP_POST)
    request.set("AssertionConsumerServiceURL", acs_url)
    if force_authn:
        request.set("ForceAuthn", "true")
    etree.SubElement(request, f"{{{SAML}}}Issuer").text = sp_entity_id
    policy = etree.SubElement(request, f"{{{SAMLP}}}NameIDPolicy")
    policy.set("Format", name_id_format)
    policy.set("AllowCreate", "true")
    xml: bytes = etree.tostring(request)
    return xml


def _is_one_line(value: str) -> bool:
    return text_problem(value) is None and value.isprintable()
