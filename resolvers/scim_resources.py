"""SCIM resources and the rows that hold them: what columns a User or Group fills (the attributes
filters and sorting read), and the resource a row reads back as.

The resource is kept as the IdP sent it (`resource`, without id, meta, groups or a password), so
attributes we do not act on (the enterprise extension, phone numbers, addresses) round-trip.
"""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from unicodedata import normalize

from scim2_models import EnterpriseUser, Group, GroupMember, InvalidValueException, Meta, User
from scim2_models import GroupMembership as UserGroup

USER_MODEL: Any = User[EnterpriseUser]
GROUP_MODEL: Any = Group
NOT_STORED = ("id", "meta", "groups", "password", "members")
TEXT_MAX = 320  # what the columns filters read hold (db/directories.py); an email's type, 64
TYPE_MAX = 64


def version_tag(version: int) -> str:
    """A weak ETag: the row's version counts every change."""
    return f'W/"{version}"'


def comparison_key(value: str) -> str:
    """The form scim2-models compares a caseless string in (its default_comparison_key: NFC,
    lower-cased, NFC again), computed in Python: SQLite's lower() knows ASCII only."""
    return normalize("NFC", normalize("NFC", value).lower())


def folded(value: str | None) -> str | None:
    """How attributes SCIM compares without case are kept for filtering."""
    return comparison_key(value) if value is not None else None


@dataclass(frozen=True, slots=True)
class EmailEntry:
    value: str
    type: str | None
    primary: bool


@dataclass(frozen=True, slots=True)
class UserColumns:
    user_name: str
    external_id: str | None
    display_name: str | None
    given_name: str | None
    family_name: str | None
    active: bool
    emails: tuple[EmailEntry, ...]
    stored: dict[str, Any]

    @property
    def user_name_key(self) -> str:
        return comparison_key(self.user_name)

    @property
    def address(self) -> str | None:
        """The address the person signs in with: the primary email, else a work one, else the
        first, else the userName when it is an address."""
        ordered = sorted(self.emails, key=lambda entry: (not entry.primary, entry.type != "work"))
        for entry in ordered:
            if "@" in entry.value:
                return entry.value.strip().lower()
        return self.user_name.strip().lower() if "@" in self.user_name else None


def _stored(resource: Any) -> dict[str, Any]:
    dumped: dict[str, Any] = resource.model_dump(mode="json")
    return {key: value for key, value in dumped.items() if key not in NOT_STORED}


def _text(value: Any) -> str | None:
    return str(value) if value is not None else None


def _fits(attribute: str, value: str | None, limit: int = TEXT_MAX, *, keyed: bool = True) -> None:
    """A value longer than its column (or, for a caseless one, than its comparison key's) is
    refused, not cut: PostgreSQL would refuse the row with a 500, SQLite would keep what the other
    engine cannot."""
    if value is None:
        return
    if len(value) > limit or (keyed and len(comparison_key(value)) > limit):
        raise InvalidValueException(detail=f"{attribute} is longer than {limit} characters.")


def user_columns(resource: Any) -> UserColumns:
    """What a User fills: the columns filters read, and the resource to keep."""
    name = resource.name
    emails = tuple(
        EmailEntry(
            value=str(entry.value or ""),
            # the column only serves filters, and emails.type is compared without case
            type=folded(_text(entry.type.value if hasattr(entry.type, "value") else entry.type)),
            primary=bool(entry.primary),
        )
        for entry in resource.emails or []
    )
    for attribute, text in (
        ("userName", str(resource.user_name)),
        ("displayName", _text(resource.display_name)),
        ("name.givenName", _text(name.given_name) if name else None),
        ("name.familyName", _text(name.family_name) if name else None),
        *(("emails.value", entry.value) for entry in emails),
    ):
        _fits(attribute, text)
    _fits("externalId", _text(resource.external_id), keyed=False)
    for entry in emails:
        _fits("emails.type", entry.type, TYPE_MAX)
    return UserColumns(
        user_name=str(resource.user_name),
        external_id=_text(resource.external_id),
        display_name=_text(resource.display_name),
        given_name=_text(name.given_name) if name else None,
        family_name=_text(name.family_name) if name else None,
        active=resource.active is not False,
        emails=emails,
        stored=_stored(resource),
    )


def _meta(resource_type: str, row: dict[str, Any]) -> Meta:
    created: dt.datetime = row["created_at"]
    updated: dt.datetime = row["updated_at"]
    return Meta(
        resource_type=resource_type,
        created=created,
        last_modified=updated,
        version=version_tag(int(row["version"])),
    )


def user_resource(row: dict[str, Any], groups: list[tuple[str, str]]) -> Any:
    """A directory_user row (with its `resource`) and its groups (id, displayName) as a SCIM User."""
    body = dict(row["resource"] or {})
    body.pop("groups", None)
    resource = USER_MODEL.model_validate(body)
    resource.id = row["id"]
    resource.meta = _meta("User", row)
    resource.groups = [
        UserGroup.model_validate({"value": group_id, "display": display, "$ref": f"Groups/{group_id}"})
        for group_id, display in groups
    ] or None
    return resource


@dataclass(frozen=True, slots=True)
class GroupColumns:
    display_name: str
    external_id: str | None
    member_ids: tuple[str, ...]  # directory user ids, each once, in the order given
    displays: dict[str, str] = field(default_factory=dict)  # the member's display, where the IdP gave one

    @property
    def display_name_key(self) -> str:
        return comparison_key(self.display_name)


def group_columns(resource: Any) -> GroupColumns:
    seen: dict[str, str | None] = {}
    for member in resource.members or []:
        if member.value:  # a value given twice (a PATCH add of a member already in) keeps the last display
            display = _text(member.display)
            seen[str(member.value)] = display if display is not None else seen.get(str(member.value))
    _fits("displayName", _text(resource.display_name))
    _fits("externalId", _text(resource.external_id), keyed=False)
    return GroupColumns(
        display_name=str(resource.display_name or ""),
        external_id=_text(resource.external_id),
        member_ids=tuple(seen),
        displays={member: display for member, display in seen.items() if display is not None},
    )


def group_resource(row: dict[str, Any], members: list[tuple[str, str]]) -> Any:
    """A directory_group row and its members (directory user id, display) as a SCIM Group."""
    resource = GROUP_MODEL(display_name=row["display_name"], external_id=row["external_id"])
    resource.id = row["id"]
    resource.meta = _meta("Group", row)
    resource.members = [
        GroupMember.model_validate(
            {"value": user_id, "display": display, "$ref": f"Users/{user_id}", "type": "User"}
        )
        for user_id, display in members
    ] or None
    return resource
