"""schema/schema.graphql is the printed SDL: committed, reviewed, and never out of date."""

from pathlib import Path

from schema.build import schema

SDL = Path(__file__).resolve().parents[2] / "schema" / "schema.graphql"


def test_the_committed_sdl_matches_the_schema() -> None:
    printed = schema.as_str() + "\n"
    assert SDL.read_text() == printed, (
        "schema changed: regenerate with `./run sdl` and commit schema/schema.graphql"
    )


def test_every_permission_gated_field_prints_its_directive() -> None:
    printed = schema.as_str()
    assert '): MemberConnection! @requiresPermission(permission: "sk_org_users_read")' in printed
    assert '@requiresPermission(permission: "sk_org_users_read")' in printed
    assert (
        'removeMember(memberId: ID!): RemoveMemberResult! @requiresPermission(permission: "sk_org_users_delete")'
        in printed
    )
