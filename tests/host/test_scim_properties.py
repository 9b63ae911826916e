"""Properties of the SCIM service over HTTP, against the live server, for whatever an IdP sends:

- a filter (GET and POST /.search, users and groups) is never a 5xx; a refusal is a 400 SCIM error
  with a scimType; an answer lists only the caller directory's resources, as many as scim2-models'
  own evaluator finds among the resources read back, paged consistently;
- a PATCH (the standard's forms, value filters, enterprise URNs, the IdPs' dialects, wrong types)
  is never a 5xx; what it answers is what a GET reads next; nothing of the other directory moves;
- a userName, displayName or externalId no database can hold well is a 400, and nothing is written.

Two directories of two organizations hold users and groups with shared display names and strings
that are easy to compare wrongly (case folding beyond ASCII, decomposed accents, quotes).
"""

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from scim2_models import EnterpriseUser, Group, ScimFilter, User

from db.directories import DirectoryGroup, DirectoryUser
from tests.support.factories import make_organization, run
from tests.support.scim import GROUP_SCHEMA, USER_SCHEMA, Directory, ScimClient, make_directory
from tests.support.scim_strategies import (
    ENTERPRISE,
    GROUP_PATHS,
    USER_PATHS,
    group_filters,
    patch_operations,
    scalar_values,
    user_filters,
    user_values,
)
from tests.support.server import ServerProcess
from tests.support.sso import unique_domain

ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error"
SEARCH_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:SearchRequest"
FILTER_REFUSALS = {"invalidFilter", "invalidValue", "invalidSyntax"}
USER_MODEL: Any = User[EnterpriseUser]
EXAMPLES = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# (local part, displayName, givenName, familyName, externalId, active, email type)
PEOPLE = [
    ("ada", "Ada Lovelace", "Ada", "Lovelace", "ext-ada", True, "work"),
    ("ADA.B", "ada lovelace", "ADA", "Byron", None, True, "home"),
    ("ecole", "ÉCOLE Straße", "Émile", "Straße", "ext-É", True, "work"),
    ("ecole2", "e\u0301cole strasse", "e\u0301mile", None, None, False, None),
    ("quote", 'O\'Brien "Quoted"', "Seán", "O'Brien", 'ext-"q"', True, "work"),
    ("slash", "back\\slash", None, None, "ext-ada", True, "other"),
    ("jp", "日本語 名前", "名前", "日本語", None, True, "work"),
    ("istanbul", "İstanbul", "İ", "ǅemal", None, False, "home"),
    ("bare", None, None, None, None, True, None),
]
GROUPS = [("Engineering", [0, 1, 2]), ("engineering", [3]), ("Ünïcode Group", [4, 5, 6, 7]), ("Empty", [])]


@dataclass
class Side:
    """One directory as its IdP sees it: its client and the ids it created."""

    directory: Directory
    scim: ScimClient
    domain: str
    user_ids: list[str] = field(default_factory=list)
    group_ids: list[str] = field(default_factory=list)


@dataclass
class World:
    sides: list[Side]
    known: list[str]  # strings the resources hold, for filters to name


def _populate(side: Side) -> None:
    for local, display, given_name, family, external, active, email_type in PEOPLE:
        body: dict[str, Any] = {
            "schemas": [USER_SCHEMA],
            "userName": f"{local}@{side.domain}",
            "active": active,
        }
        if display is not None:
            body["displayName"] = display
        if given_name is not None or family is not None:
            body["name"] = {
                key: value for key, value in (("givenName", given_name), ("familyName", family)) if value
            }
        if external is not None:
            body["externalId"] = external
        if email_type is not None:
            body["emails"] = [
                {"value": f"{local}@{side.domain}", "type": email_type, "primary": email_type == "work"}
            ]
        answer = side.scim.post("/Users", body)
        assert answer.status_code == 201, answer.text
        side.user_ids.append(answer.json()["id"])
    for name, members in GROUPS:
        created = side.scim.create_group(name, [side.user_ids[index] for index in members])
        side.group_ids.append(created["id"])


@pytest.fixture(scope="module")
def world(server: ServerProcess) -> Iterator[World]:
    sides = []
    for label in ("first", "second"):
        org = make_organization(f"Properties {label}", ["scim"])
        directory = make_directory(org, require_verified_domain=False)
        side = Side(directory, ScimClient(server.url, directory), unique_domain(f"scimprop-{label}"))
        _populate(side)
        sides.append(side)
    known = sorted(
        {text for person in PEOPLE for text in person[:5] if isinstance(text, str)}
        | {name for name, _ in GROUPS}
        | {f"{person[0]}@{side.domain}" for person in PEOPLE for side in sides}
        | {side.domain for side in sides}
        | {side.user_ids[0] for side in sides}
        | {side.group_ids[0] for side in sides}
        | {"work", "home"}
    )
    yield World(sides, known)
    for side in sides:
        side.scim.close()


def _all(side: Side, kind: str) -> list[dict[str, Any]]:
    answer = side.scim.get(f"/{kind}", count=200)
    assert answer.status_code == 200, answer.text
    resources: list[dict[str, Any]] = answer.json()["Resources"]
    return resources


def _assert_scim_error(answer: Any, *, status: int | None = None, scim_types: set[str] | None = None) -> None:
    assert answer.status_code < 500, answer.text
    assert answer.headers["content-type"].startswith("application/scim+json"), answer.headers
    body = answer.json()
    assert body["schemas"] == [ERROR_SCHEMA], body
    assert body["status"] == str(answer.status_code), body
    if status is not None:
        assert answer.status_code == status, body
    if scim_types is not None:
        assert body.get("scimType") in scim_types, body


def _python_filter(model: Any, text: str) -> Any:
    """scim2-models' own reading of the filter, or None when it refuses it."""
    try:
        return ScimFilter[model](text)
    except Exception:
        return None


def _check_search(
    world: World,
    side_index: int,
    kind: str,
    generated: tuple[str, bool],
    start: int | None,
    count: int | None,
    post: bool,
) -> None:
    text, supported = generated
    side = world.sides[side_index]
    model = USER_MODEL if kind == "Users" else Group
    mine = set(side.user_ids if kind == "Users" else side.group_ids)
    resources = _all(side, kind)
    paging = {key: value for key, value in (("startIndex", start), ("count", count)) if value is not None}
    if post:
        answer = side.scim.post(f"/{kind}/.search", {"schemas": [SEARCH_SCHEMA], "filter": text, **paging})
    else:
        answer = side.scim.get(f"/{kind}", filter=text, **paging)
    expected = _python_filter(model, text)
    event(f"{answer.status_code} {'supported' if supported else 'other'}")
    if answer.status_code != 200:
        _assert_scim_error(answer, status=400, scim_types={*FILTER_REFUSALS})
        assert expected is None or not supported, f"{text!r} refused: {answer.text}"
        return
    assert expected is not None, f"{text!r} is no filter scim2-models reads, yet {answer.text[:300]}"
    body = answer.json()
    listed = [resource["id"] for resource in body.get("Resources", [])]
    assert set(listed) <= mine, (text, set(listed) - mine)
    matched = sorted(
        resource["id"] for resource in resources if expected.match(model.model_validate(resource))
    )
    assert body["totalResults"] == len(matched), (text, body["totalResults"], matched)
    event("some matched" if matched else "none matched")
    first = max(start or 1, 1)
    size = len(matched) if count is None else max(count, 0)
    assert listed == matched[first - 1 : first - 1 + size], (text, start, count, listed, matched)
    assert body["startIndex"] == first and body["itemsPerPage"] == len(listed), body


@given(data=st.data())
@EXAMPLES
def test_user_filters_answer_what_scim2_models_finds_in_the_callers_directory_only(
    world: World, data: st.DataObject
) -> None:
    _check_search(
        world,
        data.draw(st.integers(0, 1), label="directory"),
        "Users",
        data.draw(user_filters(world.known), label="filter"),
        data.draw(st.sampled_from([None, -2, 0, 1, 2, 4, 9, 40]), label="startIndex"),
        data.draw(st.sampled_from([None, -1, 0, 1, 3, 500]), label="count"),
        data.draw(st.booleans(), label="POST .search"),
    )


@given(data=st.data())
@EXAMPLES
def test_group_filters_answer_what_scim2_models_finds_in_the_callers_directory_only(
    world: World, data: st.DataObject
) -> None:
    _check_search(
        world,
        data.draw(st.integers(0, 1), label="directory"),
        "Groups",
        data.draw(group_filters(world.known), label="filter"),
        data.draw(st.sampled_from([None, 0, 1, 2, 3, 9]), label="startIndex"),
        data.draw(st.sampled_from([None, 0, 1, 2, 500]), label="count"),
        data.draw(st.booleans(), label="POST .search"),
    )


def _versions(side: Side) -> dict[str, tuple[str, list[str]]]:
    """Every resource of the directory: its version and, for groups, its members."""
    found = {}
    for kind in ("Users", "Groups"):
        for resource in _all(side, kind):
            members = sorted(member["value"] for member in resource.get("members") or [])
            found[resource["id"]] = (resource["meta"]["version"], members)
    return found


def _comparable(resource: dict[str, Any]) -> dict[str, Any]:
    """A resource as a GET answers it; `groups` order is not part of the meaning."""
    copy: dict[str, Any] = json.loads(json.dumps(resource))
    if copy.get("groups"):
        copy["groups"] = sorted(copy["groups"], key=lambda group: group["value"])
    if copy.get("members"):
        copy["members"] = sorted(copy["members"], key=lambda member: member["value"])
    return copy


@pytest.fixture(scope="module")
def other_before(world: World) -> dict[str, tuple[str, list[str]]]:
    return _versions(world.sides[1])


def _check_patch(world: World, target: str, kind: str, operations: list[dict[str, Any]]) -> None:
    first, second = world.sides
    answer = first.scim.patch(f"/{kind}/{target}", operations)
    assert answer.status_code < 500, (operations, answer.text)
    if target in second.user_ids + second.group_ids:
        _assert_scim_error(answer)  # a malformed PATCH is refused before the resource is looked up
        assert answer.status_code in (400, 404), answer.text
    elif answer.status_code == 200:
        read = first.scim.get(f"/{kind}/{target}")
        assert read.status_code == 200, read.text
        assert _comparable(read.json()) == _comparable(answer.json()), operations
        assert read.headers["etag"] == answer.json()["meta"]["version"]
    else:
        _assert_scim_error(answer)
        assert answer.status_code in (400, 404, 409, 412), answer.text
        if answer.status_code == 400:
            assert answer.json().get("scimType"), answer.text


@given(data=st.data())
@EXAMPLES
def test_user_patches_are_never_a_5xx_read_back_as_answered_and_stay_in_their_directory(
    world: World, other_before: dict[str, tuple[str, list[str]]], data: st.DataObject
) -> None:
    first, second = world.sides
    target = data.draw(st.sampled_from(first.user_ids + second.user_ids[:2]), label="user")
    operations = data.draw(patch_operations(USER_PATHS, user_values(first.domain)), label="operations")
    _check_patch(world, target, "Users", operations)
    assert _versions(second) == other_before


@given(data=st.data())
@EXAMPLES
def test_group_patches_never_reach_another_directorys_users(
    world: World, other_before: dict[str, tuple[str, list[str]]], data: st.DataObject
) -> None:
    first, second = world.sides
    ids = st.sampled_from(first.user_ids + second.user_ids[:3] + ["dus_NOSUCHUSER", ""])
    members = st.lists(st.builds(lambda value: {"value": value}, ids), max_size=3)
    values = st.one_of(
        members,
        scalar_values(),
        st.fixed_dictionaries(
            {}, optional={"displayName": st.sampled_from(["Renamed", "", "Ünïcode"]), "members": members}
        ),
    )
    paths = GROUP_PATHS + [
        f'members[value eq "{member}"]' for member in first.user_ids[:3] + second.user_ids[:1]
    ]
    target = data.draw(st.sampled_from(first.group_ids + second.group_ids[:1]), label="group")
    operations = data.draw(patch_operations(paths, values), label="operations")
    _check_patch(world, target, "Groups", operations)
    if target in first.group_ids:
        members_now = _all(first, "Groups")
        for group in members_now:
            for member in group.get("members") or []:
                assert member["value"] in first.user_ids, (operations, group)
    assert _versions(second) == other_before


HOSTILE = {
    "NUL": "a\x00b",
    "lone-surrogate": "\ud800x",
    "C0-control": "bell\x07",
    "escape": "esc\x1b[31m",
    "DEL": "del\x7f",
    "C1-control": "c1\x85",
    "10k-chars": "x" * 10_000,
    "10k-CJK": "".join(chr(0x4E00 + index % 2000) for index in range(10_000)),
    # 300 characters that fold to 600 (İ lower-cases to i + a combining dot): too long a key for
    # the attributes compared without case; externalId is case-exact and keeps it
    "longer-when-folded": "İ" * 300,
}
HOSTILE_CASES = [
    pytest.param(attribute, text, id=f"{label}-{attribute}")
    for label, text in HOSTILE.items()
    for attribute in ("userName", "displayName", "externalId")
    if not (label == "longer-when-folded" and attribute == "externalId")
]


def _raw(scim: ScimClient, method: str, path: str, body: Any) -> Any:
    """The body as JSON with lone surrogates escaped (\\ud800), as a careless client sends them."""
    return scim.http.request(method, path, content=json.dumps(body).encode())


def _rows(directory_id: str) -> tuple[int, int]:
    users = run(DirectoryUser.count().where(DirectoryUser.directory == directory_id).run())
    groups = run(DirectoryGroup.count().where(DirectoryGroup.directory == directory_id).run())
    return users, groups


@pytest.mark.parametrize(("attribute", "hostile"), HOSTILE_CASES)
def test_hostile_strings_are_a_400_and_write_nothing(world: World, attribute: str, hostile: str) -> None:
    side = world.sides[0]
    rows = _rows(side.directory.id)
    victim = side.user_ids[-1]
    version = side.scim.get(f"/Users/{victim}").json()["meta"]["version"]
    user = {"schemas": [USER_SCHEMA], "userName": f"hostile@{side.domain}", attribute: hostile}
    attempts = [
        ("POST", "/Users", user),
        ("PUT", f"/Users/{victim}", {**user, "userName": f"bare@{side.domain}", attribute: hostile}),
        (
            "PATCH",
            f"/Users/{victim}",
            {
                "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                "Operations": [{"op": "replace", "path": attribute, "value": hostile}],
            },
        ),
    ]
    if attribute != "userName":
        group_attribute = attribute
        attempts.append(
            ("POST", "/Groups", {"schemas": [GROUP_SCHEMA], "displayName": "G", group_attribute: hostile})
        )
    for method, path, body in attempts:
        answer = _raw(side.scim, method, path, body)
        _assert_scim_error(answer, status=400)
        assert answer.json().get("scimType") in {"invalidValue", "invalidSyntax"}, answer.text
    assert _rows(side.directory.id) == rows
    assert side.scim.get(f"/Users/{victim}").json()["meta"]["version"] == version
    assert not side.scim.get("/Users", filter=f'userName eq "hostile@{side.domain}"').json()["totalResults"]


def test_enterprise_paths_and_dialects_land_where_the_standard_puts_them(world: World) -> None:
    """A few PATCH forms the generated ones rely on, checked by value (not only 'no 5xx')."""
    side = world.sides[0]
    target = side.user_ids[0]
    answer = side.scim.patch(
        f"/Users/{target}",
        [
            {"op": "Add", "path": f"{ENTERPRISE}:employeeNumber", "value": "701984"},
            {"op": "Replace", "path": f"{ENTERPRISE}:manager", "value": "mgr-26118915"},
            {"op": "replace", "path": 'emails[type eq "work"].value', "value": f"ada.new@{side.domain}"},
        ],
    )
    assert answer.status_code == 200, answer.text
    read = side.scim.get(f"/Users/{target}").json()
    assert read[ENTERPRISE]["employeeNumber"] == "701984"
    assert read[ENTERPRISE]["manager"]["value"] == "mgr-26118915"
    assert [email["value"] for email in read["emails"] if email.get("type") == "work"] == [
        f"ada.new@{side.domain}"
    ]
    found = side.scim.get("/Users", filter=f'emails.value eq "ADA.NEW@{side.domain}"').json()
    assert [resource["id"] for resource in found["Resources"]] == [target]
