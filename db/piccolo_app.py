"""Registers Tenantry's tables and migrations with Piccolo."""

from pathlib import Path

from piccolo.conf.apps import AppConfig

from db.directories import (
    Directory,
    DirectoryGroup,
    DirectoryGroupMember,
    DirectoryUser,
    DirectoryUserEmail,
    ProvisioningEntry,
)
from db.domains import Domain
from db.environment import Application, EnvironmentSettings
from db.events import AuditEvent, Event, Job
from db.federation import SeenAssertion, SSOAttempt, SSOConnection, SSOIdentity
from db.identity import Passkey, Session, SignInCode, WebAuthnChallenge
from db.oauth import AuthorizationCode, RefreshToken, RevokedAccessToken, SessionClient, SigningKey
from db.orgs import (
    Invitation,
    Membership,
    MembershipRemoval,
    Organization,
    Permission,
    Role,
    RolePermission,
    SessionPolicy,
)
from db.users import User
from db.webhooks import WebhookAttempt, WebhookDelivery, WebhookEndpoint

TABLES = [
    EnvironmentSettings,
    Application,
    Organization,
    Permission,
    Role,
    RolePermission,
    User,
    Membership,
    Invitation,
    MembershipRemoval,
    SessionPolicy,
    SignInCode,
    Session,
    Passkey,
    WebAuthnChallenge,
    AuthorizationCode,
    RefreshToken,
    SigningKey,
    RevokedAccessToken,
    SessionClient,
    Domain,
    Job,
    Event,
    AuditEvent,
    WebhookEndpoint,
    WebhookDelivery,
    WebhookAttempt,
    SSOConnection,
    SSOAttempt,
    SSOIdentity,
    SeenAssertion,
    Directory,
    DirectoryUser,
    DirectoryUserEmail,
    DirectoryGroup,
    DirectoryGroupMember,
    ProvisioningEntry,
]

APP_CONFIG = AppConfig(
    app_name="tenantry",
    migrations_folder_path=str(Path(__file__).parent / "migrations"),
    table_classes=TABLES,
)
