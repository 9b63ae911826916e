"""Enterprise SSO: an organization's connections to its own identity provider (SAML or OIDC)."""

from piccolo.columns import JSON, ForeignKey, Integer, Text, Timestamptz, Varchar
from piccolo.table import Table

from db.orgs import Organization
from db.users import User


class SSOConnection(Table, tablename="sso_connection"):
    """One identity provider of an organization: DRAFT until a test succeeds with its current
    settings (TESTED), then ACTIVE once enabled; DISABLED stops sign-ins through it."""

    id = Varchar(length=40, primary_key=True)
    organization = ForeignKey(references=Organization, index=True)
    name = Varchar(length=120)
    protocol = Varchar(length=8)  # saml | oidc
    provider = Varchar(length=32)  # okta | entra_id | google_workspace | … | generic_saml | generic_oidc
    status = Varchar(length=16, default="draft")  # draft | tested | active | disabled
    idp_settings = JSON(default={})  # SAML: entity_id, sso_url, certificates; OIDC: issuer, client_id
    client_secret_encrypted = Text(null=True, default=None)  # OIDC client secret, AES-GCM
    attribute_mapping = JSON(default={})
    default_role = Varchar(length=64, default="member")
    # IdP-initiated SAML answers are refused unless this names the application they sign in to
    idp_initiated_client_id = Varchar(length=64, null=True, default=None)
    group_roles = JSON(default=[])  # [{"group": "eng-admins", "role": "admin"}]: the first match wins
    settings_version = Integer(default=1)  # moves on every change of what a test proves
    tested_version = Integer(null=True, default=None)  # the version the last successful test used
    last_test = JSON(null=True, default=None)
    sp_certificate = Text(null=True, default=None)  # PEM; the private key is stored encrypted
    sp_private_key_encrypted = Text(null=True, default=None)
    expiry_notices = JSON(default={})  # "30:<expiry>" → when admins were told the IdP cert expires
    created_at = Timestamptz()
    updated_at = Timestamptz()


class SSOAttempt(Table, tablename="sso_attempt"):
    """One trip to an IdP and back, started by us: single use, short-lived, bound to the browser
    that started it (a cookie whose hash is kept here), so an answer cannot be replayed or
    planted in someone else's browser (login CSRF)."""

    id = Varchar(length=40, primary_key=True)  # SAML RelayState, OIDC state
    connection = ForeignKey(references=SSOConnection, index=True)
    purpose = Varchar(length=8)  # sign_in | test
    browser_hash = Varchar(length=64)
    request_id = Varchar(length=80, null=True, default=None)  # SAML: what InResponseTo must say
    nonce = Varchar(length=64, null=True, default=None)  # OIDC
    code_verifier = Varchar(length=128, null=True, default=None)  # OIDC PKCE
    authorization_request = Text(null=True, default=None)  # the app's signed /oauth/authorize handle
    return_to = Varchar(length=2048, default="")
    started_by = Varchar(length=40, null=True, default=None)  # the admin who runs a test
    settings_version = Integer(default=1)  # a test proves the settings it started with
    created_at = Timestamptz()
    expires_at = Timestamptz(index=True)
    used_at = Timestamptz(null=True, default=None)


class SSOIdentity(Table, tablename="sso_identity"):
    """Who a connection's subject is here: the IdP's NameID/sub, linked to one user for good, so a
    changed email at the IdP updates the same person."""

    id = Varchar(length=64, primary_key=True)  # SHA-256 of connection id and subject: one row each
    connection = ForeignKey(references=SSOConnection, index=True)
    subject = Text()
    user = ForeignKey(references=User, index=True)
    created_at = Timestamptz()


class SeenAssertion(Table, tablename="sso_seen_assertion"):
    """SAML assertion IDs already used, until they expire: a replayed assertion finds its row."""

    id = Varchar(length=64, primary_key=True)  # SHA-256 of connection id and assertion ID
    expires_at = Timestamptz(index=True)
