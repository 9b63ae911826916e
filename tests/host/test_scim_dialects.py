"""What Okta and Entra ID send, made standard before scim2-server reads it (host/scim_dialects.py)."""

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from host.scim_dialects import ENTERPRISE, standardized


def patched(*operations: dict[str, Any]) -> list[dict[str, Any]]:
    body = json.dumps(
        {"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": list(operations)}
    )
    fixed: list[dict[str, Any]] = json.loads(standardized("PATCH", "/Users/x", body.encode()))["Operations"]
    return fixed


def test_entra_booleans_ops_and_managers_become_standard() -> None:
    assert patched({"op": "Replace", "path": "active", "value": "False"}) == [
        {"op": "replace", "path": "active", "value": False}
    ]
    assert patched({"op": "Add", "path": f"{ENTERPRISE}:manager", "value": "m-1"}) == [
        {"op": "add", "path": f"{ENTERPRISE}:manager", "value": {"value": "m-1"}}
    ]
    assert patched({"op": "Remove", "path": "members", "value": [{"value": "a"}, {"value": 'b"c'}]}) == [
        {"op": "remove", "path": 'members[value eq "a"]'},
        {"op": "remove", "path": 'members[value eq "b\\"c"]'},
    ]


def test_okta_path_less_replace_loses_the_read_only_id() -> None:
    assert patched(
        {"op": "replace", "value": {"id": "dus_1", "active": "true", f"{ENTERPRISE}:department": "R&D"}}
    ) == [{"op": "replace", "value": {"active": True, ENTERPRISE: {"department": "R&D"}}}]


def test_standard_documents_and_other_methods_pass_unchanged() -> None:
    body = b'{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"a","active":true}'
    assert standardized("POST", "/Users", body) is body
    assert standardized("GET", "/Users", b"not json") == b"not json"
    assert standardized("PATCH", "/Users/x", b"[1, 2]") == b"[1, 2]"
    assert standardized("PATCH", "/Users/x", b"{broken") == b"{broken"


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=12,
)
OPERATION = st.fixed_dictionaries(
    {"op": st.sampled_from(["add", "Add", "remove", "Remove", "replace", "Replace", "x"])},
    optional={
        "path": st.sampled_from(["active", "members", "emails", f"{ENTERPRISE}:manager", "", "x[y"]),
        "value": JSON,
    },
)


@settings(max_examples=200, deadline=None)
@given(st.lists(OPERATION | JSON, max_size=4), st.sampled_from(["PATCH", "PUT", "POST"]))
def test_any_json_is_read_without_error_and_standardizing_twice_changes_nothing(
    operations: Any, method: str
) -> None:
    body = json.dumps({"Operations": operations, "active": "FALSE"}).encode()
    once = standardized(method, "/Users/x", body)
    json.loads(once)
    assert standardized(method, "/Users/x", once) == once
