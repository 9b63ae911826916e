"""python3-saml's schema check, with each XSD compiled once per process instead of per response.

In strict mode `OneLogin_Saml2_Response.is_valid` validates every response against the SAML
protocol schema, and python3-saml 1.16 parses and compiles that schema (and the ones it imports)
from disk on every call: about 1.2 ms of a 2.5 ms verification. `use_compiled_schemas()` puts a
version in its place that keeps the compiled schema; the documents, the schema files and the
answers ('unloaded_xml', 'invalid_xml', or the parsed document) are the library's own.
"""

import functools
from os.path import dirname, join
from typing import Any

from lxml import etree
from onelogin.saml2 import xml_utils
from onelogin.saml2.xml_utils import OneLogin_Saml2_XML

LIBRARY_VALIDATE_XML = OneLogin_Saml2_XML.__dict__["validate_xml"].__func__  # as shipped, for tests


@functools.cache
def _compiled(schema: str) -> etree.XMLSchema:
    with open(join(dirname(xml_utils.__file__), "schemas", schema)) as schema_file:
        return etree.XMLSchema(etree.parse(schema_file))


def _validate_xml(xml: Any, schema: str, debug: bool = False) -> Any:
    """OneLogin_Saml2_XML.validate_xml, minus reading the schema again."""
    try:
        document = OneLogin_Saml2_XML.to_etree(xml)
    except Exception:  # the library's own answer for anything it cannot parse
        return "unloaded_xml"
    if not _compiled(schema).validate(document):
        return "invalid_xml"
    return document


def use_compiled_schemas() -> None:
    OneLogin_Saml2_XML.validate_xml = staticmethod(_validate_xml)
