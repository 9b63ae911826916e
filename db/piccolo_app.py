"""Registers Tenantry's tables and migrations with Piccolo."""

from pathlib import Path

from piccolo.conf.apps import AppConfig

from db.environment import Application, EnvironmentSettings
from db.events import AuditEvent, Event, Job
from db.identity import Passkey, Session, SignInCode, WebAuthnChallenge
from db.oauth import AuthorizationCode, RefreshToken, RevokedAccessToken, SigningKey
from db.orgs import Invitation, Membership, Organization, Permission, Role, RolePermission, SessionPolicy
from db.users import User

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
    SessionPolicy,
    SignInCode,
    Session,
    Passkey,
    WebAuthnChallenge,
    AuthorizationCode,
    RefreshToken,
    SigningKey,
    RevokedAccessToken,
    Job,
    Event,
    AuditEvent,
]

APP_CONFIG = AppConfig(
    app_name="tenantry",
    migrations_folder_path=str(Path(__file__).parent / "migrations"),
    table_classes=TABLES,
)
