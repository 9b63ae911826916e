"""Signing keys rotate with an overlap: new tokens use the new key, old tokens still verify."""

import jwt

from resolvers.signing_keys import key_ring, rotate_signing_keys
from resolvers.tokens import decode_access_token, issue_access_token
from tests.support.deployment import server_deployment
from tests.support.factories import run
from tests.support.server import ServerProcess


def test_rotation_keeps_old_keys_published_and_signs_with_new_ones(server: ServerProcess) -> None:
    deployment = server_deployment()

    async def scenario() -> tuple[str, str, str, set[str], str]:
        key_ring.invalidate()
        old_token, _ = await issue_access_token(
            deployment, client_id="app_x", subject="app_x", scope="", lifetime_seconds=60
        )
        old_kid = jwt.get_unverified_header(old_token)["kid"]
        await rotate_signing_keys(deployment.secret_key)
        new_token, _ = await issue_access_token(
            deployment, client_id="app_x", subject="app_x", scope="", lifetime_seconds=60
        )
        published = {key["kid"] for key in (await key_ring.jwks(deployment.secret_key))["keys"]}
        still_valid = await decode_access_token(deployment, old_token, check_revocation=False)
        return old_kid, jwt.get_unverified_header(new_token)["kid"], still_valid.subject, published, new_token

    old_kid, new_kid, subject, published, _ = run(scenario())
    assert new_kid != old_kid
    assert {old_kid, new_kid} <= published
    assert subject == "app_x", "a token signed before rotation still verifies during the overlap"


def test_private_keys_are_stored_encrypted(server: ServerProcess) -> None:
    from db.oauth import SigningKey

    rows = run(SigningKey.select(SigningKey.private_key).run())
    assert rows
    for row in rows:
        assert "PRIVATE KEY" not in row["private_key"]
