"""Hypothesis strategies for what an IdP (or something posing as one) sends a SCIM endpoint:
filters over supported and unsupported attributes, broken filter syntax, and PATCH documents in
the standard's and the IdPs' dialects, with values of the right and the wrong types."""

from typing import Any

from hypothesis import strategies as st
from scim2_models import ScimFilter

ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
CORE_USER = "urn:ietf:params:scim:schemas:core:2.0:User"

# Strings whose comparison is easy to get wrong: case folding beyond ASCII, composed and decomposed
# forms, quotes and backslashes inside a filter's string, words of the filter grammar.
TRICKY_TEXTS = [
    "Ada Lovelace",
    "ada lovelace",
    "ÉCOLE Straße",
    "école strasse",
    "e\u0301cole",
    'O\'Brien "Quoted"',
    "back\\slash",
    "日本語 名前",
    "İstanbul",
    "ǅemal",
    "\u212a kelvin",
    "x) or (userName pr",
    "userName eq",
    "  spaced  ",
    "%",
    "_",
    "",
]

USER_ATTRIBUTES = [
    "userName",
    "USERNAME",
    f"{CORE_USER}:userName",
    "displayName",
    "name.givenName",
    "name.familyName",
    "externalId",
    "active",
    "id",
    "emails",
    "emails.value",
    "Emails.Value",
    "emails.type",
    "emails.primary",
    "groups",
    "groups.value",
    "groups.display",
    "meta.created",
    "meta.lastModified",
]
USER_UNSUPPORTED = [
    "title",
    "nickName",
    "name.formatted",
    "phoneNumbers.value",
    "addresses.locality",
    f"{ENTERPRISE}:employeeNumber",
    f"{ENTERPRISE}:manager.value",
    "meta.resourceType",
    "emails.display",
    "noSuchAttribute",
    "urn:example:bogus:attr",
]
GROUP_ATTRIBUTES = ["displayName", "externalId", "id", "members", "members.value", "meta.created"]
GROUP_UNSUPPORTED = ["members.display", "members.type", "noSuchAttribute", "meta.version"]
OPERATORS = ["eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le", "EQ", "Co"]


def literals(known: list[str]) -> st.SearchStrategy[str]:
    """A filter operand as written: quoted strings (known values, their case and substring variants,
    tricky and random text), booleans, null, numbers, datetimes."""
    texts = st.one_of(
        st.sampled_from(known or ["x"]),
        st.sampled_from(known or ["x"]).map(str.upper),
        st.sampled_from(known or ["x"]).flatmap(
            lambda value: st.integers(0, len(value)).map(lambda cut: value[cut : cut + 4])
        ),
        st.sampled_from(TRICKY_TEXTS),
        st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=8),
    )
    return st.one_of(
        texts.map(ScimFilter.quote),
        st.sampled_from(
            ["true", "false", "null", "42", "-1.5", '"2020-01-01T00:00:00Z"', '"2999-01-01T00:00:00+00:00"']
        ),
    )


def comparisons(attributes: list[str], known: list[str]) -> st.SearchStrategy[str]:
    compared = st.builds(
        lambda attr, op, value: f"{attr} {op} {value}",
        st.sampled_from(attributes),
        st.sampled_from(OPERATORS),
        literals(known),
    )
    present = st.sampled_from(attributes).map(lambda attr: f"{attr} pr")
    return st.one_of(compared, compared, present)


def email_selections(known: list[str]) -> st.SearchStrategy[str]:
    """`emails[…]`: a value selection over a user's addresses."""
    inner = comparisons(["type", "value", "primary"], known)
    return st.builds(lambda condition: f"emails[{condition}]", inner)


def filters(attributes: list[str], known: list[str], *, users: bool) -> st.SearchStrategy[str]:
    """Well-formed filters: comparisons joined by and/or, negated, grouped."""
    leaf = comparisons(attributes, known)
    if users:
        leaf = st.one_of(leaf, email_selections(known))
    return st.recursive(
        leaf,
        lambda inner: st.one_of(
            st.builds(lambda a, b: f"{a} and {b}", inner, inner),
            st.builds(lambda a, b: f"{a} OR {b}", inner, inner),
            inner.map(lambda a: f"not ({a})"),
            inner.map(lambda a: f"({a})"),
        ),
        max_leaves=4,
    )


def broken(filter_text: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """Filters a character away from well-formed, or text that never was one."""
    noise = st.sampled_from([*'()[]"\\ .:', "and", "or", "not", "pr", "eq"])

    def mutate(text: str, data: st.DataObject) -> str:
        position = data.draw(st.integers(0, len(text)))
        if data.draw(st.booleans()) and text:
            return text[:position] + text[position + 1 :]
        inserted: str = data.draw(noise)
        return text[:position] + inserted + text[position:]

    return st.one_of(
        st.builds(mutate, filter_text, st.data()),
        st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=20),
    )


def _labelled(
    supported: st.SearchStrategy[str], anything: st.SearchStrategy[str]
) -> st.SearchStrategy[tuple[str, bool]]:
    """(filter, whether it names only attributes the service filters on and is unbroken)."""
    return st.one_of(
        supported.map(lambda text: (text, True)),
        supported.map(lambda text: (text, True)),
        anything.map(lambda text: (text, False)),
        broken(supported).map(lambda text: (text, False)),
    )


def user_filters(known: list[str]) -> st.SearchStrategy[tuple[str, bool]]:
    return _labelled(
        filters(USER_ATTRIBUTES, known, users=True),
        filters(USER_ATTRIBUTES + USER_UNSUPPORTED, known, users=True),
    )


def group_filters(known: list[str]) -> st.SearchStrategy[tuple[str, bool]]:
    return _labelled(
        filters(GROUP_ATTRIBUTES, known, users=False),
        filters(GROUP_ATTRIBUTES + GROUP_UNSUPPORTED, known, users=False),
    )


# -- PATCH ----------------------------------------------------------------

OP_SPELLINGS = ["add", "replace", "remove", "Add", "Replace", "Remove", "REPLACE", "delete"]
USER_PATHS = [
    None,
    "displayName",
    "name.givenName",
    "name.familyName",
    "externalId",
    "active",
    "title",
    "nickName",
    "emails",
    'emails[type eq "work"].value',
    'emails[type eq "work"]',
    "emails[primary eq true].type",
    'emails[value co "@"].primary',
    'phoneNumbers[type eq "work"].value',
    f"{ENTERPRISE}:employeeNumber",
    f"{ENTERPRISE}:department",
    f"{ENTERPRISE}:manager",
    f"{ENTERPRISE}:manager.value",
    f"{CORE_USER}:displayName",
    f"{CORE_USER}:name.givenName",
    "id",
    "meta.created",
    "groups",
    "nope.nope",
    "emails[type eq",
    "",
]
GROUP_PATHS = [None, "members", "displayName", "externalId", "members.value", "id", "members[value eq"]


def scalar_values() -> st.SearchStrategy[Any]:
    return st.one_of(
        st.sampled_from(TRICKY_TEXTS),
        st.sampled_from(["True", "False", "true", "0", "not-a-date"]),
        st.booleans(),
        st.integers(-3, 3),
        st.none(),
        st.floats(allow_nan=False, allow_infinity=False, width=32),
        st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=10),
    )


def email_entries(domain: str) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {"value": st.sampled_from([f"new@{domain}", f"Other@{domain}", "not-an-address", ""])},
        optional={
            "type": st.sampled_from(["work", "home", "WORK", "other"]),
            "primary": st.one_of(st.booleans(), st.just("True")),
        },
    )


def user_values(domain: str) -> st.SearchStrategy[Any]:
    return st.one_of(
        scalar_values(),
        st.lists(email_entries(domain), max_size=2),
        st.builds(lambda v: {"value": v}, st.sampled_from(["dus_nobody", "mgr-1", ""])),
        st.fixed_dictionaries(
            {},
            optional={
                "displayName": st.sampled_from(TRICKY_TEXTS),
                "active": st.sampled_from([True, False, "False", "True", 1]),
                "name.givenName": st.sampled_from(TRICKY_TEXTS),
                "name": st.fixed_dictionaries({"familyName": st.sampled_from(TRICKY_TEXTS)}),
                f"{ENTERPRISE}:employeeNumber": st.sampled_from(["42", 42]),
                ENTERPRISE: st.fixed_dictionaries(
                    {"manager": st.sampled_from(["mgr-7", {"value": "mgr-8"}])}
                ),
                "externalId": st.sampled_from(["ext-1", None, 5]),
            },
        ),
    )


def patch_operations(
    paths: list[str | None], values: st.SearchStrategy[Any]
) -> st.SearchStrategy[list[dict[str, Any]]]:
    def operation(op: str, path: str | None, value: Any, with_value: bool) -> dict[str, Any]:
        document: dict[str, Any] = {"op": op}
        if path is not None:
            document["path"] = path
        if with_value:
            document["value"] = value
        return document

    one = st.builds(operation, st.sampled_from(OP_SPELLINGS), st.sampled_from(paths), values, st.booleans())
    return st.lists(one, min_size=1, max_size=3)
