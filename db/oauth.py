"""OAuth artefacts: authorization codes, refresh-token families, signing keys, revoked JWTs."""

from piccolo.columns import JSON, ForeignKey, Text, Timestamptz, Varchar
from piccolo.table import Table

from db.environment import Application
from db.identity import Session
from db.users import User


class AuthorizationCode(Table, tablename="authorization_code"):
    """A single-use code; `refresh_family` lets a replay revoke what the code produced."""

    id = Varchar(length=40, primary_key=True)
    code_hash = Varchar(length=128, unique=True)
    application = ForeignKey(references=Application)
    user = ForeignKey(references=User)
    session = ForeignKey(references=Session)
    organization_id = Varchar(length=40, null=True, default=None)
    redirect_uri = Text()
    scope = Text(default="openid")
    nonce = Text(null=True, default=None)
    code_challenge = Varchar(length=128, null=True, default=None)
    expires_at = Timestamptz()
    used_at = Timestamptz(null=True, default=None)
    refresh_family = Varchar(length=40, null=True, default=None)
    access_token_jti = Varchar(length=40, null=True, default=None)
    created_at = Timestamptz()


class RefreshToken(Table, tablename="refresh_token"):
    """One rotation of a refresh token; all rotations of one grant share `family`."""

    id = Varchar(length=40, primary_key=True)
    token_hash = Varchar(length=128, unique=True)
    family = Varchar(length=40, index=True)
    application = ForeignKey(references=Application)
    user = ForeignKey(references=User)
    session = ForeignKey(references=Session, null=True, default=None)
    organization_id = Varchar(length=40, null=True, default=None)
    scope = Text(default="openid")
    created_at = Timestamptz()
    expires_at = Timestamptz()
    rotated_at = Timestamptz(null=True, default=None)
    revoked_at = Timestamptz(null=True, default=None)


class SigningKey(Table, tablename="signing_key"):
    """A JOSE key pair; the private half encrypted with the deployment's secret key."""

    id = Varchar(length=40, primary_key=True)
    kid = Varchar(length=64, unique=True)
    algorithm = Varchar(length=8)  # RS256 | ES256
    private_key = Text()  # encrypted PEM
    public_jwk = JSON()
    status = Varchar(length=16, default="active")  # active | retiring | retired
    created_at = Timestamptz()
    retire_after = Timestamptz(null=True, default=None)


class RevokedAccessToken(Table, tablename="revoked_access_token"):
    """A JWT access token revoked before its expiry (RFC 7009); kept until it would expire."""

    jti = Varchar(length=40, primary_key=True)
    expires_at = Timestamptz()


class SessionClient(Table, tablename="session_client"):
    """An application that received tokens for a session: who to notify when it ends.

    The id is "<session id>:<application id>", so recording it twice is a no-op.
    """

    id = Varchar(length=100, primary_key=True)
    session = ForeignKey(references=Session, index=True)
    application = ForeignKey(references=Application)
    created_at = Timestamptz()
