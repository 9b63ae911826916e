"""Where each SCIM attribute a filter or sortBy may name is kept in the directory tables.

Single-valued attributes are columns of the resource's row; a multi-valued one (emails, groups,
members) is rows of another table, one per entry, reached by a correlated subquery. Caseless
strings are read from their `*_key` columns, which hold scim_resources.comparison_key(value).
"""

from dataclasses import dataclass, field
from typing import Any, Literal

from resolvers.scim_resources import GROUP_MODEL, USER_MODEL

Kind = Literal["text", "boolean", "datetime"]


@dataclass(frozen=True, slots=True)
class Stored:
    """The column one SCIM attribute is kept in, and how to compare it."""

    column: str
    kind: Kind = "text"
    keyed: bool = False  # holds scim_resources.comparison_key(value): the attribute is caseless
    nullable: bool = True


@dataclass(frozen=True, slots=True)
class Entries:
    """A multi-valued attribute: rows of another table, one per entry, tied to the resource."""

    rows: str  # "FROM … WHERE …" selecting the entries of the resource row
    attributes: dict[str, Stored]  # sub-attribute, lower-cased


@dataclass(frozen=True, slots=True)
class ResourceTable:
    """A resource type's table and where each filterable attribute lives."""

    model: Any
    table: str
    schema: str
    attributes: dict[str, Stored]  # path below the schema, lower-cased: "name.givenname"
    entries: dict[str, Entries]
    # attribute → unique column holding "<directory id>:<its key>": `eq` on it is one index probe
    # (SQLite, without statistics, would rather walk the directory index)
    unique_in_directory: dict[str, str] = field(default_factory=dict)


def _user(column: str) -> str:
    return f'"directory_user"."{column}"'


def _group(column: str) -> str:
    return f'"directory_group"."{column}"'


USERS = ResourceTable(
    model=USER_MODEL,
    table="directory_user",
    schema="urn:ietf:params:scim:schemas:core:2.0:User",
    attributes={
        "id": Stored(_user("id"), nullable=False),
        "externalid": Stored(_user("external_id")),
        "username": Stored(_user("user_name_key"), keyed=True, nullable=False),
        "displayname": Stored(_user("display_name_key"), keyed=True),
        "name.givenname": Stored(_user("given_name_key"), keyed=True),
        "name.familyname": Stored(_user("family_name_key"), keyed=True),
        "active": Stored(_user("active"), kind="boolean", nullable=False),
        "meta.created": Stored(_user("created_at"), kind="datetime", nullable=False),
        "meta.lastmodified": Stored(_user("updated_at"), kind="datetime", nullable=False),
    },
    entries={
        "emails": Entries(
            'FROM "directory_user_email" AS "entry" WHERE "entry"."directory_user" = "directory_user"."id"',
            {
                "value": Stored('"entry"."value_key"', keyed=True, nullable=False),
                "type": Stored('"entry"."type"', keyed=True),
                "primary": Stored('"entry"."primary"', kind="boolean", nullable=False),
            },
        ),
        "groups": Entries(
            'FROM "directory_group_member" AS "entry" '
            'JOIN "directory_group" AS "entry_group" ON "entry_group"."id" = "entry"."group" '
            'WHERE "entry"."directory_user" = "directory_user"."id"',
            {
                "value": Stored('"entry"."group"', nullable=False),
                "display": Stored('"entry_group"."display_name_key"', keyed=True, nullable=False),
            },
        ),
    },
    unique_in_directory={"username": _user("unique_name")},
)

GROUPS = ResourceTable(
    model=GROUP_MODEL,
    table="directory_group",
    schema="urn:ietf:params:scim:schemas:core:2.0:Group",
    attributes={
        "id": Stored(_group("id"), nullable=False),
        "externalid": Stored(_group("external_id")),
        "displayname": Stored(_group("display_name_key"), keyed=True, nullable=False),
        "meta.created": Stored(_group("created_at"), kind="datetime", nullable=False),
        "meta.lastmodified": Stored(_group("updated_at"), kind="datetime", nullable=False),
    },
    entries={
        "members": Entries(
            'FROM "directory_group_member" AS "entry" WHERE "entry"."group" = "directory_group"."id"',
            {"value": Stored('"entry"."directory_user"', nullable=False)},
        ),
    },
)
