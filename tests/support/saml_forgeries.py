"""Forged SAML responses: what an attacker makes of a response our test IdP signed.

    original = idp.response_xml(acs_url=..., audience=..., sign_assertion=True, sign_response=False)
    saml_response = wrapped(original, "XSW3")   # base64, ready to post as SAMLResponse

Each starts from a response our IdP signed and changes what a careless reader would take. XSW2,
XSW3, XSW4 and XSW7 keep a signature that xmlsec itself verifies (the test suite checks it): only
reading the right element stops them. XSW1, XSW5, XSW6, XSW8 and the moved signature fail xmlsec's
own check (the enveloped transform drops what sits inside the signature; the first of two equal IDs
is the one signed), but other verifiers have fallen for them; `tampered` is the plain baseline.
"""

from copy import deepcopy
from typing import Literal

from lxml import etree

from tests.support.saml_idp import DS, SAML, SAMLP, encode, new_id

# The classic XML signature wrapping shapes (SAML Raider's XSW1-8): the signature still verifies
# over the original content, which is moved aside, while an evil copy sits where a careless
# reader looks. XSW1-2 need a signed Response; XSW3-8 a signed Assertion.
XswShape = Literal["XSW1", "XSW2", "XSW3", "XSW4", "XSW5", "XSW6", "XSW7", "XSW8"]
XSW_SHAPES: tuple[XswShape, ...] = ("XSW1", "XSW2", "XSW3", "XSW4", "XSW5", "XSW6", "XSW7", "XSW8")


def wrapped(signed_xml: bytes, shape: XswShape, *, evil_name_id: str = "mallory@evil.example") -> str:
    """An XML signature wrapping attack on a signed response: the signed content is kept (so the
    signature still verifies) but moved aside, and an evil copy naming `evil_name_id` takes its place."""
    root = etree.fromstring(signed_xml)
    if shape in ("XSW1", "XSW2"):
        _wrap_response(root, shape, evil_name_id)
    else:
        _wrap_assertion(root, shape, evil_name_id)
    return encode(etree.tostring(root))


def tampered(signed_xml: bytes, *, evil_name_id: str = "mallory@evil.example") -> str:
    """The signed response with its NameID changed in place: the digest no longer matches."""
    root = etree.fromstring(signed_xml)
    _rename(root.find(f"{{{SAML}}}Assertion"), evil_name_id)
    return encode(etree.tostring(root))


def signature_moved_to_response(signed_xml: bytes, *, evil_name_id: str = "mallory@evil.example") -> str:
    """The Assertion's signature lifted to the (unsigned) Response, still pointing at the Assertion,
    which is then made evil: one assertion, one signature, but not over what is read."""
    root = etree.fromstring(signed_xml)
    assertion = root.find(f"{{{SAML}}}Assertion")
    signature = None if assertion is None else assertion.find(f"{{{DS}}}Signature")
    if signature is None or root.find(f"{{{DS}}}Signature") is not None:
        raise ValueError("moving a signature needs a signed Assertion in an unsigned Response")
    root.find(f"{{{SAML}}}Issuer").addnext(signature)  # type: ignore[union-attr]
    _rename(assertion, evil_name_id)
    return encode(etree.tostring(root))


def with_comment_in_name_id(signed_xml: bytes, before: str) -> str:
    """The NameID split by an XML comment just before `before` (`user@evil.com<!---->.example.com`).

    Canonicalization drops comments, so the signature stays valid: a reader that takes only the
    first text node would see `user@evil.com`.
    """
    start = signed_xml.index(b"NameID")
    cut = signed_xml.index(before.encode(), start)
    return encode(signed_xml[:cut] + b"<!---->" + signed_xml[cut:])


def with_doctype(signed_xml: bytes, *, use_entity: bool = True) -> str:
    """The response behind a DOCTYPE declaring an entity (and, by default, the NameID made of it)."""
    text = signed_xml.decode()
    doctype = '<!DOCTYPE samlp:Response [<!ENTITY who "admin@example.com">]>'
    if use_entity:
        start = text.index("NameID")
        open_end = text.index(">", start) + 1
        close = text.index("</", open_end)
        text = text[:open_end] + "&who;" + text[close:]
    return encode(doctype + text)


def _wrap_response(root: etree._Element, shape: XswShape, evil_name_id: str) -> None:
    """XSW1/XSW2: an evil Response (new ID) keeps the signature, whose reference now finds the
    untouched original copied inside the signature (XSW1) or beside it (XSW2)."""
    signature = root.find(f"{{{DS}}}Signature")
    if signature is None:
        raise ValueError("XSW1 and XSW2 wrap a signed Response (sign_response=True)")
    original = deepcopy(root)
    original.remove(original.find(f"{{{DS}}}Signature"))  # type: ignore[arg-type]
    if shape == "XSW1":
        signature.append(original)
    else:
        signature.addprevious(original)
    root.set("ID", new_id())
    _rename(root.find(f"{{{SAML}}}Assertion"), evil_name_id)


def _wrap_assertion(root: etree._Element, shape: XswShape, evil_name_id: str) -> None:
    """XSW3-8: the signed Assertion's content survives somewhere its ID still resolves, while the
    Assertion a careless reader takes names the attacker."""
    assertion = root.find(f"{{{SAML}}}Assertion")
    if assertion is None or assertion.find(f"{{{DS}}}Signature") is None:
        raise ValueError("XSW3 to XSW8 wrap a signed Assertion (sign_assertion=True)")
    evil = deepcopy(assertion)
    evil.remove(evil.find(f"{{{DS}}}Signature"))  # type: ignore[arg-type]
    _rename(evil, evil_name_id)
    if shape == "XSW3":  # evil assertion (new ID) before the signed one
        evil.set("ID", new_id())
        assertion.addprevious(evil)
    elif shape == "XSW4":  # signed assertion inside the evil one
        evil.set("ID", new_id())
        assertion.addprevious(evil)
        evil.append(assertion)
    elif shape in ("XSW5", "XSW6"):  # signature kept on the evil assertion, original unsigned copy elsewhere
        copy = deepcopy(assertion)
        copy.remove(copy.find(f"{{{DS}}}Signature"))  # type: ignore[arg-type]
        _rename(assertion, evil_name_id)
        if shape == "XSW5":
            root.append(copy)
        else:
            assertion.find(f"{{{DS}}}Signature").append(copy)  # type: ignore[union-attr]
    elif shape == "XSW7":  # the signed assertion in Extensions, the evil one in its place
        extensions = etree.Element(f"{{{SAMLP}}}Extensions")
        root.find(f"{{{SAML}}}Issuer").addnext(extensions)  # type: ignore[union-attr]
        assertion.addprevious(evil)
        extensions.append(assertion)
    else:  # XSW8: the original (without its signature) in a ds:Object of the evil assertion's signature
        signature = deepcopy(assertion.find(f"{{{DS}}}Signature"))
        copy = deepcopy(assertion)
        copy.remove(copy.find(f"{{{DS}}}Signature"))  # type: ignore[arg-type]
        carrier = etree.SubElement(signature, f"{{{DS}}}Object")  # type: ignore[arg-type]
        carrier.append(copy)
        evil.find(f"{{{SAML}}}Issuer").addnext(signature)  # type: ignore[union-attr, arg-type]
        assertion.addprevious(evil)
        root.remove(assertion)


def _rename(within: etree._Element | None, name_id: str) -> None:
    if within is None:
        raise ValueError("the response has no assertion to tamper with")
    element = within.find(f"{{{SAML}}}Subject/{{{SAML}}}NameID")
    if element is None:
        raise ValueError("the assertion has no NameID")
    element.text = name_id
