"""Integrators define permissions and roles only with keys that mean something."""

from tests.support.in_process import InProcessCaller


def test_a_bad_permission_key_is_refused_with_a_reason(integrator: InProcessCaller) -> None:
    result = integrator(
        'mutation { createPermission(key: "sk_org_everything") { ... on Problem { code message } } }'
    )
    assert result["data"]["createPermission"]["code"] == "INVALID_INPUT"
    unknown = integrator(
        'mutation { createRole(key: "ghost", name: "Ghost", permissions: ["no:such"]) { ... on Problem { message } } }'
    )
    assert "no:such" in unknown["data"]["createRole"]["message"]
