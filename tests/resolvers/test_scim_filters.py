"""SCIM filters and sortBy run as SQL find exactly what scim2-models' own evaluator finds in the
same resources, as the service returns them, on both engines, and never a row of another directory.

Where the stored form cannot tell values apart that the evaluator does, the generated resources
stay on the stored side of the line, each with its reason:
- `active` and `emails[].primary` are always sent: a user without `active` is stored active and an
  email without `primary` as not primary (resolvers/scim_resources.py), so `active eq true`
  finds a user the evaluator would not (its resource has no `active`);
- case-exact strings (externalId, ids) are sent in NFC: they are kept as sent, while the
  evaluator compares their NFC forms;
- every email has a value: a missing one is stored as "".
"""

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import chain
from typing import Any, cast
from unicodedata import normalize

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from scim2_models import (
    Email,
    GroupMember,
    InvalidFilterException,
    InvalidValueException,
    Name,
    Path,
    ScimFilter,
    SearchRequest,
)
from scim2_models.path import (
    AttrPath,
    CompareOperator,
    Comparison,
    FilterNode,
    LogicalExpr,
    LogicalOperator,
    Not,
    Present,
    ValuePath,
)

from db.directories import DirectoryGroup, DirectoryUser
from db.ids import new_id
from db.migrate import migrate
from resolvers.scim_columns import GROUPS, USERS, ResourceTable
from resolvers.scim_filters import groups_order, groups_where, users_order, users_where
from resolvers.scim_resources import GROUP_MODEL, USER_MODEL, comparison_key
from tests.support.backend import Backend
from tests.support.factories import run
from tests.support.scim_rows import (
    Tenant,
    Timed,
    insert_groups,
    insert_users,
    make_tenant,
    read_groups,
    read_users,
)

PEOPLE = 5  # users per directory, at most
URN = "urn:ietf:params:scim:schemas:core:2.0:"

# Unicode case pairs whose lower() changes length or is not a round trip, LIKE's wildcards and
# escape, quotes, and a combining accent: what a naive translation gets wrong.
DOTLESS_I, SIGMA = "\N{LATIN SMALL LETTER DOTLESS I}", "\N{GREEK SMALL LETTER SIGMA}"
CHARS = ["a", "A", "b", "İ", "i", DOTLESS_I, "I", "ß", "ẞ", "s", "Σ", SIGMA, "ς", "K", "k", "%", "_", "\\"]
CHARS += ['"', "'", " ", "é", "e\u0301", "ǅ", "ﬁ", "😀"]
LOCAL_PARTS = ["a", "A", "%", "_", "'", "+", "İ", "ß", "Σ", SIGMA, "ς", "é", "K"]
DOMAINS = ["example.com", "Example.COM", "exämple.org"]
TIMES = [
    dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
    dt.datetime(2026, 1, 1, 0, 0, 0, 500, tzinfo=dt.UTC),
    dt.datetime(2026, 6, 30, 23, 59, 59, tzinfo=dt.UTC),
]

text = st.lists(st.sampled_from(CHARS), max_size=4).map("".join)
some_text = st.lists(st.sampled_from(CHARS), min_size=1, max_size=4).map("".join)
exact_text = text.map(lambda value: normalize("NFC", value))
times = st.one_of(
    st.sampled_from(TIMES),
    st.datetimes(dt.datetime(2025, 1, 1), dt.datetime(2027, 1, 1), timezones=st.just(dt.UTC)),
)
emails = st.builds(
    Email,
    value=st.builds(
        lambda local, domain: f"{local}@{domain}",
        st.lists(st.sampled_from(LOCAL_PARTS), min_size=1, max_size=3).map("".join),
        st.sampled_from(DOMAINS),
    ),
    type=st.sampled_from([None, "work", "Work", "home", "other", "İnternal", "ẞig"]),
    primary=st.booleans(),
)


@st.composite
def user_resources(draw: st.DrawFn) -> list[Timed]:
    names = draw(st.lists(some_text, max_size=PEOPLE, unique_by=comparison_key))
    users = []
    for user_name in names:
        resource = USER_MODEL(
            user_name=user_name,
            display_name=draw(st.none() | text),
            external_id=draw(st.none() | exact_text),
            name=draw(st.none() | st.builds(Name, given_name=st.none() | text, family_name=st.none() | text)),
            active=draw(st.booleans()),
            emails=draw(st.lists(emails, max_size=3)) or None,
        )
        resource.id = new_id("dus")
        users.append(Timed(resource, draw(times), draw(times)))
    return users


@st.composite
def group_resources(draw: st.DrawFn, user_ids: list[str]) -> list[Timed]:
    groups = []
    for display_name in draw(st.lists(some_text, max_size=3)):
        members = draw(st.lists(st.sampled_from(user_ids), unique=True)) if user_ids else []
        resource = GROUP_MODEL(
            display_name=display_name,
            external_id=draw(st.none() | exact_text),
            members=[GroupMember.model_validate({"value": member}) for member in members] or None,
        )
        resource.id = new_id("dgr")
        groups.append(Timed(resource, draw(times), draw(times)))
    return groups


@dataclass
class World:
    """Both directories' resources, and the strings and times filters are made of."""

    users: dict[str, list[Timed]]
    groups: dict[str, list[Timed]]
    strings: list[str] = field(default_factory=list)


def strings_of(resources: list[Any]) -> Iterator[str]:
    for resource in resources:
        for value in resource.model_dump(mode="json").values():
            stack = [value]
            while stack:
                item = stack.pop()
                if isinstance(item, str):
                    yield item
                elif isinstance(item, dict):
                    stack.extend(item.values())
                elif isinstance(item, list):
                    stack.extend(item)
        yield str(resource.id)


@st.composite
def worlds(draw: st.DrawFn, tenants: tuple[Tenant, Tenant]) -> World:
    users = {tenant.directory_id: draw(user_resources()) for tenant in tenants}
    groups = {
        tenant.directory_id: draw(
            group_resources([timed.resource.id for timed in users[tenant.directory_id]])
        )
        for tenant in tenants
    }
    every = [timed.resource for timed in chain(*users.values(), *groups.values())]
    return World(users, groups, ["a", *strings_of(every)])


# LIKE's wildcards and escape, and strings whose lower-casing changes their length or meets another's
pitfalls = st.sampled_from(
    ["%", "_", "\\", "_%", "İ", "i\u0307", "ß", "ss", "ẞ", "Σ", SIGMA, "ς", "e\u0301", "é"]
)


@st.composite
def operands(draw: st.DrawFn, strings: list[str]) -> str:
    """A string found in the resources, a piece of one (in another case, maybe), or any text."""
    whole = draw(st.sampled_from(strings))
    start = draw(st.integers(0, len(whole)))
    piece = whole[start : draw(st.integers(start, len(whole)))]
    return draw(st.sampled_from([whole, piece, piece.upper(), piece.lower(), draw(text), draw(pitfalls)]))


def time_operand(moment: dt.datetime, hours: int, naive: bool) -> str:
    if naive:
        return moment.replace(tzinfo=None).isoformat()
    return moment.astimezone(dt.timezone(dt.timedelta(hours=hours))).isoformat()


def attr(path: str) -> AttrPath:
    uri, _, local = path.rpartition(":")
    head, _, sub = local.partition(".")
    return AttrPath(head, sub or None, uri or None)


@dataclass(frozen=True)
class Vocabulary:
    """What a resource type's filters may name, by the kind of operand each compares with."""

    paths: dict[str, list[str]]  # kind (string, address, boolean, time) → attribute paths
    selections: dict[str, dict[str, str]]  # attribute → sub-attributes its [filter] may name → kind


USER_WORDS = Vocabulary(
    paths={
        "string": [
            *["userName", "USERNAME", f"{URN}User:userName", "displayName", "name.givenName"],
            *["name.familyName", "externalId", "id", f"{URN}User:emails.type", "emails.type", "groups"],
            *["groups.value", "groups.display"],
        ],
        "address": ["emails", "emails.value"],
        "boolean": ["active", "emails.primary"],
        "time": ["meta.created", "meta.lastModified", f"{URN}User:meta.lastModified"],
    },
    selections={
        "emails": {"value": "address", "type": "string", "primary": "boolean"},
        "groups": {"value": "string", "display": "string"},
    },
)
GROUP_WORDS = Vocabulary(
    paths={
        "string": ["displayName", f"{URN}Group:displayName", "externalId", "id", "members", "members.value"],
        "time": ["meta.created", "meta.lastModified"],
    },
    selections={"members": {"value": "string"}},
)


def comparison(path: str, op: CompareOperator, value: Any) -> FilterNode:
    return Comparison(attr(path), op, value)


OPERATORS = {
    "string": list(CompareOperator),
    # emails.value is an EmailStr: only a substring operand may be a piece of an address
    "address": [CompareOperator.co, CompareOperator.sw, CompareOperator.ew, CompareOperator.eq],
    # ordering a boolean is refused, as test_a_boolean_is_never_ordered shows
    "boolean": [CompareOperator.eq, CompareOperator.ne],
    "time": list(CompareOperator),
}


def comparisons(words: list[str], kind: str, strings: list[str]) -> st.SearchStrategy[FilterNode]:
    if kind in ("string", "address"):
        values: st.SearchStrategy[Any] = st.one_of(*[operands(strings)] * 4, st.none())
    elif kind == "boolean":
        values = st.sampled_from([True, False, None])
    else:
        values = st.builds(time_operand, times, st.integers(-12, 12), st.booleans()) | st.none()
    return st.builds(comparison, st.sampled_from(words), st.sampled_from(OPERATORS[kind]), values)


def string_comparisons(words: Vocabulary, strings: list[str]) -> st.SearchStrategy[FilterNode]:
    """Single string comparisons, many per example: the case rules, wildcards and pitfalls."""
    return st.one_of(
        comparisons(words.paths["string"], "string", strings),
        comparisons(words.paths["address"], "address", strings),
    )


def filters(words: Vocabulary, strings: list[str]) -> st.SearchStrategy[FilterNode]:
    everything = [path for paths in words.paths.values() for path in paths]
    leaves = [
        *[comparisons(words.paths["string"], "string", strings)] * 3,  # where most mistakes can hide
        st.sampled_from(everything).map(lambda path: Present(attr(path))),
        *[comparisons(paths, kind, strings) for kind, paths in words.paths.items() if kind != "string"],
    ]
    for name, subs in words.selections.items():
        kinds: dict[str, list[str]] = {}
        for sub, kind in subs.items():
            kinds.setdefault(kind, []).append(sub)
        inner = st.one_of(
            *[comparisons(paths, kind, strings) for kind, paths in kinds.items()],
            st.sampled_from(list(subs)).map(lambda sub: Present(attr(sub))),
        )
        selection = st.recursive(inner, combined, max_leaves=3)
        leaves.append(st.builds(ValuePath, st.just(attr(name)), selection))
    return st.recursive(st.one_of(leaves), combined, max_leaves=5)


def combined(children: st.SearchStrategy[FilterNode]) -> st.SearchStrategy[FilterNode]:
    return st.one_of(
        children.map(Not),
        st.builds(
            lambda op, terms: LogicalExpr(op, tuple(terms)),
            st.sampled_from(list(LogicalOperator)),
            st.lists(children, min_size=2, max_size=3),
        ),
    )


def bound(model: Any, text_: str) -> Any:
    """The filter bound to a resource type, as a SearchRequest binds it."""
    return cast(Any, ScimFilter)[model](text_)


class _RolledBack(Exception):
    """Leaves the example's transaction, so each example starts from the same two directories."""


@dataclass
class Found:
    """What the SQL found, per filter (None: refused) or sort, and per directory."""

    users: dict[str, list[Any]] = field(default_factory=dict)
    groups: dict[str, list[Any]] = field(default_factory=dict)
    filtered: list[dict[str, list[str] | None]] = field(default_factory=list)
    sorted: list[dict[str, list[str] | None]] = field(default_factory=list)


async def ids_where(table: Any, where: Any, ordering: Any) -> list[str]:
    rows = await table.select(table.id).where(where).order_by(*ordering.columns, ascending=ordering.ascending)
    assert await table.count().where(where) == len(rows)
    return [row["id"] for row in rows]


async def search(
    tenants: tuple[Tenant, Tenant],
    world: World,
    user_filters: list[str],
    group_filters: list[str],
    sorts: list[tuple[str, str, bool]],
) -> Found:
    found = Found()
    try:
        async with DirectoryUser._meta.db.transaction():
            for tenant in tenants:
                await insert_users(tenant, world.users[tenant.directory_id])
                await insert_groups(tenant, world.groups[tenant.directory_id])
                found.users[tenant.directory_id] = await read_users(tenant.directory_id)
                found.groups[tenant.directory_id] = await read_groups(tenant.directory_id)
            searches: list[tuple[str, Callable[..., Any], Any, str]] = [
                ("users", users_where, DirectoryUser, text) for text in user_filters
            ] + [("groups", groups_where, DirectoryGroup, text) for text in group_filters]
            for kind, where, table, filter_text in searches:
                model = USER_MODEL if kind == "users" else GROUP_MODEL
                by_directory: dict[str, list[str] | None] = {}
                for tenant in tenants:
                    try:
                        clause = where(tenant.directory_id, bound(model, filter_text).ast)
                    except InvalidFilterException:
                        by_directory[tenant.directory_id] = None
                        continue
                    order = users_order(None) if kind == "users" else groups_order(None)
                    by_directory[tenant.directory_id] = await ids_where(table, clause, order)
                found.filtered.append(by_directory)
            for kind, sort_by, descending in sorts:
                table, order_of = (
                    (DirectoryUser, users_order) if kind == "users" else (DirectoryGroup, groups_order)
                )
                where = users_where if kind == "users" else groups_where
                found.sorted.append(
                    {
                        tenant.directory_id: await ids_where(
                            table, where(tenant.directory_id, None), order_of(sort_by, descending)
                        )
                        for tenant in tenants
                    }
                )
            raise _RolledBack
    except _RolledBack:
        pass
    return found


def matching(model: Any, filter_text: str, resources: list[Any]) -> list[str] | None:
    """scim2-models' answer: the ids its evaluator matches, in id order (None: it refuses)."""
    try:
        scim_filter = bound(model, filter_text)
    except InvalidFilterException:
        return None
    return sorted(resource.id for resource in resources if scim_filter.match(resource))


def sorted_like_scim2(model: Any, sort_by: str, descending: bool, resources: list[Any]) -> list[str]:
    """scim2-server's in-memory order: the sort value, missing values last, then the id."""
    request = cast(Any, SearchRequest)[model](sort_by=sort_by)

    def key(resource: Any) -> tuple[bool, Any, str]:
        value = request.sort_value(resource)
        return value is None, value if value is not None else "", resource.id

    return [resource.id for resource in sorted(resources, key=key, reverse=descending)]


USER_SORTS = ["userName", "displayName", "name.givenName", "name.familyName", "externalId", "id", "active"]
USER_SORTS += ["meta.created", "meta.lastModified", f"{URN}User:userName"]
GROUP_SORTS = ["displayName", "externalId", "id", "meta.created", "meta.lastModified"]


@pytest.fixture(scope="module")
def tenants(backend: Backend) -> tuple[Tenant, Tenant]:
    run(migrate())
    return run(make_tenant("Filters A", PEOPLE)), run(make_tenant("Filters B", PEOPLE))


def parts_of(nodes: list[FilterNode]) -> list[str]:
    """Each filter and each expression inside it: a leaf's mistake cannot hide behind an `or`."""
    found: dict[str, None] = {}
    stack = list(nodes)
    while stack:
        node = stack.pop()
        found.setdefault(str(node), None)
        if isinstance(node, LogicalExpr):
            stack.extend(node.terms)
        elif isinstance(node, Not):
            stack.append(node.expr)
    return list(found)


@st.composite
def searches(
    draw: st.DrawFn, tenants: tuple[Tenant, Tenant]
) -> tuple[World, list[str], list[str], list[Any]]:
    world = draw(worlds(tenants))
    user_filters = parts_of(draw(st.lists(filters(USER_WORDS, world.strings), min_size=4, max_size=6)))
    user_filters += [
        str(node)
        for node in draw(st.lists(string_comparisons(USER_WORDS, world.strings), min_size=12, max_size=12))
    ]
    group_filters = parts_of(draw(st.lists(filters(GROUP_WORDS, world.strings), max_size=2)))
    sorts = draw(
        st.lists(
            st.one_of(
                st.tuples(st.just("users"), st.sampled_from(USER_SORTS), st.booleans()),
                st.tuples(st.just("groups"), st.sampled_from(GROUP_SORTS), st.booleans()),
            ),
            max_size=2,
        )
    )
    return world, user_filters, group_filters, sorts


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
@given(data=st.data())
def test_sql_finds_what_the_scim2_evaluator_matches_and_sorts_as_scim2_server(
    tenants: tuple[Tenant, Tenant], data: st.DataObject
) -> None:
    world, user_filters, group_filters, sorts = data.draw(searches(tenants))
    found = run(search(tenants, world, user_filters, group_filters, sorts))

    asked = [(USER_MODEL, found.users, text_) for text_ in user_filters]
    asked += [(GROUP_MODEL, found.groups, text_) for text_ in group_filters]
    for (model, resources, text_), answer in zip(asked, found.filtered, strict=True):
        for tenant in tenants:
            own = resources[tenant.directory_id]
            got = answer[tenant.directory_id]
            assert got == matching(model, text_, own), text_
            event(
                "refused"
                if got is None
                else f"matched {'some' if got else 'none'} of {'some' if own else 'none'}"
            )
            assert set(got or []) <= {resource.id for resource in own}, f"{text_} reached another directory"
    for (kind, sort_by, descending), answer in zip(sorts, found.sorted, strict=True):
        model, resources = (USER_MODEL, found.users) if kind == "users" else (GROUP_MODEL, found.groups)
        for tenant in tenants:
            expected = sorted_like_scim2(model, sort_by, descending, resources[tenant.directory_id])
            assert answer[tenant.directory_id] == expected, (sort_by, descending)


def user_filter(text_: str) -> FilterNode:
    node: FilterNode = bound(USER_MODEL, text_).ast
    return node


@pytest.mark.parametrize(
    "text_",
    [
        'title eq "boss"',
        "name pr",
        'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq "7"',
        'emails.display eq "work"',
        'emails[display co "x"]',
        'phoneNumbers co "555"',
        'groups.type eq "direct"',
    ],
)
def test_an_attribute_we_do_not_keep_is_an_invalid_filter_that_names_it(text_: str) -> None:
    with pytest.raises(InvalidFilterException, match="is not supported"):
        users_where("dir_x", user_filter(text_))


def test_a_boolean_is_never_ordered() -> None:
    with pytest.raises(InvalidFilterException):
        users_where("dir_x", Comparison(AttrPath("active"), CompareOperator.gt, True))


def test_operands_are_bound_parameters_never_sql() -> None:
    hostile = "x') OR 1=1 --%_\\"
    where = users_where(
        "dir_x",
        user_filter(f"userName co {ScimFilter.quote(hostile)} or externalId eq {ScimFilter.quote(hostile)}"),
    )
    sql, parameters = where.querystring.compile_string("sqlite")
    assert "1=1" not in sql
    assert "%" not in sql
    assert hostile in parameters


def test_every_query_is_confined_to_its_directory_whatever_the_filter() -> None:
    sql, parameters = users_where(
        "dir_mine", user_filter('not (userName eq "x") or id pr')
    ).querystring.compile_string("sqlite")
    assert sql.startswith('"directory_user"."directory" = ? AND (')
    assert parameters[0] == "dir_mine"


@pytest.mark.parametrize("table", [USERS, GROUPS], ids=["users", "groups"])
def test_caseless_attributes_are_read_from_their_key_columns_and_case_exact_ones_as_sent(
    table: ResourceTable,
) -> None:
    named = [(name, stored) for name, stored in table.attributes.items()]
    named += [
        (f"{head}.{sub}", stored)
        for head, entries in table.entries.items()
        for sub, stored in entries.attributes.items()
    ]
    for name, stored in named:
        binding = cast(Any, Path)[table.model](f"{table.schema}:{name}").resolve()
        if stored.kind == "text":
            assert stored.keyed is not binding.case_exact, name
            assert stored.column.endswith('_key"') is stored.keyed or name == "emails.type", name


def test_sorting_by_a_multi_valued_attribute_is_refused() -> None:
    with pytest.raises(InvalidValueException, match="emails"):
        users_order("emails", descending=False)
