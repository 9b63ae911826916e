"""Enterprise SSO: an organization's connections to its own identity provider (SAML or OIDC)."""

from piccolo.columns import JSON, ForeignKey, Integer, Text, Timestamptz, Varchar
from piccolo.table import Table

from db.orgs import Organization


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
    settings_version = Integer(default=1)  # moves on every change of what a test proves
    tested_version = Integer(null=True, default=None)  # the version the last successful test used
    last_test = JSON(null=True, default=None)
    sp_certificate = Text(null=True, default=None)  # PEM; the private key is stored encrypted
    sp_private_key_encrypted = Text(null=True, default=None)
    created_at = Timestamptz()
    updated_at = Timestamptz()
