"""Our AuthnRequest says who we are and where to answer, in the binding the IdP asked for, and its
signature verifies with our certificate."""

import base64
import datetime as dt
import zlib
from urllib.parse import parse_qs, unquote_plus, urlsplit

import pytest
import xmlsec
from lxml import etree
from onelogin.saml2.utils import OneLogin_Saml2_Utils
from onelogin.saml2.xml_utils import OneLogin_Saml2_XML

from resolvers.saml_metadata import NAMEID_EMAIL
from resolvers.saml_requests import HTTP_POST, HTTP_REDIRECT, RSA_SHA256, SamlRequest, authn_request
from resolvers.sp_certificates import SpCertificate, new_sp_certificate
from tests.support.saml_idp import SamlIdp

SP_ENTITY_ID = "https://auth.example.com/sso/saml/6f1c"
ACS_URL = "https://auth.example.com/sso/callback/saml/6f1c"
IDP_SSO_URL = "https://idp.example.com/app/sso/saml"
NS = {"samlp": "urn:oasis:names:tc:SAML:2.0:protocol", "saml": "urn:oasis:names:tc:SAML:2.0:assertion"}
DS = "http://www.w3.org/2000/09/xmldsig#"


@pytest.fixture(scope="module")
def sp_certificate() -> SpCertificate:
    return new_sp_certificate("tenantry-sp test", valid_days=30)


def request(binding: str = HTTP_REDIRECT, /, **options: object) -> SamlRequest:
    arguments: dict[str, object] = {
        "sp_entity_id": SP_ENTITY_ID,
        "acs_url": ACS_URL,
        "idp_sso_url": IDP_SSO_URL,
        "sso_binding": binding,
        "relay_state": "attempt-7d2f",
        "name_id_format": NAMEID_EMAIL,
        **options,
    }
    return authn_request(**arguments)  # type: ignore[arg-type]


def redirect_xml(saml_request: SamlRequest) -> etree._Element:
    encoded = parse_qs(urlsplit(saml_request.url).query)["SAMLRequest"][0]
    return etree.fromstring(zlib.decompress(base64.b64decode(encoded), -15))


def test_the_redirect_carries_a_deflated_request_naming_us_and_our_acs_url() -> None:
    before = dt.datetime.now(dt.UTC).replace(microsecond=0)
    saml_request = request()
    assert saml_request.form is None
    assert saml_request.url.startswith(IDP_SSO_URL + "?SAMLRequest=")
    query = parse_qs(urlsplit(saml_request.url).query)
    assert query["RelayState"] == ["attempt-7d2f"]
    assert "Signature" not in query and "SigAlg" not in query
    xml = redirect_xml(saml_request)
    assert xml.tag == "{urn:oasis:names:tc:SAML:2.0:protocol}AuthnRequest"
    assert xml.get("ID") == saml_request.request_id
    assert saml_request.request_id[0] == "_" and len(saml_request.request_id) >= 33
    assert xml.get("Version") == "2.0"
    assert xml.get("Destination") == IDP_SSO_URL
    assert xml.get("AssertionConsumerServiceURL") == ACS_URL
    assert xml.get("ProtocolBinding") == HTTP_POST
    assert xml.get("ForceAuthn") is None
    issued = dt.datetime.strptime(xml.get("IssueInstant") or "", "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)
    assert before <= issued <= dt.datetime.now(dt.UTC)
    assert xml.findtext("saml:Issuer", namespaces=NS) == SP_ENTITY_ID
    policy = xml.find("samlp:NameIDPolicy", NS)
    assert policy is not None and policy.get("Format") == NAMEID_EMAIL and policy.get("AllowCreate") == "true"


def test_the_request_is_valid_by_the_saml_schema_and_each_one_has_its_own_id(
    sp_certificate: SpCertificate,
) -> None:
    ids = set()
    for saml_request in (
        request(),
        request(force_authn=True),
        request(
            HTTP_POST,
            signing_key_pem=sp_certificate.private_key_pem.decode(),
            signing_certificate_pem=sp_certificate.certificate_pem,
        ),
    ):
        xml = (
            etree.tostring(redirect_xml(saml_request))
            if saml_request.form is None
            else base64.b64decode(saml_request.form["SAMLRequest"])
        )
        checked = OneLogin_Saml2_XML.validate_xml(xml, "saml-schema-protocol-2.0.xsd")
        assert not isinstance(checked, str), checked
        ids.add(saml_request.request_id)
    assert len(ids) == 3


def test_force_authn_asks_the_idp_to_sign_the_person_in_again() -> None:
    assert redirect_xml(request(force_authn=True)).get("ForceAuthn") == "true"


def test_an_sso_url_with_a_query_keeps_it(sp_certificate: SpCertificate) -> None:
    saml_request = request(idp_sso_url="https://accounts.example.com/o/saml2/idp?idpid=C01abc")
    query = parse_qs(urlsplit(saml_request.url).query)
    assert query["idpid"] == ["C01abc"]
    assert "SAMLRequest" in query


def test_a_signed_redirect_verifies_with_our_certificate_over_the_exact_query(
    sp_certificate: SpCertificate,
) -> None:
    saml_request = request(relay_state="a b&c=d/é", signing_key_pem=sp_certificate.private_key_pem.decode())
    query = urlsplit(saml_request.url).query
    signed_part, signature = query.split("&Signature=")
    assert signed_part.startswith("SAMLRequest=")
    assert parse_qs(query)["SigAlg"] == [RSA_SHA256]
    assert parse_qs(query)["RelayState"] == ["a b&c=d/é"]
    signature_bytes = base64.b64decode(unquote_plus(signature))
    certificate = sp_certificate.certificate_pem
    assert OneLogin_Saml2_Utils.validate_binary_sign(signed_part, signature_bytes, certificate)
    changed = signed_part.replace("RelayState=", "RelayState=x")
    assert not OneLogin_Saml2_Utils.validate_binary_sign(changed, signature_bytes, certificate)
    other = new_sp_certificate("someone else", valid_days=1).certificate_pem
    assert not OneLogin_Saml2_Utils.validate_binary_sign(signed_part, signature_bytes, other)


def test_a_post_binding_request_is_a_form_with_an_enveloped_signature(sp_certificate: SpCertificate) -> None:
    saml_request = request(
        HTTP_POST,
        signing_key_pem=sp_certificate.private_key_pem.decode(),
        signing_certificate_pem=sp_certificate.certificate_pem,
    )
    assert saml_request.url == IDP_SSO_URL
    assert saml_request.form is not None
    assert saml_request.form["RelayState"] == "attempt-7d2f"
    xml = OneLogin_Saml2_XML.to_etree(base64.b64decode(saml_request.form["SAMLRequest"]))
    assert xml.get("ID") == saml_request.request_id
    assert xml.get("AssertionConsumerServiceURL") == ACS_URL
    signature = xml.find(f"{{{DS}}}Signature")
    assert signature is not None
    assert signature.getprevious().tag == "{urn:oasis:names:tc:SAML:2.0:assertion}Issuer"
    assert signature.find(f".//{{{DS}}}SignatureMethod").get("Algorithm") == RSA_SHA256
    assert signature.find(f".//{{{DS}}}Reference").get("URI") == "#" + saml_request.request_id
    xmlsec.tree.add_ids(xml, ["ID"])
    assert OneLogin_Saml2_Utils.validate_node_sign(
        signature, xml, sp_certificate.certificate_pem, raise_exceptions=True
    )
    xml.find("saml:Issuer", NS).text = "https://evil.example"
    assert not OneLogin_Saml2_Utils.validate_node_sign(signature, xml, sp_certificate.certificate_pem)


def test_an_unsigned_post_binding_request_has_no_signature() -> None:
    saml_request = request(HTTP_POST)
    assert saml_request.form is not None
    xml = etree.fromstring(base64.b64decode(saml_request.form["SAMLRequest"]))
    assert xml.find(f"{{{DS}}}Signature") is None


@pytest.mark.parametrize("binding", [HTTP_REDIRECT, HTTP_POST])
def test_the_test_idp_reads_what_we_send(binding: str) -> None:
    saml_request = request(binding)
    seen = SamlIdp().read_authn_request(saml_request.form or saml_request.url)
    assert seen == (saml_request.request_id, ACS_URL, "attempt-7d2f")


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"sso_binding": "urn:oasis:names:tc:SAML:2.0:bindings:SOAP"}, "unsupported SSO binding"),
        ({"relay_state": ""}, "RelayState"),
        ({"relay_state": "x" * 81}, "RelayState"),
        ({"relay_state": "é" * 41}, "RelayState"),
        ({"relay_state": "line\nbreak"}, "RelayState"),
        ({"relay_state": "nul\x00"}, "RelayState"),
        ({"relay_state": "\ud800"}, "RelayState"),
        ({"acs_url": ""}, "acs_url"),
        ({"idp_sso_url": "https://idp.example.com/\x7f"}, "idp_sso_url"),
        ({"sp_entity_id": "a\tb"}, "sp_entity_id"),
    ],
)
def test_unusable_arguments_are_refused(options: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        request(**options)


def test_a_signed_post_request_needs_the_certificate_it_carries(sp_certificate: SpCertificate) -> None:
    with pytest.raises(ValueError, match="signing_certificate_pem"):
        request(HTTP_POST, signing_key_pem=sp_certificate.private_key_pem.decode())
