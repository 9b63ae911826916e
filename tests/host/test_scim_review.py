"""Security review of SCIM provisioning (branch scim-review): each test shows one defect a tenant can
exploit. They fail on main as it stands; the product code is not changed here."""

import time
from collections.abc import Iterator
from typing import Any

import pytest

from db.directories import DirectoryUser
from db.orgs import Membership
from db.users import User
from tests.support.backend import Backend
from tests.support.factories import make_member, make_organization, make_role, run
from tests.support.in_process import sign_in
from tests.support.people import unique_email
from tests.support.scim import ScimClient, make_directory
from tests.support.server import ServerProcess
from tests.support.sso import make_verified_domain, unique_domain

CREATE = """mutation($o: ID, $input: CreateDirectoryInput!) { createDirectory(organizationId: $o, input: $input) {
  __typename ... on DirectoryWithToken { token directory { id } } ... on Problem { code message } } }"""


def account(user_id: str) -> dict[str, Any]:
    row = run(
        User.select(User.email, User.email_verified, User.first_name, User.last_name)
        .where(User.id == user_id)
        .first()
        .run()
    )
    assert row is not None
    return dict(row)


def standing(user_id: str, org: str) -> dict[str, Any] | None:
    row = run(
        Membership.select(Membership.status, Membership.role.key.as_alias("role"))
        .where((Membership.user == user_id) & (Membership.organization == org))
        .first()
        .run()
    )
    return dict(row) if row else None


@pytest.fixture
def attacker(server: ServerProcess) -> Iterator[tuple[str, str, ScimClient]]:
    """Another tenant: its own verified domain, a directory that accepts any address (a setting any
    admin of that tenant may choose)."""
    org = make_organization("Attacker Co", ["scim"])
    domain = unique_domain("attacker")
    make_verified_domain(org, domain)
    directory = make_directory(org, require_verified_domain=False)
    client = ScimClient(server.url, directory)
    yield org, domain, client
    client.close()


# -- 1. account takeover across tenants --------------------------------------------------------


def test_another_tenants_directory_cannot_claim_an_account_at_an_address_it_does_not_speak_for(
    attacker: tuple[str, str, ScimClient],
) -> None:
    """A person who signed up on their own (no organization yet) is named by a hostile tenant's
    directory that accepts any address. Linking them would let that tenant rename them and move
    their sign-in address to a mailbox it controls: the push is refused, the account untouched."""
    _, domain, scim = attacker
    victim_email = unique_email("victim")
    victim = sign_in(victim_email, first_name="Victor", last_name="Victim")

    refused = scim.post(
        "/Users",
        {
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
            "userName": victim_email,
            "name": {"givenName": "Owned", "familyName": "Owned"},
            "emails": [{"value": victim_email, "primary": True}],
        },
    )
    assert refused.status_code == 400 and "invite the person" in refused.json()["detail"], refused.text
    assert run(DirectoryUser.count().where(DirectoryUser.user == victim.user_id).run()) == 0
    after = account(victim.user_id)
    assert (after["email"], after["first_name"], after["last_name"]) == (victim_email, "Victor", "Victim")
    stolen = f"owned-{victim.user_id[-6:]}@{domain}"
    assert sign_in(stolen).user_id != victim.user_id


# -- 2. a directory operator acts above their authority ------------------------------------------


def test_a_scim_operator_cannot_set_up_a_directory_above_their_authority(server: ServerProcess) -> None:
    """Someone who holds sk_org_scim_manage but not the admin's permissions cannot touch an admin by
    hand (RoleOutranksYou, LastAdmin). A directory can suspend and re-role anyone, so they cannot
    make one either: its token would act above them."""
    org = make_organization("Operated Co", ["scim"])
    domain = unique_domain("operated")
    make_verified_domain(org, domain)
    make_member(f"boss@{domain}", org, "admin")
    role_key = f"scim_operator_{org[-8:].lower()}"
    make_role(role_key, ["sk_org_scim_manage", "sk_org_scim_read"])
    operator_email = unique_email("operator")
    make_member(operator_email, org, role_key)
    operator = sign_in(operator_email).portal()
    made = operator(CREATE, o=org, input={"provider": "GENERIC"})["data"]["createDirectory"]
    assert made["__typename"] == "RoleOutranksYou" and made["code"] == "ROLE_OUTRANKS_YOU", made
    assert "every permission an admin" in made["message"]


def test_a_directory_never_suspends_or_demotes_the_last_admin(server: ServerProcess) -> None:
    """Even a directory an integrator set up: the organization keeps an admin, as by hand."""
    org = make_organization("Kept Co", ["scim"])
    domain = unique_domain("kept")
    make_verified_domain(org, domain)
    admin_email = f"boss@{domain}"
    admin_id = make_member(admin_email, org, "admin")
    scim = ScimClient(server.url, make_directory(org))
    try:
        pushed = scim.post(
            "/Users",
            {
                "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
                "userName": admin_email,
                "emails": [{"value": admin_email, "primary": True}],
                "active": False,
            },
        )
        assert pushed.status_code == 400 and "last active admin" in pushed.json()["detail"], pushed.text
        assert standing(admin_id, org) == {"status": "active", "role": "admin"}
        make_member(f"second@{domain}", org, "admin")  # with another admin, the IdP decides
        created = scim.create_user(admin_email)
        answer = scim.patch(f"/Users/{created['id']}", [{"op": "replace", "path": "active", "value": False}])
        assert answer.status_code == 200, answer.text
        assert standing(admin_id, org) == {"status": "suspended", "role": "admin"}
    finally:
        scim.close()


# -- 3. crafted input that answers 5xx, and the SCIM body limit ---------------------------------


def test_a_huge_start_index_is_a_scim_error_not_a_500(attacker: tuple[str, str, ScimClient]) -> None:
    _, domain, scim = attacker
    scim.create_user(f"paged@{domain}")
    answer = scim.get("/Users", startIndex=str(10**20))
    assert answer.status_code < 500, answer.text


def test_a_scim_body_between_64_kib_and_the_advertised_1_mib_is_accepted(
    attacker: tuple[str, str, ScimClient],
) -> None:
    """input_validation.LARGER_BODIES lets /scim/ bodies reach 1 MiB ("a group pushed whole, with
    thousands of members"), but Litestar's app-wide request_max_body_size (64 KiB) answers first,
    with a non-SCIM 413: an IdP's group push of a couple of thousand members is refused."""
    _, domain, scim = attacker
    member = scim.create_user(f"many@{domain}")
    group = scim.create_group("Everyone")
    operations = [{"op": "add", "path": "members", "value": [{"value": member["id"]}]}] * 1500  # ~110 KiB
    answer = scim.patch(f"/Groups/{group['id']}", operations)
    assert answer.status_code == 200, (answer.status_code, answer.text[:200])


# -- 4. races on PostgreSQL: apply_standing changes memberships without the organization lock ------


def test_a_hand_role_change_racing_a_group_push_never_leaves_a_hand_set_role_marked_as_the_directorys(
    server: ServerProcess, backend: Backend
) -> None:
    """change_member_role reads role_managed_by under lock_organization; apply_standing (SCIM) writes
    role and role_managed_by without taking that lock. A hand change that reads before the push
    commits and writes after it leaves a role nobody mapped, marked as the directory's (so no admin
    may correct it by hand), or, with the admin role, skips the last-admin rule the same way."""
    import random
    import threading

    from resolvers.managing_members import RoleManagedByDirectory, change_member_role
    from resolvers.principal import SystemPrincipal

    if backend.name != "postgres":
        pytest.skip("races need PostgreSQL (TENANTRY_TEST_BACKEND=postgres)")
    org = make_organization("Raced Co", ["scim"])
    domain = unique_domain("raced")
    make_verified_domain(org, domain)
    suffix = org[-8:].lower()
    make_role(f"lead_{suffix}", ["sk_org_users_read"])
    make_role(f"viewer_{suffix}", ["sk_org_settings_read"])
    directory = make_directory(org)
    pusher = ScimClient(server.url, directory)
    person = pusher.create_user(f"raced@{domain}")
    group = pusher.create_group("Leads")
    from resolvers.directories import update_directory

    run(
        update_directory(SystemPrincipal("test"), directory.id, group_roles=[(group["id"], f"lead_{suffix}")])
    )
    user_id = run(
        DirectoryUser.select(DirectoryUser.user).where(DirectoryUser.id == person["id"]).first().run()
    )["user"]  # type: ignore[index]
    from tests.support.factories import membership_id

    member = membership_id(user_id, org)
    broken: list[tuple[int, Any]] = []
    try:
        for round_ in range(40):
            push = threading.Thread(
                target=pusher.patch,
                args=(
                    f"/Groups/{group['id']}",
                    [{"op": "add", "path": "members", "value": [{"value": person["id"]}]}],
                ),
            )
            push.start()
            time.sleep(random.uniform(0, 0.05))
            try:
                run(change_member_role(SystemPrincipal("test"), member, f"viewer_{suffix}"))
            except RoleManagedByDirectory:
                pass
            push.join()
            row = run(
                Membership.select(Membership.role.key.as_alias("role"), Membership.role_managed_by)
                .where(Membership.id == member)
                .first()
                .run()
            )
            if row["role"] == f"viewer_{suffix}" and row["role_managed_by"] == directory.id:  # type: ignore[index]
                broken.append((round_, dict(row)))  # type: ignore[arg-type]
            removed = pusher.patch(
                f"/Groups/{group['id']}", [{"op": "remove", "path": f'members[value eq "{person["id"]}"]'}]
            )
            assert removed.status_code == 200, removed.text
    finally:
        pusher.close()
    assert broken == [], f"hand-set roles marked as the directory's in rounds {broken}"


def test_another_tenants_directory_cannot_sign_a_stranger_out_by_linking_then_deactivating_them(
    attacker: tuple[str, str, ScimClient],
) -> None:
    """The same linking, then `active: false`: end_grants_in_organization ends every session of a
    person with no other active membership, so a hostile tenant signs any self-signed-up person out
    of everything, as often as it likes (a session with no app grant counts as "only here")."""
    from resolvers.sessions import is_session_live

    _, _, scim = attacker
    email = unique_email("stranger")
    victim = sign_in(email)
    assert run(is_session_live(victim.session_id))
    pushed = scim.post(
        "/Users",
        {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": email, "active": False},
    )
    assert pushed.status_code == 400, pushed.text  # not linked, so never deactivated
    assert run(is_session_live(victim.session_id)), "another tenant's IdP ended the stranger's session"
