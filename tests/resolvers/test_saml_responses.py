"""A SAML response is accepted only when our IdP signed exactly what we read, for us, now, for our
request; every other answer is refused with the one reason the connection test shows."""

import base64
import datetime as dt
import time

import pytest
import xmlsec
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from resolvers.federated_identity import FederationRefused, IdpAssertion
from resolvers.saml_metadata import parse_idp_metadata
from resolvers.saml_requests import authn_request
from resolvers.saml_responses import verify_response
from tests.support.saml_forgeries import (
    XSW_SHAPES,
    XswShape,
    signature_moved_to_response,
    tampered,
    with_comment_in_name_id,
    with_doctype,
    wrapped,
)
from tests.support.saml_idp import (
    DS,
    NAMEID_EMAIL,
    OMIT,
    SAML,
    STATUS_AUTHN_FAILED,
    STATUS_REQUESTER,
    STATUS_RESPONDER,
    IdpKey,
    SamlIdp,
    encode,
)

SP_ENTITY_ID = "https://auth.example.com/sso/saml/6f1c"
ACS_URL = "https://auth.example.com/sso/callback/saml/6f1c"
REQUEST_ID = "_3c7f0a9e5b2d4e8f"
ATTRIBUTES = {
    "email": ["alice@example.com"],
    "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname": ["Alice"],
    "groups": ["engineering", "admins"],
}


@pytest.fixture(scope="module")
def idp() -> SamlIdp:
    return SamlIdp()


@pytest.fixture(scope="module")
def other_key() -> IdpKey:
    return IdpKey.generate("Someone else")


def answer(idp: SamlIdp, **knobs: object) -> str:
    """A correct answer to REQUEST_ID but for the knobs given."""
    return idp.response(
        **{"acs_url": ACS_URL, "audience": SP_ENTITY_ID, "in_response_to": REQUEST_ID, **knobs}
    )


def signed_xml(idp: SamlIdp, **knobs: object) -> bytes:
    return idp.response_xml(
        **{"acs_url": ACS_URL, "audience": SP_ENTITY_ID, "in_response_to": REQUEST_ID, **knobs}  # type: ignore[arg-type]
    )


def verify(
    idp: SamlIdp,
    saml_response: str,
    *,
    request_id: str | None = REQUEST_ID,
    certificates: list[str] | None = None,
) -> IdpAssertion:
    return verify_response(
        saml_response=saml_response,
        sp_entity_id=SP_ENTITY_ID,
        acs_url=ACS_URL,
        idp_entity_id=idp.entity_id,
        idp_certificates=certificates or [idp.certificate_pem],
        request_id=request_id,
    )


def refusal(idp: SamlIdp, saml_response: str, **options: object) -> FederationRefused:
    with pytest.raises(FederationRefused) as refused:
        verify(idp, saml_response, **options)  # type: ignore[arg-type]
    return refused.value


# accepted


@pytest.mark.parametrize(
    ("sign_response", "sign_assertion"),
    [(True, False), (False, True), (True, True)],
    ids=["response", "assertion", "both"],
)
def test_a_signed_answer_vouches_for_its_name_id_and_every_attribute(
    idp: SamlIdp, sign_response: bool, sign_assertion: bool
) -> None:
    before = time.time()
    saml_response = signed_xml(
        idp,
        attributes=ATTRIBUTES,
        sign_response=sign_response,
        sign_assertion=sign_assertion,
        assertion_id="_a1b2",
    )
    assertion = verify(idp, encode(saml_response))
    assert assertion.subject == "alice@example.com"
    assert assertion.name_id_format == NAMEID_EMAIL
    assert assertion.attributes == ATTRIBUTES
    assert assertion.assertion_id == "_a1b2"
    # the replay cache keeps the ID as long as any check would still pass: NotOnOrAfter plus the skew
    assert assertion.expires_at is not None
    assert before + 300 + 300 - 2 <= assertion.expires_at <= time.time() + 300 + 300 + 1


def test_attributes_of_every_statement_arrive_by_name(idp: SamlIdp) -> None:
    saml_response = answer(
        idp,
        attributes={"email": ["alice@example.com"], "groups": ["engineering"]},
        more_attribute_statements=[{"groups": ["admins"], "department": ["R&D <west>"]}],
    )
    assert verify(idp, saml_response).attributes == {
        "email": ["alice@example.com"],
        "groups": ["engineering", "admins"],
        "department": ["R&D <west>"],
    }


def test_the_whole_ceremony_works_from_the_idps_metadata(idp: SamlIdp) -> None:
    """What an admin uploads is enough to send people to the IdP and to believe what it answers."""
    metadata = parse_idp_metadata(idp.metadata_xml(extra_certificates=(IdpKey.generate().certificate_pem,)))
    saml_request = authn_request(
        sp_entity_id=SP_ENTITY_ID,
        acs_url=ACS_URL,
        idp_sso_url=metadata.sso_url,
        sso_binding=metadata.sso_binding,
        relay_state="attempt-1",
        name_id_format=NAMEID_EMAIL,
    )
    request_id, acs_url, relay_state = idp.read_authn_request(saml_request.form or saml_request.url)
    assert (acs_url, relay_state) == (ACS_URL, "attempt-1")
    assertion = verify_response(
        saml_response=idp.response(acs_url=acs_url, audience=SP_ENTITY_ID, in_response_to=request_id),
        sp_entity_id=SP_ENTITY_ID,
        acs_url=ACS_URL,
        idp_entity_id=metadata.entity_id,
        idp_certificates=[certificate.pem for certificate in metadata.signing_certificates],
        request_id=saml_request.request_id,
    )
    assert assertion.subject == "alice@example.com"


def test_during_a_key_rollover_either_certificate_verifies(idp: SamlIdp, other_key: IdpKey) -> None:
    both = [other_key.certificate_pem, idp.certificate_pem]
    assert verify(idp, answer(idp), certificates=both).subject == "alice@example.com"
    assert verify(idp, answer(idp, key=other_key), certificates=both).subject == "alice@example.com"


def test_an_idp_initiated_answer_names_no_request(idp: SamlIdp) -> None:
    assert verify(idp, answer(idp, in_response_to=None), request_id=None).subject == "alice@example.com"


def test_destination_may_be_left_out_and_clock_skew_is_forgiven_up_to_five_minutes(idp: SamlIdp) -> None:
    assert verify(idp, answer(idp, destination=OMIT)).subject == "alice@example.com"
    assert verify(idp, answer(idp, not_before=120)).subject == "alice@example.com"


def test_line_breaks_in_the_base64_field_are_ignored(idp: SamlIdp) -> None:
    field = answer(idp)
    folded = "\r\n".join(field[start : start + 76] for start in range(0, len(field), 76))
    assert verify(idp, folded).subject == "alice@example.com"


# signatures


def test_an_unsigned_answer_is_refused(idp: SamlIdp) -> None:
    assert refusal(idp, answer(idp, sign_response=False)).reason == "response_not_signed"


@pytest.mark.parametrize(
    ("sign_response", "sign_assertion"), [(True, False), (False, True)], ids=["response", "assertion"]
)
def test_a_signature_by_another_key_is_refused(
    idp: SamlIdp, other_key: IdpKey, sign_response: bool, sign_assertion: bool
) -> None:
    saml_response = answer(idp, key=other_key, sign_response=sign_response, sign_assertion=sign_assertion)
    assert refusal(idp, saml_response).reason == "signature_invalid"


def test_both_signatures_must_verify_when_both_are_there(idp: SamlIdp, other_key: IdpKey) -> None:
    # our IdP's signature on the Response, another key's on the Assertion inside it
    saml_response = answer(idp, sign_response=True, sign_assertion=True, assertion_key=other_key)
    assert refusal(idp, saml_response).reason == "signature_invalid"


def test_a_sha1_signature_is_refused_with_what_to_change(idp: SamlIdp) -> None:
    refused = refusal(idp, answer(idp, sha1=True))
    assert refused.reason == "signature_invalid"
    assert "SHA-256" in refused.message


def test_a_name_id_changed_after_signing_is_refused(idp: SamlIdp) -> None:
    assert refusal(idp, tampered(signed_xml(idp))).reason == "signature_invalid"
    assert (
        refusal(idp, tampered(signed_xml(idp, sign_response=False, sign_assertion=True))).reason
        == "signature_invalid"
    )


def test_a_signature_lifted_from_the_assertion_to_the_response_is_refused(idp: SamlIdp) -> None:
    saml_response = signature_moved_to_response(signed_xml(idp, sign_response=False, sign_assertion=True))
    assert refusal(idp, saml_response).reason == "signature_invalid"


@pytest.mark.parametrize("shape", XSW_SHAPES)
def test_signature_wrapping_is_refused(idp: SamlIdp, shape: XswShape) -> None:
    response_level = shape in ("XSW1", "XSW2")
    original = signed_xml(idp, sign_response=response_level, sign_assertion=not response_level)
    refused = refusal(idp, wrapped(original, shape, evil_name_id="mallory@evil.example"))
    assert refused.reason == "signature_invalid"


def test_a_name_id_is_read_without_surrounding_whitespace(idp: SamlIdp) -> None:
    assert verify(idp, answer(idp, name_id="\n    alice@example.com\n  ")).subject == "alice@example.com"


@pytest.mark.parametrize(
    "knobs",
    [
        {"name_id": "alice\u0085@example.com"},
        {"name_id": "alice\n@example.com"},
        {"name_id": "a" * 1025},
        {"attributes": {"email": ["alice@example.com\x7f"]}},
        {"attributes": {"e\u009bmail": ["alice@example.com"]}},
    ],
    ids=["C1 control in NameID", "two-line NameID", "long NameID", "DEL in a value", "C1 control in a name"],
)
def test_text_we_could_not_store_is_refused(idp: SamlIdp, knobs: dict[str, object]) -> None:
    assert refusal(idp, answer(idp, **knobs)).reason == "malformed"


@pytest.mark.parametrize("shape", ["XSW2", "XSW3", "XSW4", "XSW7"])
def test_the_dangerous_wrappings_carry_a_signature_that_verifies_on_its_own(
    idp: SamlIdp, shape: XswShape
) -> None:
    """So the refusal above is the verifier reading the right element, not a broken forgery."""
    response_level = shape in ("XSW1", "XSW2")
    original = signed_xml(idp, sign_response=response_level, sign_assertion=not response_level)
    document = etree.fromstring(base64.b64decode(wrapped(original, shape)))
    xmlsec.tree.add_ids(document, ["ID"])
    signatures = list(document.iter(f"{{{DS}}}Signature"))
    assert len(signatures) == 1
    context = xmlsec.SignatureContext()
    context.key = xmlsec.Key.from_memory(idp.certificate_pem, xmlsec.constants.KeyDataFormatCertPem)
    context.verify(signatures[0])
    assert b"mallory@evil.example" in etree.tostring(document)


def test_a_comment_in_the_name_id_never_shortens_it(idp: SamlIdp) -> None:
    original = signed_xml(idp, name_id="user@evil.com.example.com")
    try:
        subject = verify(idp, with_comment_in_name_id(original, before=".example.com")).subject
    except FederationRefused:
        return
    assert subject == "user@evil.com.example.com"


# what the assertion says


def test_an_assertion_for_another_service_provider_is_refused(idp: SamlIdp) -> None:
    refused = refusal(idp, answer(idp, audience="https://other-app.example.com/saml"))
    assert refused.reason == "audience_mismatch"
    assert refused.details == {"audiences": ["https://other-app.example.com/saml"], "expected": SP_ENTITY_ID}
    assert refusal(idp, answer(idp, audience=OMIT)).reason == "audience_mismatch"


@pytest.mark.parametrize(
    "recipient",
    ["https://other-app.example.com/acs", f"https://evil.example/?{ACS_URL}", f"{ACS_URL}/more", OMIT],
    ids=["other", "containing ours", "extending ours", "missing"],
)
def test_an_assertion_for_another_acs_url_is_refused(idp: SamlIdp, recipient: object) -> None:
    refused = refusal(idp, answer(idp, recipient=recipient))
    assert refused.reason == "recipient_mismatch"
    assert refused.details["expected"] == ACS_URL


@pytest.mark.parametrize(
    "destination",
    ["https://other-app.example.com/acs", f"{ACS_URL}/more", ""],
    ids=["other", "extending ours", "empty"],
)
def test_a_response_sent_to_another_acs_url_is_refused(idp: SamlIdp, destination: str) -> None:
    refused = refusal(idp, answer(idp, destination=destination))
    assert refused.reason == "destination_mismatch"
    assert refused.details == {"destination": destination, "expected": ACS_URL}


def test_an_answer_from_another_issuer_is_refused(idp: SamlIdp) -> None:
    refused = refusal(idp, answer(idp, issuer="https://idp.other.example.com"))
    assert refused.reason == "issuer_mismatch"
    assert refused.details["expected"] == idp.entity_id


@pytest.mark.parametrize(
    ("not_before", "not_on_or_after"),
    [(-900, -400), (-900, -30), (400, 900)],
    ids=["expired", "subject confirmation expired", "not yet valid"],
)
def test_an_assertion_outside_its_window_is_refused_with_both_times(
    idp: SamlIdp, not_before: int, not_on_or_after: int
) -> None:
    sent_at = time.time()
    refused = refusal(idp, answer(idp, not_before=not_before, not_on_or_after=not_on_or_after))
    assert refused.reason == "clock_skew"
    window_start = dt.datetime.fromisoformat(str(refused.details["not_before"])).timestamp()
    window_end = dt.datetime.fromisoformat(str(refused.details["not_on_or_after"])).timestamp()
    our_time = dt.datetime.fromisoformat(str(refused.details["now"])).timestamp()
    assert abs(window_start - (sent_at + not_before)) <= 2
    assert abs(window_end - (sent_at + not_on_or_after)) <= 2
    assert abs(our_time - sent_at) <= 2
    assert not window_start <= our_time < window_end


# the request it answers


def test_an_answer_to_another_request_is_refused(idp: SamlIdp) -> None:
    refused = refusal(idp, answer(idp), request_id="_another")
    assert refused.reason == "in_response_to_mismatch"
    assert refused.details == {"in_response_to": REQUEST_ID, "expected": "_another"}


def test_an_answer_that_names_no_request_is_refused_when_we_sent_one(idp: SamlIdp) -> None:
    assert refusal(idp, answer(idp, in_response_to=None)).reason == "in_response_to_mismatch"


def test_an_unsolicited_answer_claiming_to_answer_a_request_is_refused(idp: SamlIdp) -> None:
    refused = refusal(idp, answer(idp), request_id=None)
    assert refused.reason == "in_response_to_mismatch"
    assert refused.details == {"in_response_to": REQUEST_ID}


# what the IdP said instead


def test_an_idp_error_is_refused_with_its_status_codes_and_message(idp: SamlIdp) -> None:
    saml_response = answer(
        idp, status=STATUS_RESPONDER, sub_status=STATUS_AUTHN_FAILED, status_message="User is locked"
    )
    refused = refusal(idp, saml_response)
    assert refused.reason == "idp_error"
    assert refused.details == {
        "status_codes": [STATUS_RESPONDER, STATUS_AUTHN_FAILED],
        "status_message": "User is locked",
    }
    assert "AuthnFailed" in refused.message and "User is locked" in refused.message
    bare = refusal(idp, answer(idp, status=STATUS_REQUESTER))
    assert bare.details == {"status_codes": [STATUS_REQUESTER], "status_message": None}
    untidy = refusal(
        idp, answer(idp, status=STATUS_RESPONDER, status_message="User is\n   locked\x7f" + "!" * 600)
    )
    assert untidy.details["status_message"] == ("User is locked" + "!" * 600)[:500]


# unreadable or dangerous


@pytest.mark.parametrize("use_entity", [True, False], ids=["entity used", "declared only"])
def test_a_dtd_is_refused_even_when_the_signature_holds(idp: SamlIdp, use_entity: bool) -> None:
    assert refusal(idp, with_doctype(signed_xml(idp), use_entity=use_entity)).reason == "dtd_forbidden"


def test_a_dtd_in_utf16_is_refused(idp: SamlIdp) -> None:
    document = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>'
    assert refusal(idp, encode(document.encode("utf-16"))).reason == "dtd_forbidden"


@pytest.mark.parametrize(
    "saml_response",
    [
        "",
        "not base64!",
        "é" * 10,
        base64.b64encode(b"\x89PNG\r\n\x1a\n").decode(),
        encode(b"<html><body>Sign in failed</body></html>"),
        encode(b'<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" Version="2.0" ID="_1">'),
        encode(
            b'<samlp:LogoutResponse xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" Version="2.0" ID="_1"/>'
        ),
        encode(
            b'<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" Version="2.0" ID="_1">'
            b"<samlp:Status><samlp:StatusCode/></samlp:Status></samlp:Response>"
        ),
        "A" * 1_000_004,
    ],
    ids=[
        "empty",
        "not base64",
        "not ascii",
        "not xml",
        "html",
        "truncated",
        "not a response",
        "no status",
        "huge",
    ],
)
def test_an_unreadable_answer_is_refused_as_malformed(idp: SamlIdp, saml_response: str) -> None:
    assert refusal(idp, saml_response).reason == "malformed"


def test_an_encrypted_assertion_is_refused_with_what_to_change(idp: SamlIdp) -> None:
    document = etree.fromstring(signed_xml(idp, sign_response=False, sign_assertion=True))
    assertion = document.find(f"{{{SAML}}}Assertion")
    assert assertion is not None
    encrypted = etree.Element(f"{{{SAML}}}EncryptedAssertion")
    etree.SubElement(encrypted, "{http://www.w3.org/2001/04/xmlenc#}EncryptedData")
    assertion.addprevious(encrypted)
    document.remove(assertion)
    refused = refusal(idp, encode(etree.tostring(document)))
    assert refused.reason == "malformed"
    assert "encryption" in refused.message


def test_a_successful_response_without_an_assertion_is_malformed(idp: SamlIdp) -> None:
    document = signed_xml(idp).replace(b"saml:Assertion", b"saml:Nothing")
    assert refusal(idp, encode(document)).reason == "malformed"


# the IdP's certificates


def test_when_every_idp_certificate_has_expired_nothing_else_is_looked_at(idp: SamlIdp) -> None:
    long_ago = dt.datetime.now(dt.UTC) - dt.timedelta(days=400)
    expired = IdpKey.generate(not_valid_before=long_ago, not_valid_after=long_ago + dt.timedelta(days=30))
    old_idp = SamlIdp(entity_id=idp.entity_id, key=expired)
    refused = refusal(old_idp, answer(old_idp))
    assert refused.reason == "certificate_expired"
    assert refused.details == {
        "expired_at": (long_ago + dt.timedelta(days=30)).replace(microsecond=0).isoformat()
    }
    assert refusal(old_idp, "garbage").reason == "certificate_expired"


def test_a_signature_by_an_expired_certificate_does_not_count_during_rollover(idp: SamlIdp) -> None:
    long_ago = dt.datetime.now(dt.UTC) - dt.timedelta(days=400)
    expired = IdpKey.generate(not_valid_before=long_ago, not_valid_after=long_ago + dt.timedelta(days=30))
    certificates = [expired.certificate_pem, idp.certificate_pem]
    assert refusal(idp, answer(idp, key=expired), certificates=certificates).reason == "signature_invalid"


# whatever arrives


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=3000))
def test_arbitrary_text_raises_nothing_but_federation_refused(text: str) -> None:
    idp = _shared_idp()
    with pytest.raises(FederationRefused):
        verify(idp, text)


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=3000))
def test_arbitrary_bytes_raise_nothing_but_federation_refused(data: bytes) -> None:
    idp = _shared_idp()
    with pytest.raises(FederationRefused):
        verify(idp, encode(data))


@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_a_damaged_answer_is_refused_or_still_says_what_was_signed(data: st.DataObject) -> None:
    idp = _shared_idp()
    original = bytearray(_shared_answer())
    for _ in range(data.draw(st.integers(1, 4))):
        position = data.draw(st.integers(0, len(original) - 1))
        original[position] = data.draw(st.integers(0, 255))
    try:
        assertion = verify(idp, encode(bytes(original)))
    except FederationRefused:
        return
    assert assertion.subject == "alice@example.com"
    assert assertion.attributes == ATTRIBUTES


_SHARED: dict[str, object] = {}


def _shared_idp() -> SamlIdp:
    """One IdP for the Hypothesis tests (function-scoped fixtures and @given do not mix)."""
    if "idp" not in _SHARED:
        _SHARED["idp"] = SamlIdp()
    idp = _SHARED["idp"]
    assert isinstance(idp, SamlIdp)
    return idp


def _shared_answer() -> bytes:
    if "answer" not in _SHARED:
        _SHARED["answer"] = signed_xml(_shared_idp(), attributes=ATTRIBUTES, sign_assertion=True)
    answer = _SHARED["answer"]
    assert isinstance(answer, bytes)
    return answer
