"""SSO connections through GraphQL: drafts, what the IdP needs from us, the steps to ACTIVE, and who may."""

from pathlib import Path
from typing import Any

import pytest

from db.events import AuditEvent, Event
from db.federation import SSOConnection
from resolvers.sp_certificates import fingerprint
from resolvers.sso_connections import MAX_CONNECTIONS_PER_ORGANIZATION
from tests.conftest import Clock
from tests.support.factories import make_member, make_organization, make_role, run
from tests.support.graphql import error_codes
from tests.support.in_process import InProcessCaller, sign_in
from tests.support.oidc_idp import OidcIdp
from tests.support.people import unique_email

FIELDS = """id name protocol provider status defaultRole testedWithCurrentSettings
  attributeMapping { email firstName lastName groups }
  serviceProvider { entityId acsUrl nameIdFormat redirectUri }"""
PROBLEM = "... on Problem { code message } ... on InvalidInput { field }"
CREATE = f"""mutation($o: ID, $input: CreateConnectionInput!) {{ createConnection(organizationId: $o, input: $input) {{
  __typename ... on Connection {{ {FIELDS} }} {PROBLEM} }} }}"""
UPDATE = f"""mutation($id: ID!, $input: UpdateConnectionInput!) {{ updateConnection(connectionId: $id, input: $input) {{
  __typename ... on Connection {{ {FIELDS} }} {PROBLEM} }} }}"""
ENABLE = """mutation($id: ID!) { enableConnection(connectionId: $id) {
  __typename ... on Connection { status } ... on Problem { code message } } }"""
DISABLE = """mutation($id: ID!) { disableConnection(connectionId: $id) {
  __typename ... on Connection { status } } }"""
DELETE = """mutation($id: ID!) { deleteConnection(connectionId: $id) {
  __typename ... on ConnectionDeleted { connection { id status } } } }"""
LIST = """query($o: ID!) { organization(organizationId: $o) { connections { nodes { id name status } } } }"""
ONE = f"""query($id: ID!) {{ connection(connectionId: $id) {{ {FIELDS} }} }}"""


def admin_of(organization: str, role: str = "admin") -> InProcessCaller:
    email = unique_email(f"sso-{role}")
    make_member(email, organization, role)
    return sign_in(email).portal()


def create(caller: InProcessCaller, organization: str, **input: Any) -> dict[str, Any]:
    body = caller(CREATE, o=organization, input={"provider": "OKTA", **input})
    assert error_codes(body) == [], body
    result: dict[str, Any] = body["data"]["createConnection"]
    return result


def events_of(connection_id: str) -> list[str]:
    """The webhook events about one connection, oldest first."""
    rows = run(
        Event.select(Event.type, Event.data)
        .where(Event.type.like("connection.%"))
        .order_by(Event.id)
        .output(load_json=True)
        .run()
    )
    return [row["type"] for row in rows if (row["data"].get("connection") or {}).get("id") == connection_id]


def audit_actions(connection_id: str) -> list[str]:
    rows = run(
        AuditEvent.select(AuditEvent.action)
        .where(AuditEvent.target_id == connection_id)
        .order_by(AuditEvent.id)
        .run()
    )
    return [row["action"] for row in rows]


def mark_tested(connection_id: str) -> None:
    """What a successful test records (the test flow itself comes with the SAML and OIDC sign-in)."""

    async def tested() -> None:
        row = (
            await SSOConnection.select(SSOConnection.settings_version)
            .where(SSOConnection.id == connection_id)
            .first()
        )
        assert row is not None
        await SSOConnection.update(
            {SSOConnection.tested_version: row["settings_version"], SSOConnection.status: "tested"}
        ).where(SSOConnection.id == connection_id)

    run(tested())


def test_an_admin_creates_a_draft_and_sees_what_the_identity_provider_needs(
    deployment: Any,
) -> None:
    org = make_organization("Okta Co", ["sso"])
    admin = admin_of(org)
    made = create(admin, org)
    assert made["__typename"] == "Connection"
    assert (made["name"], made["protocol"], made["provider"], made["status"]) == (
        "Okta",
        "SAML",
        "OKTA",
        "DRAFT",
    )
    assert made["defaultRole"] == "member" and made["testedWithCurrentSettings"] is False
    assert made["attributeMapping"] == {
        "email": "email",
        "firstName": "firstName",
        "lastName": "lastName",
        "groups": "groups",
    }
    provider = made["serviceProvider"]
    assert provider["entityId"] == f"{deployment.issuer}/sso/saml/{made['id']}"
    assert provider["acsUrl"] == f"{deployment.issuer}/sso/callback/saml/{made['id']}"
    assert provider["redirectUri"] == f"{deployment.issuer}/sso/callback/oidc/{made['id']}"
    assert provider["nameIdFormat"].endswith(":emailAddress")
    listed = admin(LIST, o=org)["data"]["organization"]["connections"]["nodes"]
    assert [row["id"] for row in listed] == [made["id"]]
    assert admin(ONE, id=made["id"])["data"]["connection"]["serviceProvider"] == provider
    assert events_of(made["id"]) == ["connection.created"]
    assert audit_actions(made["id"]) == ["connection.created"]


def test_the_protocol_follows_the_provider_and_a_mismatch_is_refused() -> None:
    org = make_organization("Protocols Co", ["sso"])
    admin = admin_of(org)
    assert create(admin, org, provider="GENERIC_OIDC")["protocol"] == "OIDC"
    assert create(admin, org, provider="ENTRA_ID", protocol="OIDC")["protocol"] == "OIDC"
    refused = create(admin, org, provider="GENERIC_SAML", protocol="OIDC")
    assert (refused["__typename"], refused["field"]) == ("InvalidInput", "protocol")
    assert "SAML" in refused["message"]


def test_names_roles_and_the_cap_are_checked_and_a_refusal_writes_nothing() -> None:
    org = make_organization("Checks Co", ["sso"])
    admin = admin_of(org)
    two_lines = create(admin, org, name="Okta\nBcc: everyone")
    assert (two_lines["__typename"], two_lines["field"]) == ("InvalidInput", "name")
    no_role = create(admin, org, defaultRole="nobody")
    assert (no_role["__typename"], no_role["field"]) == ("InvalidInput", "defaultRole")
    for _ in range(MAX_CONNECTIONS_PER_ORGANIZATION):
        assert create(admin, org)["__typename"] == "Connection"
    over = create(admin, org)
    assert over["__typename"] == "InvalidInput" and "up to" in over["message"]
    listed = admin(LIST, o=org)["data"]["organization"]["connections"]["nodes"]
    assert len(listed) == MAX_CONNECTIONS_PER_ORGANIZATION


def test_nobody_gives_people_signing_in_a_role_above_their_own() -> None:
    org = make_organization("Authority Co", ["sso"])
    make_role("sso_only", ["sk_org_sso_manage"])
    manager = admin_of(org, "sso_only")
    refused = create(manager, org, defaultRole="admin")
    assert refused["__typename"] == "RoleNotGrantable"
    assert "sk_org_users_delete" in refused["message"] or refused["code"] == "ROLE_NOT_GRANTABLE"


def test_a_stale_sign_in_must_be_confirmed_before_changing_sso(clock: Clock) -> None:
    org = make_organization("Stale Co", ["sso"])
    admin = admin_of(org)
    made = create(admin, org)
    clock.advance(6 * 60)
    for answer in (
        admin(CREATE, o=org, input={"provider": "OKTA"})["data"]["createConnection"],
        admin(UPDATE, id=made["id"], input={"name": "Renamed"})["data"]["updateConnection"],
        admin(DISABLE, id=made["id"])["data"]["disableConnection"],
        admin(DELETE, id=made["id"])["data"]["deleteConnection"],
    ):
        assert answer["__typename"] == "ReauthenticationRequired", answer
    assert admin(ONE, id=made["id"])["data"]["connection"]["name"] == "Okta"


def test_a_draft_cannot_be_enabled_and_a_tested_one_can() -> None:
    org = make_organization("Enable Co", ["sso"])
    admin = admin_of(org)
    made = create(admin, org)
    refused = admin(ENABLE, id=made["id"])["data"]["enableConnection"]
    assert (refused["__typename"], refused["code"]) == ("NotTested", "NOT_TESTED")
    mark_tested(made["id"])
    assert admin(ENABLE, id=made["id"])["data"]["enableConnection"]["status"] == "ACTIVE"
    assert admin(DISABLE, id=made["id"])["data"]["disableConnection"]["status"] == "DISABLED"
    assert admin(ENABLE, id=made["id"])["data"]["enableConnection"]["status"] == "ACTIVE"
    assert events_of(made["id"]) == [
        "connection.created",
        "connection.enabled",
        "connection.disabled",
        "connection.enabled",
    ]


def test_remapping_attributes_needs_a_new_test_but_a_rename_does_not() -> None:
    org = make_organization("Remap Co", ["sso"])
    admin = admin_of(org)
    made = create(admin, org)
    mark_tested(made["id"])
    renamed = admin(UPDATE, id=made["id"], input={"name": "Okta (staff)"})["data"]["updateConnection"]
    assert (renamed["name"], renamed["status"], renamed["testedWithCurrentSettings"]) == (
        "Okta (staff)",
        "TESTED",
        True,
    )
    remapped = admin(UPDATE, id=made["id"], input={"attributeMapping": {"email": "mail"}})
    answer = remapped["data"]["updateConnection"]
    assert answer["attributeMapping"]["email"] == "mail"
    assert (answer["status"], answer["testedWithCurrentSettings"]) == ("DRAFT", False)
    refused = admin(ENABLE, id=made["id"])["data"]["enableConnection"]
    assert refused["__typename"] == "NotTested"
    assert events_of(made["id"]) == ["connection.created", "connection.updated", "connection.updated"]


def test_changing_an_active_connection_keeps_it_active_and_says_it_is_untested() -> None:
    org = make_organization("Live Co", ["sso"])
    admin = admin_of(org)
    made = create(admin, org)
    mark_tested(made["id"])
    admin(ENABLE, id=made["id"])
    admin(UPDATE, id=made["id"], input={"attributeMapping": {"email": "mail"}})
    answer = admin(UPDATE, id=made["id"], input={"attributeMapping": {"groups": "memberOf"}})
    changed = answer["data"]["updateConnection"]
    assert (changed["status"], changed["testedWithCurrentSettings"]) == ("ACTIVE", False)
    assert (changed["attributeMapping"]["email"], changed["attributeMapping"]["groups"]) == (
        "mail",
        "memberOf",
    )


def test_deleting_a_connection_removes_it_and_says_so() -> None:
    org = make_organization("Delete Co", ["sso"])
    admin = admin_of(org)
    made = create(admin, org)
    deleted = admin(DELETE, id=made["id"])["data"]["deleteConnection"]
    assert deleted["connection"]["id"] == made["id"]
    assert error_codes(admin(ONE, id=made["id"])) == ["NOT_FOUND"]
    assert events_of(made["id"])[-1] == "connection.deleted"


def test_another_organizations_admin_cannot_see_or_touch_a_connection() -> None:
    org = make_organization("Mine Co", ["sso"])
    other = make_organization("Theirs Co", ["sso"])
    made = create(admin_of(org), org)
    outsider = admin_of(other)
    assert error_codes(outsider(ONE, id=made["id"])) == ["NOT_FOUND"]
    for document in (UPDATE, ENABLE, DISABLE, DELETE):
        variables: dict[str, Any] = {"id": made["id"]}
        if document is UPDATE:
            variables["input"] = {"name": "Hijacked"}
        assert error_codes(outsider(document, **variables)) == ["NOT_FOUND"], document
    assert error_codes(outsider(LIST, o=org)) != []
    assert admin_of(org)(ONE, id=made["id"])["data"]["connection"]["name"] == "Okta"


def test_without_the_sso_feature_nothing_is_shown_or_made() -> None:
    org = make_organization("No SSO Co", [])
    admin = admin_of(org)
    assert error_codes(admin(LIST, o=org)) == ["FEATURE_NOT_ENABLED"]
    assert error_codes(admin(CREATE, o=org, input={"provider": "OKTA"})) == ["FEATURE_NOT_ENABLED"]


def test_a_member_may_not_read_or_manage_connections() -> None:
    org = make_organization("Member Co", ["sso"])
    made = create(admin_of(org), org)
    member = admin_of(org, "member")
    assert error_codes(member(ONE, id=made["id"])) == ["FORBIDDEN"]
    assert error_codes(member(CREATE, o=org, input={"provider": "OKTA"})) == ["FORBIDDEN"]


def test_an_integrator_manages_any_organizations_connections_without_a_sign_in(
    integrator: InProcessCaller,
) -> None:
    org = make_organization("Integrated Co", ["sso"])
    made = create(integrator, org, provider="GOOGLE_WORKSPACE", name="Google")
    assert (made["name"], made["provider"]) == ("Google", "GOOGLE_WORKSPACE")
    assert integrator(DISABLE, id=made["id"])["data"]["disableConnection"]["status"] == "DISABLED"
    assert audit_actions(made["id"]) == ["connection.created", "connection.disabled"]


def test_an_app_holding_the_admins_token_cannot_change_sso() -> None:
    org = make_organization("App Co", ["sso"])
    email = unique_email("sso-app")
    make_member(email, org, "admin")
    app = sign_in(email).app()
    assert error_codes(app(CREATE, o=org, input={"provider": "OKTA"})) == ["FORBIDDEN"]
    assert error_codes(app(LIST, o=org)) == []


SETTINGS = f"""mutation($id: ID!, $input: UpdateConnectionInput!) {{ updateConnection(connectionId: $id, input: $input) {{
  __typename {PROBLEM} ... on Connection {{ status testedWithCurrentSettings
    saml {{ entityId ssoUrl certificates {{ fingerprintSha256 notValidAfter }} }}
    oidc {{ issuer clientId hasClientSecret }} }} }} }}"""
SP = """query($id: ID!) { connection(connectionId: $id) {
  serviceProvider { entityId acsUrl metadataUrl certificate certificateExpiresAt metadataXml } } }"""
ROTATE = """mutation($id: ID!) { rotateConnectionCertificate(connectionId: $id) {
  __typename ... on Connection { testedWithCurrentSettings serviceProvider { certificate } } ... on Problem { code } } }"""
OKTA_METADATA = (Path(__file__).resolve().parents[1] / "fixtures" / "saml" / "okta.xml").read_text()


def idp_certificate() -> str:
    from resolvers.sp_certificates import new_sp_certificate

    return new_sp_certificate("Test IdP").certificate_pem


def okta_metadata(certificate_pem: str) -> str:
    from resolvers.sp_certificates import certificate_body

    return OKTA_METADATA.replace("{{CERT_1}}", certificate_body(certificate_pem))


def test_pasting_the_okta_metadata_stores_its_entity_id_url_and_certificate() -> None:
    org = make_organization("Metadata Co", ["sso"])
    admin = admin_of(org)
    made = create(admin, org)
    mark_tested(made["id"])
    certificate = idp_certificate()
    answer = admin(SETTINGS, id=made["id"], input={"saml": {"metadataXml": okta_metadata(certificate)}})
    configured = answer["data"]["updateConnection"]
    assert configured["saml"]["entityId"] == "http://www.okta.com/exk1fcia6d6EMsf331d8"
    assert configured["saml"]["ssoUrl"].startswith("https://example.okta.com/app/")
    [stored] = configured["saml"]["certificates"]
    assert stored["fingerprintSha256"] == fingerprint(certificate)
    assert (configured["status"], configured["testedWithCurrentSettings"]) == ("DRAFT", False)
    assert configured["oidc"] is None


def test_the_three_fields_work_without_a_metadata_file() -> None:
    org = make_organization("Fields Co", ["sso"])
    admin = admin_of(org)
    made = create(admin, org, provider="GENERIC_SAML")
    fields = {"entityId": "https://idp.example.com", "ssoUrl": "https://idp.example.com/sso"}
    answer = admin(SETTINGS, id=made["id"], input={"saml": {**fields, "certificate": idp_certificate()}})
    assert answer["data"]["updateConnection"]["saml"]["ssoUrl"] == "https://idp.example.com/sso"
    half = admin(SETTINGS, id=made["id"], input={"saml": fields})["data"]["updateConnection"]
    assert (half["__typename"], half["field"]) == ("InvalidInput", "saml")


@pytest.mark.parametrize(
    ("metadata", "words"),
    [
        ("not xml at all", "XML"),
        ('<!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>', "DOCTYPE"),
        (
            '<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="x"/>',
            "IDPSSODescriptor",
        ),
    ],
)
def test_unusable_metadata_is_refused_with_the_reason_and_nothing_changes(metadata: str, words: str) -> None:
    org = make_organization("Bad Metadata Co", ["sso"])
    admin = admin_of(org)
    made = create(admin, org)
    refused = admin(SETTINGS, id=made["id"], input={"saml": {"metadataXml": metadata}})["data"][
        "updateConnection"
    ]
    assert (refused["__typename"], refused["code"]) == ("MetadataInvalid", "METADATA_INVALID")
    assert words in refused["message"], refused
    assert admin(ONE, id=made["id"])["data"]["connection"]["status"] == "DRAFT"
    assert events_of(made["id"]) == ["connection.created"]


def test_an_oidc_connection_takes_an_issuer_and_a_client_and_never_shows_the_secret() -> None:
    org = make_organization("OIDC Co", ["sso"])
    admin = admin_of(org)
    made = create(admin, org, provider="GENERIC_OIDC")
    with OidcIdp() as idp:  # the issuer's discovery document is fetched to check it
        oidc = {"issuer": f"{idp.issuer}/", "clientId": "tenantry", "clientSecret": "s3cret-value"}
        configured = admin(SETTINGS, id=made["id"], input={"oidc": oidc})["data"]["updateConnection"]
    assert configured["oidc"] == {
        "issuer": idp.issuer,
        "clientId": "tenantry",
        "hasClientSecret": True,
    }
    assert configured["saml"] is None
    stored = run(SSOConnection.select(SSOConnection.client_secret_encrypted).first().where(
        SSOConnection.id == made["id"]).run())  # fmt: skip
    assert stored is not None and "s3cret-value" not in str(stored)
    for issuer in (
        "http://idp.example.com",
        "https://[::1",
        "idp.example.com",
        "https://u:p@idp.example.com",
    ):
        refused = admin(SETTINGS, id=made["id"], input={"oidc": {"issuer": issuer}})
        assert refused["data"]["updateConnection"]["field"] == "issuer", issuer
    wrong_kind = admin(SETTINGS, id=made["id"], input={"saml": {"metadataXml": "<x/>"}})
    assert wrong_kind["data"]["updateConnection"]["field"] == "saml"


def test_a_saml_connection_has_our_certificate_and_metadata_and_rotating_it_needs_a_new_test(
    deployment: Any,
) -> None:
    from onelogin.saml2.idp_metadata_parser import OneLogin_Saml2_IdPMetadataParser

    org = make_organization("SP Co", ["sso"])
    admin = admin_of(org)
    made = create(admin, org)
    provider = admin(SP, id=made["id"])["data"]["connection"]["serviceProvider"]
    assert provider["certificate"].startswith("-----BEGIN CERTIFICATE-----")
    assert provider["certificateExpiresAt"] is not None
    assert provider["entityId"] in provider["metadataXml"] and provider["acsUrl"] in provider["metadataXml"]
    assert provider["metadataUrl"] == provider["entityId"] == f"{deployment.issuer}/sso/saml/{made['id']}"
    parsed = OneLogin_Saml2_IdPMetadataParser.parse(provider["metadataXml"].encode())
    assert parsed == {} or isinstance(parsed, dict)  # an SP document: python3-saml reads it without error
    mark_tested(made["id"])
    rotated = admin(ROTATE, id=made["id"])["data"]["rotateConnectionCertificate"]
    assert rotated["serviceProvider"]["certificate"] != provider["certificate"]
    assert rotated["testedWithCurrentSettings"] is False
    oidc = create(admin, org, provider="GENERIC_OIDC")
    oidc_provider = admin(SP, id=oidc["id"])["data"]["connection"]["serviceProvider"]
    assert oidc_provider["metadataXml"] is None and oidc_provider["metadataUrl"] is None
    assert admin(ROTATE, id=oidc["id"])["data"]["rotateConnectionCertificate"]["code"] == "INVALID_INPUT"


GROUP_ROLES = """mutation($id: ID!, $pairs: [GroupRoleInput!]) {
  updateConnection(connectionId: $id, input: {groupRoles: $pairs}) {
    __typename ... on Connection { groupRoles { group role } testedWithCurrentSettings }
    ... on Problem { code message } ... on InvalidInput { field } } }"""


def test_roles_by_idp_group_are_checked_like_the_default_role() -> None:
    org = make_organization("Groups Co", ["sso"])
    admin = admin_of(org)
    made = create(admin, org)
    pairs = [{"group": "eng", "role": "admin"}, {"group": "sales", "role": "member"}]
    body = admin(GROUP_ROLES, id=made["id"], pairs=pairs)["data"]["updateConnection"]
    assert body["groupRoles"] == pairs
    for bad in (
        [{"group": "eng", "role": "nobody"}],
        [{"group": "eng", "role": "member"}, {"group": "eng", "role": "admin"}],
        [{"group": "a\nb", "role": "member"}],
        [{"group": f"g{i}", "role": "member"} for i in range(21)],
    ):
        refused = admin(GROUP_ROLES, id=made["id"], pairs=bad)["data"]["updateConnection"]
        assert (refused["__typename"], refused["field"]) == ("InvalidInput", "groupRoles"), bad
    kept = admin(ONE, id=made["id"])["data"]["connection"]
    assert kept["status"] == "DRAFT"
    assert admin(GROUP_ROLES, id=made["id"], pairs=[])["data"]["updateConnection"]["groupRoles"] == []


SAML_METADATA = """mutation($id: ID!, $xml: String!) {
  updateConnection(connectionId: $id, input: {saml: {metadataXml: $xml}}) {
    __typename ... on Problem { code message } } }"""
ENABLE_CODE = (
    """mutation($id: ID!) { enableConnection(connectionId: $id) { __typename ... on Problem { code } } }"""
)


def test_an_idp_whose_certificates_all_expired_is_refused_when_saved_and_when_enabled() -> None:
    import datetime as dt

    from resolvers.clock import now
    from tests.support.saml_idp import IdpKey, SamlIdp
    from tests.support.sso import make_connection

    org = make_organization("Expired Co", ["sso"])
    admin = admin_of(org)
    made = create(admin, org)
    past = now() - dt.timedelta(days=400)
    expired = SamlIdp(
        key=IdpKey.generate(not_valid_before=past, not_valid_after=past + dt.timedelta(days=30))
    )
    refused = admin(SAML_METADATA, id=made["id"], xml=expired.metadata_xml())["data"]["updateConnection"]
    assert (refused["__typename"], refused["code"]) == ("CertificateExpired", "CERTIFICATE_EXPIRED")
    assert "expired on" in refused["message"]
    assert (
        admin(SAML_METADATA, id=made["id"], xml=SamlIdp().metadata_xml())["data"]["updateConnection"][
            "__typename"
        ]
        == "Connection"
    )
    lapsed = make_connection(
        org,
        status="tested",
        tested_version=1,
        idp_settings={
            "entity_id": "https://idp.example.com",
            "certificates": [{"pem": "x", "not_valid_after": (now() - dt.timedelta(days=1)).isoformat()}],
        },
    )
    assert admin(ENABLE_CODE, id=lapsed.id)["data"]["enableConnection"]["code"] == "CERTIFICATE_EXPIRED"
