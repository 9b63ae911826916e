"""The compiled-once schema check answers exactly as python3-saml's own check does."""

import pytest
from lxml import etree

from resolvers.saml_schemas import LIBRARY_VALIDATE_XML, _validate_xml
from tests.support.saml_idp import SamlIdp

PROTOCOL = "saml-schema-protocol-2.0.xsd"


def original(xml: object, schema: str) -> object:
    return LIBRARY_VALIDATE_XML(xml, schema)


def documents() -> list[bytes]:
    idp = SamlIdp()
    good = idp.response_xml(acs_url="https://sp.example.com/acs", audience="https://sp.example.com")
    missing_version = good.replace(b' Version="2.0"', b"", 1)
    unknown_element = good.replace(b"</samlp:Response>", b"<samlp:Nonsense/></samlp:Response>", 1)
    return [good, missing_version, unknown_element, b"<not-saml/>", b"not xml at all"]


@pytest.mark.parametrize("index", range(5))
def test_same_answer_as_the_library(index: int) -> None:
    document = documents()[index]
    ours, theirs = _validate_xml(document, PROTOCOL), original(document, PROTOCOL)
    if isinstance(theirs, str):
        assert ours == theirs
    else:
        assert etree.tostring(ours) == etree.tostring(theirs)  # type: ignore[call-overload]


def test_a_schema_invalid_document_is_caught() -> None:
    good, missing_version, *_ = documents()
    assert not isinstance(_validate_xml(good, PROTOCOL), str)
    assert _validate_xml(missing_version, PROTOCOL) == "invalid_xml"
