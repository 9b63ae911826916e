"""SAML metadata: what an IdP's metadata says about it, and the SP metadata we hand its admin.

Metadata is uploaded by organization admins, so it is untrusted input: it is parsed with no DTD, no
entity expansion and no network, a DOCTYPE is refused outright, and its size is bounded. Every way it
can be unusable is one `MetadataInvalid` with a message that tells the admin what to fix.
Pure functions only: storing the result and fetching metadata from a URL belong to the callers.
"""

import codecs
import datetime as dt
import ipaddress
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from lxml import etree

from resolvers.errors import DomainError, InvalidInput
from resolvers.sp_certificates import certificate_body, fingerprint, load_certificate
from resolvers.sp_certificates import certificate_pem as normalised_pem

MAX_METADATA_BYTES = 512 * 1024
MAX_ENTITY_ID_LENGTH = 1024
MAX_URL_LENGTH = 2048

MD = "urn:oasis:names:tc:SAML:2.0:metadata"
DS = "http://www.w3.org/2000/09/xmldsig#"
SAML2_PROTOCOL = "urn:oasis:names:tc:SAML:2.0:protocol"
HTTP_REDIRECT = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
HTTP_POST = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"

NAMEID_EMAIL = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"
NAMEID_PERSISTENT = "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent"
NAMEID_TRANSIENT = "urn:oasis:names:tc:SAML:2.0:nameid-format:transient"
NAMEID_UNSPECIFIED = "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified"

_ENTITY_DESCRIPTOR = f"{{{MD}}}EntityDescriptor"
_ENTITIES_DESCRIPTOR = f"{{{MD}}}EntitiesDescriptor"
_IDP_DESCRIPTOR = f"{{{MD}}}IDPSSODescriptor"
_SP_DESCRIPTOR = f"{{{MD}}}SPSSODescriptor"
_BINDING_NAMES = {HTTP_REDIRECT: "HTTP-Redirect", HTTP_POST: "HTTP-POST"}
_LOOPBACK_HOSTS = {"localhost"}
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_DECLARED_ENCODING = re.compile(rb"""\s*<\?xml[^>]{0,200}?encoding\s*=\s*["']([A-Za-z0-9._-]{1,40})["']""")


class MetadataInvalid(DomainError):
    """The IdP metadata (uploaded or typed in) cannot be used; the message says why."""

    code = "metadata_invalid"


@dataclass(frozen=True, slots=True)
class IdpCertificate:
    """One certificate the IdP signs with; several overlap while the IdP rolls its key over."""

    pem: str
    not_valid_after: dt.datetime
    fingerprint_sha256: str


@dataclass(frozen=True, slots=True)
class IdpMetadata:
    """What SSO needs to know about an IdP. `sso_url`/`sso_binding` is the endpoint to use."""

    entity_id: str
    sso_url: str
    sso_binding: str
    sso_redirect_url: str | None
    sso_post_url: str | None
    signing_certificates: tuple[IdpCertificate, ...]
    name_id_formats: tuple[str, ...]
    want_authn_requests_signed: bool

    @property
    def certificates_expire_at(self) -> dt.datetime:
        """When the last of the signing certificates expires: SSO stops working then."""
        return max(certificate.not_valid_after for certificate in self.signing_certificates)


def parse_idp_metadata(xml: bytes | str) -> IdpMetadata:
    """The IdP described by SAML 2.0 metadata (an EntityDescriptor, or an EntitiesDescriptor with one IdP)."""
    root = _parse_safely(xml)
    entity = _the_idp_entity(root)
    entity_id = _check_entity_id(entity.get("entityID"))
    descriptor = _saml2_idp_descriptor(entity)
    redirect_url, post_url = _sso_endpoints(descriptor)
    certificates = _signing_certificates(descriptor)
    formats = tuple(
        dict.fromkeys(
            text
            for element in descriptor.iterchildren(f"{{{MD}}}NameIDFormat")
            if (text := (element.text or "").strip())
        )
    )
    sso_url, binding = (redirect_url, HTTP_REDIRECT) if redirect_url else (post_url or "", HTTP_POST)
    return IdpMetadata(
        entity_id=entity_id,
        sso_url=sso_url,
        sso_binding=binding,
        sso_redirect_url=redirect_url,
        sso_post_url=post_url,
        signing_certificates=certificates,
        name_id_formats=formats,
        want_authn_requests_signed=_xs_boolean(descriptor, "WantAuthnRequestsSigned"),
    )


def idp_settings_from_fields(
    entity_id: str, sso_url: str, certificate_pem: str, *, sso_binding: str = HTTP_REDIRECT
) -> IdpMetadata:
    """The same facts typed in by an admin whose IdP has no metadata file (PEM or bare base64 cert)."""
    if sso_binding not in _BINDING_NAMES:
        raise MetadataInvalid("The SSO binding must be HTTP-Redirect or HTTP-POST.")
    url = _check_sso_url(sso_url.strip(), _BINDING_NAMES[sso_binding])
    return IdpMetadata(
        entity_id=_check_entity_id(entity_id),
        sso_url=url,
        sso_binding=sso_binding,
        sso_redirect_url=url if sso_binding == HTTP_REDIRECT else None,
        sso_post_url=url if sso_binding == HTTP_POST else None,
        signing_certificates=(_idp_certificate(certificate_pem, "The signing certificate"),),
        name_id_formats=(),
        want_authn_requests_signed=False,
    )


def sp_metadata_xml(
    *,
    entity_id: str,
    acs_url: str,
    certificate_pem: str,
    name_id_format: str,
    want_assertions_signed: bool = True,
) -> str:
    """SP metadata for the IdP admin to upload: we sign AuthnRequests and take assertions by HTTP-POST."""
    if not entity_id.strip() or len(entity_id) > MAX_ENTITY_ID_LENGTH:
        raise InvalidInput("The SP entity ID must be 1 to 1024 characters.")
    if not _is_acceptable_url(acs_url):
        raise InvalidInput("The assertion consumer service URL must be an https URL.")
    if not name_id_format.strip():
        raise InvalidInput("A NameID format is required.")
    try:
        body = certificate_body(certificate_pem)
    except ValueError as error:
        raise InvalidInput(f"The SP certificate cannot be used: {error}") from None
    document = etree.Element(f"{{{MD}}}EntityDescriptor", nsmap={"md": MD, "ds": DS})
    document.set("entityID", entity_id.strip())
    descriptor = etree.SubElement(document, f"{{{MD}}}SPSSODescriptor")
    descriptor.set("AuthnRequestsSigned", "true")
    descriptor.set("WantAssertionsSigned", "true" if want_assertions_signed else "false")
    descriptor.set("protocolSupportEnumeration", SAML2_PROTOCOL)
    key = etree.SubElement(descriptor, f"{{{MD}}}KeyDescriptor", use="signing")
    key_info = etree.SubElement(key, f"{{{DS}}}KeyInfo")
    x509_data = etree.SubElement(key_info, f"{{{DS}}}X509Data")
    etree.SubElement(x509_data, f"{{{DS}}}X509Certificate").text = body
    etree.SubElement(descriptor, f"{{{MD}}}NameIDFormat").text = name_id_format.strip()
    acs = etree.SubElement(descriptor, f"{{{MD}}}AssertionConsumerService")
    acs.set("Binding", HTTP_POST)
    acs.set("Location", acs_url)
    acs.set("index", "0")
    acs.set("isDefault", "true")
    text: str = etree.tostring(document, encoding="unicode", pretty_print=True)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + text


def _parse_safely(xml: bytes | str) -> etree._Element:
    """The root element, parsed with nothing fetched or expanded; a DOCTYPE is refused, not ignored."""
    if isinstance(xml, str):
        try:
            data = xml.encode("utf-8")
        except UnicodeEncodeError:
            raise MetadataInvalid(
                "The metadata is not valid text (it contains invalid characters)."
            ) from None
    else:
        data = bytes(xml)
    if len(data) > MAX_METADATA_BYTES:
        raise MetadataInvalid(
            f"The metadata is {len(data) // 1024} KiB; at most {MAX_METADATA_BYTES // 1024} KiB is accepted."
        )
    if not data.strip():
        raise MetadataInvalid("The metadata is empty.")
    scanned = _text_for_scanning(data).lower()
    if "<!doctype" in scanned or "<!entity" in scanned:
        raise _doctype_refused()
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
        # a str was encoded to UTF-8 above, whatever its XML declaration says
        encoding="utf-8" if isinstance(xml, str) else None,
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        raise MetadataInvalid(f"The metadata is not well-formed XML ({error.msg}).") from None
    except (ValueError, LookupError):
        raise MetadataInvalid("The metadata is not well-formed XML.") from None
    if root is None:
        raise MetadataInvalid("The metadata is not well-formed XML.")
    docinfo = root.getroottree().docinfo
    has_doctype = bool(docinfo.doctype)  # type: ignore[union-attr]  # lxml-stubs lack it
    if has_doctype or docinfo.internalDTD is not None or docinfo.externalDTD is not None:
        raise _doctype_refused()
    if any(isinstance(node, etree._Entity) for node in root.iter()):
        raise _doctype_refused()
    return root


def _text_for_scanning(data: bytes) -> str:
    """The document decoded as the parser will read it (BOM, NUL pattern, or declaration), for a pre-check.

    The check after parsing stands behind it; this one lets a DOCTYPE in UTF-16 be named as such
    instead of surfacing as the parser's entity-amplification error.
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return data.decode(codec, errors="replace")
    if data[:2] == b"<\x00":
        return data.decode("utf-16-le", errors="replace")
    if data[:2] == b"\x00<":
        return data.decode("utf-16-be", errors="replace")
    declared = _DECLARED_ENCODING.match(data)
    if declared:
        try:
            return data.decode(declared.group(1).decode("ascii"), errors="replace")
        except LookupError:
            pass
    return data.decode("utf-8", errors="replace")


def _doctype_refused() -> MetadataInvalid:
    return MetadataInvalid(
        "The metadata contains a DOCTYPE or entity declaration, which SAML metadata never needs; "
        "it is refused for safety."
    )


def _the_idp_entity(root: etree._Element) -> etree._Element:
    """The one EntityDescriptor that describes an IdP, or why there is none to choose."""
    if root.tag == _ENTITY_DESCRIPTOR:
        if root.find(_IDP_DESCRIPTOR) is None:
            if root.find(_SP_DESCRIPTOR) is not None:
                raise MetadataInvalid(
                    "The metadata describes a service provider (SPSSODescriptor), not an identity provider: "
                    "upload the IdP's metadata."
                )
            raise MetadataInvalid(
                "The metadata has no IDPSSODescriptor: it does not describe an identity provider."
            )
        return root
    if root.tag == _ENTITIES_DESCRIPTOR:
        idps = [
            entity for entity in root.iter(_ENTITY_DESCRIPTOR) if entity.find(_IDP_DESCRIPTOR) is not None
        ]
        if not idps:
            raise MetadataInvalid(
                "The metadata's EntitiesDescriptor contains no EntityDescriptor with an IDPSSODescriptor."
            )
        if len(idps) > 1:
            names = ", ".join(str(entity.get("entityID", "?")) for entity in idps[:5])
            more = ", …" if len(idps) > 5 else ""
            raise MetadataInvalid(
                f"The metadata describes {len(idps)} identity providers ({names}{more}); "
                "upload the metadata of just the one to use."
            )
        return idps[0]
    local = etree.QName(root).localname if isinstance(root.tag, str) else "?"
    if local in ("EntityDescriptor", "EntitiesDescriptor"):
        raise MetadataInvalid(f"The metadata's {local} is not in the SAML 2.0 metadata namespace ({MD}).")
    raise MetadataInvalid(
        f"The document is not SAML metadata: its root element is <{local}>, not <EntityDescriptor>."
    )


def _check_entity_id(entity_id: str | None) -> str:
    value = (entity_id or "").strip()
    if not value:
        raise MetadataInvalid("The IdP entity ID is missing (the entityID attribute of EntityDescriptor).")
    if len(value) > MAX_ENTITY_ID_LENGTH:
        raise MetadataInvalid(f"The IdP entity ID is longer than {MAX_ENTITY_ID_LENGTH} characters.")
    if any(character.isspace() for character in value):
        raise MetadataInvalid("The IdP entity ID contains whitespace; it must be a URI.")
    return value


def _saml2_idp_descriptor(entity: etree._Element) -> etree._Element:
    for descriptor in entity.iterchildren(_IDP_DESCRIPTOR):
        if SAML2_PROTOCOL in (descriptor.get("protocolSupportEnumeration") or "").split():
            return descriptor
    raise MetadataInvalid(
        f"The IDPSSODescriptor does not list SAML 2.0 ({SAML2_PROTOCOL}) among its protocols."
    )


def _sso_endpoints(descriptor: etree._Element) -> tuple[str | None, str | None]:
    """The first HTTP-Redirect and the first HTTP-POST SingleSignOnService locations."""
    services = list(descriptor.iterchildren(f"{{{MD}}}SingleSignOnService"))
    if not services:
        raise MetadataInvalid(
            "The IDPSSODescriptor has no SingleSignOnService: there is nowhere to send users."
        )
    found: dict[str, str] = {}
    for service in services:
        binding = service.get("Binding") or ""
        if binding in _BINDING_NAMES and binding not in found:
            found[binding] = _check_sso_url((service.get("Location") or "").strip(), _BINDING_NAMES[binding])
    if not found:
        offered = ", ".join(sorted({(s.get("Binding") or "none").rsplit(":", 1)[-1] for s in services}))
        raise MetadataInvalid(
            f"No SingleSignOnService uses the HTTP-Redirect or HTTP-POST binding (offered: {offered})."
        )
    return found.get(HTTP_REDIRECT), found.get(HTTP_POST)


def _check_sso_url(url: str, binding_name: str) -> str:
    if not url:
        raise MetadataInvalid(f"The {binding_name} SingleSignOnService has no Location.")
    if not _is_acceptable_url(url):
        raise MetadataInvalid(f"The {binding_name} SSO URL must be an https URL (got {url[:200]!r}).")
    return url


def _is_acceptable_url(url: str) -> bool:
    """https with a host; plain http only on loopback, where local test IdPs run."""
    if len(url) > MAX_URL_LENGTH or any(character.isspace() for character in url):
        return False
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        return False
    if not host:
        return False
    if parts.scheme == "https":
        return True
    return parts.scheme == "http" and _is_loopback(host)


def _is_loopback(host: str) -> bool:
    if host in _LOOPBACK_HOSTS:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _signing_certificates(descriptor: etree._Element) -> tuple[IdpCertificate, ...]:
    """Certificates of KeyDescriptors for signing (no `use` means signing and encryption), de-duplicated."""
    bodies = [
        "".join(str(text) for text in element.itertext())
        for key in descriptor.iterchildren(f"{{{MD}}}KeyDescriptor")
        if key.get("use") in (None, "signing")
        for element in key.iter(f"{{{DS}}}X509Certificate")
    ]
    if not bodies:
        raise MetadataInvalid(
            "The metadata has no signing certificate (no KeyDescriptor for signing with an X509Certificate)."
        )
    certificates: dict[str, IdpCertificate] = {}
    for number, body in enumerate(bodies, start=1):
        label = (
            "The signing certificate"
            if len(bodies) == 1
            else f"Signing certificate {number} of {len(bodies)}"
        )
        certificate = _idp_certificate(body, label)
        certificates.setdefault(certificate.fingerprint_sha256, certificate)
    return tuple(certificates.values())


def _idp_certificate(text: str, label: str) -> IdpCertificate:
    try:
        certificate = load_certificate(text)
        pem = normalised_pem(text)
        return IdpCertificate(
            pem=pem, not_valid_after=certificate.not_valid_after_utc, fingerprint_sha256=fingerprint(pem)
        )
    except ValueError as error:
        reason = str(error)
        raise MetadataInvalid(f"{label} cannot be read: {reason[:1].lower()}{reason[1:]}") from None


def _xs_boolean(element: etree._Element, attribute: str) -> bool:
    value = (element.get(attribute) or "false").strip()
    if value in ("true", "1"):
        return True
    if value in ("false", "0"):
        return False
    raise MetadataInvalid(f"{attribute} must be true or false, not {value[:40]!r}.")
