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
from tests.support.graphql import error_codes
from tests.support.in_process import sign_in
from tests.support.people import unique_email
from tests.support.scim import Directory, ScimClient, make_directory
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


def test_another_tenants_directory_cannot_move_the_sign_in_address_of_an_account_it_linked_by_email(
    attacker: tuple[str, str, ScimClient],
) -> None:
    """A person who signed up on their own (no organization yet) is linked by email by a hostile
    tenant's directory, which then "follows" the IdP and moves the account's sign-in address to a
    mailbox the attacker controls: the attacker signs in as the victim (account takeover)."""
    _, domain, scim = attacker
    victim_email = unique_email("victim")
    victim = sign_in(victim_email, first_name="Victor", last_name="Victim")

    created = scim.create_user(victim_email)
    linked = run(
        DirectoryUser.select(DirectoryUser.user).where(DirectoryUser.id == created["id"]).first().run()
    )
    assert linked is not None and linked["user"] == victim.user_id  # joined as the same user (by design)

    stolen = f"owned-{victim.user_id[-6:]}@{domain}"
    moved = scim.patch(
        f"/Users/{created['id']}",
        [{"op": "replace", "path": "emails", "value": [{"value": stolen, "type": "work", "primary": True}]}],
    )
    assert moved.status_code in (200, 400), moved.text

    after = account(victim.user_id)
    assert after["email"] == victim_email, "another tenant's IdP moved the victim's sign-in address"
    assert (after["first_name"], after["last_name"]) == ("Victor", "Victim"), "and renamed them"
    # what the attacker gets: signing in at their own mailbox opens the victim's account
    assert sign_in(stolen).user_id != victim.user_id


# -- 2. a directory operator acts above their authority ------------------------------------------


def test_a_scim_operator_cannot_suspend_the_organizations_admin_through_their_directory(
    server: ServerProcess,
) -> None:
    """Someone who holds sk_org_scim_manage but not the admin's permissions cannot touch an admin by
    hand (RoleOutranksYou, LastAdmin). Through a directory they created, pushing the admin's address
    with active:false suspends the organization's only admin and ends their sessions."""
    org = make_organization("Operated Co", ["scim"])
    domain = unique_domain("operated")
    make_verified_domain(org, domain)
    admin_email = f"boss@{domain}"
    admin_id = make_member(admin_email, org, "admin")
    role_key = f"scim_operator_{org[-8:].lower()}"
    make_role(role_key, ["sk_org_scim_manage", "sk_org_scim_read"])
    operator_email = unique_email("operator")
    make_member(operator_email, org, role_key)
    operator = sign_in(operator_email).portal()

    made = operator(CREATE, o=org, input={"provider": "GENERIC"})
    assert error_codes(made) == [], made
    directory = Directory(
        made["data"]["createDirectory"]["directory"]["id"], made["data"]["createDirectory"]["token"], org
    )
    scim = ScimClient(server.url, directory)
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
    finally:
        scim.close()
    assert standing(admin_id, org) == {"status": "active", "role": "admin"}, (
        f"the operator's directory suspended the only admin ({pushed.status_code})"
    )


def test_a_scim_operator_cannot_take_over_the_admins_account_by_moving_its_address(
    server: ServerProcess,
) -> None:
    """The same operator, with the admin linked by email, "follows the IdP": the admin's sign-in
    address moves to another (free) address at the organization's domain, one the operator can read
    (an alias, a shared mailbox). Signing in there opens the admin's account."""
    org = make_organization("Operated Co", ["scim"])
    domain = unique_domain("operated")
    make_verified_domain(org, domain)
    admin_email = f"boss@{domain}"
    admin_id = make_member(admin_email, org, "admin")
    role_key = f"scim_operator_{org[-8:].lower()}"
    make_role(role_key, ["sk_org_scim_manage", "sk_org_scim_read"])
    operator_email = unique_email("operator")
    make_member(operator_email, org, role_key)
    operator = sign_in(operator_email).portal()
    made = operator(CREATE, o=org, input={"provider": "GENERIC"})["data"]["createDirectory"]
    scim = ScimClient(server.url, Directory(made["directory"]["id"], made["token"], org))
    try:
        created = scim.create_user(admin_email)
        scim.patch(
            f"/Users/{created['id']}",
            [
                {
                    "op": "replace",
                    "path": "emails",
                    "value": [{"value": f"shared-inbox@{domain}", "primary": True}],
                }
            ],
        )
    finally:
        scim.close()
    assert account(admin_id)["email"] == admin_email, "the operator's directory moved the admin's address"


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
    victim = sign_in(unique_email("stranger"))
    assert run(is_session_live(victim.session_id))
    created = scim.create_user(
        run(User.select(User.email).where(User.id == victim.user_id).first().run())["email"]
    )  # type: ignore[index]
    answer = scim.patch(f"/Users/{created['id']}", [{"op": "replace", "path": "active", "value": False}])
    assert answer.status_code == 200, answer.text
    assert run(is_session_live(victim.session_id)), "another tenant's IdP ended the stranger's session"
