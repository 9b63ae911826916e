"""SCIM provisioning: an organization's directories, the users and groups its IdP pushed, and the
log of what each request did.

Filterable SCIM attributes live in their own columns (`*_key` ones lower-cased in Python, for the
attributes SCIM compares without case), so a SCIM filter becomes SQL over indexed columns; the
whole resource as the IdP sent it is kept in `resource`.
"""

from piccolo.columns import JSON, Boolean, ForeignKey, Integer, Text, Timestamptz, Varchar
from piccolo.table import Table

from db.orgs import Organization
from db.users import User


class Directory(Table, tablename="directory"):
    """One SCIM client (an IdP) of an organization, with its bearer token kept only as a hash."""

    id = Varchar(length=40, primary_key=True)
    organization = ForeignKey(references=Organization, index=True)
    name = Varchar(length=120)
    provider = Varchar(length=32)  # okta | entra_id | onelogin | jumpcloud | google_workspace | generic
    token_hash = Varchar(length=64, null=True, default=None, index=True)  # SHA-256 of the token
    token_hint = Varchar(length=16, default="")  # its last characters, to tell tokens apart
    token_created_at = Timestamptz(null=True, default=None)
    # after a rotation the old token keeps working until previous_token_expires_at
    previous_token_hash = Varchar(length=64, null=True, default=None, index=True)
    previous_token_expires_at = Timestamptz(null=True, default=None)
    require_verified_domain = Boolean(default=True)
    deprovision_when_unmapped = Boolean(default=False)  # out of every mapped group: suspended
    default_role = Varchar(length=80, default="member")
    group_roles = JSON(default=[])  # [{"group_id": "dgr_…", "role": "admin"}]: the first match wins
    last_request_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz()
    updated_at = Timestamptz()


class DirectoryUser(Table, tablename="directory_user"):
    """A SCIM User of one directory, linked to the one Tenantry user with its email (none while
    the IdP sends no address: such a user is kept, and joins when an address arrives)."""

    id = Varchar(length=40, primary_key=True)  # the SCIM id
    directory = ForeignKey(references=Directory, index=True)
    user = ForeignKey(references=User, index=True, null=True, default=None)
    # "<organization id>:<user id>": one directory speaks for a person in an organization
    link_key = Varchar(length=100, unique=True, null=True, default=None)
    user_name = Varchar(length=320)
    user_name_key = Varchar(length=320, index=True)  # lower-cased: userName is compared without case
    # "<directory id>:<user_name_key>": a userName once per directory, even when two requests race
    unique_name = Varchar(length=400, unique=True)
    external_id = Varchar(length=320, null=True, default=None, index=True)
    display_name = Varchar(length=320, null=True, default=None)
    display_name_key = Varchar(length=320, null=True, default=None)
    given_name = Varchar(length=320, null=True, default=None)
    given_name_key = Varchar(length=320, null=True, default=None)
    family_name = Varchar(length=320, null=True, default=None)
    family_name_key = Varchar(length=320, null=True, default=None)
    email = Varchar(length=320, default="")  # the address the Tenantry user has (lower-cased)
    active = Boolean(default=True)
    resource = JSON(default={})  # the SCIM resource as stored, without id and meta
    version = Integer(default=1)
    created_at = Timestamptz()
    updated_at = Timestamptz()


class DirectoryUserEmail(Table, tablename="directory_user_email"):
    """One entry of a SCIM User's `emails`, so `emails co …` and `emails[type eq …]` are SQL."""

    id = Varchar(length=40, primary_key=True)
    directory_user = ForeignKey(references=DirectoryUser, index=True)
    value = Varchar(length=320, default="")
    value_key = Varchar(length=320, default="", index=True)  # lower-cased
    type = Varchar(length=64, null=True, default=None)
    primary = Boolean(default=False)


class DirectoryGroup(Table, tablename="directory_group"):
    """A SCIM Group of one directory; group → role mappings name it by id, so a rename keeps them."""

    id = Varchar(length=40, primary_key=True)
    directory = ForeignKey(references=Directory, index=True)
    display_name = Varchar(length=320)
    display_name_key = Varchar(length=320, index=True)  # lower-cased
    external_id = Varchar(length=320, null=True, default=None)
    version = Integer(default=1)
    created_at = Timestamptz()
    updated_at = Timestamptz()


class DirectoryGroupMember(Table, tablename="directory_group_member"):
    """A directory user in a directory group; the id is "<group id>:<user id>", so once each."""

    id = Varchar(length=100, primary_key=True)
    group = ForeignKey(references=DirectoryGroup, index=True)
    directory_user = ForeignKey(references=DirectoryUser, index=True)
    display = Varchar(length=320, null=True, default=None)  # as the IdP named the member, if it did


class ProvisioningEntry(Table, tablename="provisioning_entry"):
    """One SCIM request a directory made that changed something or failed: the provisioning log."""

    id = Varchar(length=40, primary_key=True)
    directory = ForeignKey(references=Directory, index=True)
    method = Varchar(length=8)
    operation = Varchar(length=16)  # create | replace | patch | delete | read | search | discovery
    resource_type = Varchar(length=16, default="")  # User | Group | ""
    resource_id = Varchar(length=40, default="")
    subject = Varchar(length=320, default="")  # the userName or displayName the request named
    status = Integer()
    scim_type = Varchar(length=32, default="")
    detail = Text(default="")
    created_at = Timestamptz(index=True)


__all__ = [
    "Directory",
    "DirectoryGroup",
    "DirectoryGroupMember",
    "DirectoryUser",
    "DirectoryUserEmail",
    "ProvisioningEntry",
]
