"""How people prove who they are: sign-in codes, passkeys, WebAuthn challenges and browser sessions."""

from piccolo.columns import JSON, BigInt, Boolean, ForeignKey, Integer, Text, Timestamptz, Varchar
from piccolo.columns.indexes import IndexMethod
from piccolo.table import Table

from db.orgs import Organization
from db.users import User


class SignInCode(Table, tablename="sign_in_code"):
    """A one-time code (and its magic-link twin) for one email-based sign-in attempt; hashes only."""

    id = Varchar(length=40, primary_key=True)
    email = Varchar(length=320, index=True)
    intent = Varchar(length=16)  # login | signup
    code_hash = Varchar(length=128)
    link_hash = Varchar(length=128, unique=True)
    attempts = Integer(default=0)
    expires_at = Timestamptz()
    consumed_at = Timestamptz(null=True, default=None)
    first_name = Varchar(length=100, default="")
    last_name = Varchar(length=100, default="")
    request = Text(default="")  # the signed authorization request it continues, if any
    return_to = Text(default="")
    ip = Varchar(length=64, default="")
    created_at = Timestamptz()
    # SHA-256 of the random value in the requesting browser's cookie: its magic link needs no
    # confirmation there, and its codes stand in for one another ("" for rows from before)
    browser_hash = Varchar(length=128, default="")


class Session(Table, tablename="user_session"):
    """A server-side browser session; the cookie carries a random token, the row its hash."""

    id = Varchar(length=40, primary_key=True)
    token_hash = Varchar(length=128, unique=True, index=True, index_method=IndexMethod.btree)
    user = ForeignKey(references=User, index=True)
    active_organization = ForeignKey(references=Organization, null=True, default=None)
    created_at = Timestamptz()
    auth_time = Timestamptz()
    last_active_at = Timestamptz()
    absolute_expires_at = Timestamptz()
    idle_expires_at = Timestamptz(null=True, default=None)
    amr = JSON(default=[])
    sso_connection_id = Varchar(length=40, null=True, default=None)  # amr "fed": the connection used
    ip = Varchar(length=64, default="")
    user_agent = Text(default="")
    revoked_at = Timestamptz(null=True, default=None)
    revoke_reason = Varchar(length=40, null=True, default=None)


class Passkey(Table, tablename="passkey"):
    """A WebAuthn credential (discoverable) a person registered; the public key only, never a secret."""

    id = Varchar(length=40, primary_key=True)
    user = ForeignKey(references=User, index=True)
    credential_id = Varchar(length=1400, unique=True, index=True)  # base64url, up to 1,023 bytes raw
    public_key = Text()  # base64url COSE key
    sign_count = BigInt(default=0)
    transports = JSON(default=[])
    aaguid = Varchar(length=36, default="")
    name = Varchar(length=100)
    backup_eligible = Boolean(default=False)
    backed_up = Boolean(default=False)  # synced to a cloud keychain
    created_at = Timestamptz()
    last_used_at = Timestamptz(null=True, default=None)


class WebAuthnChallenge(Table, tablename="webauthn_challenge"):
    """A challenge handed to a browser; single use, short-lived, and bound to who asked for it."""

    id = Varchar(length=40, primary_key=True)
    purpose = Varchar(length=16)  # register | authenticate
    challenge = Varchar(length=128)  # base64url
    user_id = Varchar(length=40, null=True, default=None)
    session_id = Varchar(length=40, null=True, default=None)
    created_at = Timestamptz()
    expires_at = Timestamptz()
    consumed_at = Timestamptz(null=True, default=None)
