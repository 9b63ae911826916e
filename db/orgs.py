"""Organizations, who belongs to them, and what their roles allow."""

from piccolo.columns import JSON, Boolean, ForeignKey, Integer, Text, Timestamptz, Varchar
from piccolo.table import Table

from db.users import User


class Organization(Table, tablename="organization"):
    """A customer of the app; `features` are its entitlements (sso, scim, ...)."""

    id = Varchar(length=40, primary_key=True)
    name = Varchar(length=120)
    features = JSON(default=[])
    allowed_email_domains = JSON(default=[])
    sso_required = Boolean(default=False)  # its verified domains sign in only through its IdP
    sso_break_glass = JSON(default=[])  # user ids of the admins who still may use codes and passkeys
    created_at = Timestamptz()
    updated_at = Timestamptz()


class Permission(Table, tablename="permission"):
    """A named capability: the twelve `sk_org_*` ones (system) or one an integrator defined."""

    id = Varchar(length=40, primary_key=True)
    key = Varchar(length=80, unique=True)
    description = Text(default="")
    is_system = Boolean(default=False)
    created_at = Timestamptz()


class Role(Table, tablename="role"):
    """An environment-wide role; `admin` and `member` always exist and can be re-mapped."""

    id = Varchar(length=40, primary_key=True)
    key = Varchar(length=80, unique=True)
    name = Varchar(length=120)
    description = Text(default="")
    is_default = Boolean(default=False)
    created_at = Timestamptz()


class RolePermission(Table, tablename="role_permission"):
    """Grants a permission to a role."""

    id = Varchar(length=40, primary_key=True)
    role = ForeignKey(references=Role, index=True)
    permission = ForeignKey(references=Permission)


class Membership(Table, tablename="membership"):
    """A user in an organization with one role; `source` says how it came (invite, jit, scim, ...)."""

    id = Varchar(length=40, primary_key=True)
    user = ForeignKey(references=User, index=True)
    organization = ForeignKey(references=Organization, index=True)
    role = ForeignKey(references=Role)
    status = Varchar(length=16, default="active")  # invited | active | suspended
    source = Varchar(length=16, default="integrator")
    # the directory whose group → role mapping gave the role; such a role is not changed by hand
    role_managed_by = Varchar(length=40, null=True, default=None)
    created_at = Timestamptz()
    updated_at = Timestamptz()


class Invitation(Table, tablename="invitation"):
    """An emailed offer to join an organization with a role; only the token's hash is kept."""

    id = Varchar(length=40, primary_key=True)
    organization = ForeignKey(references=Organization, index=True)
    email = Varchar(length=320, index=True)
    role = ForeignKey(references=Role)
    token_hash = Varchar(length=128, unique=True)
    inviter = ForeignKey(references=User, null=True, default=None)
    status = Varchar(length=16, default="pending")  # pending | accepted | declined | revoked
    expires_at = Timestamptz()
    created_at = Timestamptz()
    accepted_at = Timestamptz(null=True, default=None)


class MembershipRemoval(Table, tablename="membership_removal"):
    """An admin removed this person: joining by email domain stays closed until they are invited.

    The id is "<organization id>:<user id>", so one removal is kept per person and organization.
    """

    id = Varchar(length=100, primary_key=True)
    organization = ForeignKey(references=Organization, index=True)
    user = ForeignKey(references=User, index=True)
    removed_at = Timestamptz()


class SessionPolicy(Table, tablename="session_policy"):
    """An organization's own session timeouts; the stricter of these and the app's defaults applies."""

    id = Varchar(length=40, primary_key=True)
    organization = ForeignKey(references=Organization, unique=True)
    custom = Boolean(default=False)  # False: the application's defaults
    absolute_minutes = Integer(null=True, default=None)
    idle_minutes = Integer(null=True, default=None)
    updated_at = Timestamptz()
