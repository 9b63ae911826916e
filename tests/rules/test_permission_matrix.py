"""Every permission-gated field and mutation, as every kind of caller, through GraphQL.

The list of operations is checked against the SDL itself, so a new gated field fails this test
until it is covered here. Callers: admin, member, a custom role with only sk_org_settings_read,
twelve custom roles that each hold one system permission (a `_manage` one includes its `_read`),
an admin of another organization, anonymous, an integrator (client_credentials token), and an app
holding the admin's own access token (it acts as the admin, but never on their passkeys or sessions).
An allowed caller must get real data back (no null, no unexpected Problem), a denied one an error.
"""

import re
import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace

import pytest

from resolvers.memberships import user_principal
from resolvers.permissions import effective_permissions
from resolvers.principal import Principal
from resolvers.seed import SYSTEM_PERMISSIONS
from resolvers.widget_tokens import WIDGET_PERMISSIONS, Widget
from schema.build import schema
from tests.conftest import SECRET_KEY
from tests.support.factories import (
    make_app,
    make_invitation,
    make_member,
    make_organization,
    make_role,
    membership_id,
)
from tests.support.graphql import error_codes
from tests.support.in_process import (
    InProcessCaller,
    anonymous_caller,
    integrator_caller,
    sign_in,
    this_tiers_deployment,
)
from tests.support.people import unique_email

ALL = frozenset(SYSTEM_PERMISSIONS)
SIGNED_IN = "signed_in"  # a person: in the portal, or an app holding their access token
PORTAL = "portal"  # the person themself in the portal (their passkeys and sessions)
INTEGRATOR = frozenset({"integrator"})
ALL_FEATURES = ["sso", "scim", "domain_verification", "session_policy"]


@dataclass
class World:
    org_a: str
    org_b: str
    target_member: str  # a guest of A whose role the matrix sets to the guest role again (a no-op)
    guest_role: str  # a role with no permissions: anyone with a users_* permission may act on it
    callers: dict[str, InProcessCaller]


@dataclass(frozen=True)
class Operation:
    requires: frozenset[str]  # permissions in organization A, or {SIGNED_IN}, or {PORTAL}
    document: Callable[[World], str]
    # errors an allowed caller may still get (an unknown id of their own); a denied one never does
    allowed_codes: frozenset[str] = frozenset()
    # Problem members of the result union an allowed caller may get (the resolver ran and said no)
    allowed_problems: frozenset[str] = frozenset()
    # `@refusesAppTokens`: the person in the portal or an integrator, never an app holding a token
    refuses_app_tokens: bool = False
    # the person's own account (their profile): a widget token opens an organization's widgets only
    refuses_widget_tokens: bool = False


OPERATIONS: dict[str, Operation] = {
    "Query.viewer": Operation(frozenset({SIGNED_IN}), lambda w: "{ viewer { user { email } } }"),
    "Viewer.passkeys": Operation(frozenset({PORTAL}), lambda w: "{ viewer { passkeys { nodes { id } } } }"),
    "Viewer.sessions": Operation(frozenset({PORTAL}), lambda w: "{ viewer { sessions { nodes { id } } } }"),
    "Query.organization": Operation(
        frozenset({"sk_org_settings_read"}),
        lambda w: f'{{ organization(organizationId: "{w.org_a}") {{ id }} }}',
    ),
    "Organization.name": Operation(
        frozenset({"sk_org_settings_read"}),
        lambda w: f'{{ organization(organizationId: "{w.org_a}") {{ name }} }}',
    ),
    "Organization.allowedEmailDomains": Operation(
        frozenset({"sk_org_settings_read"}),
        lambda w: f'{{ organization(organizationId: "{w.org_a}") {{ allowedEmailDomains }} }}',
    ),
    "Organization.features": Operation(
        frozenset({"sk_org_settings_read"}),
        lambda w: f'{{ organization(organizationId: "{w.org_a}") {{ features }} }}',
    ),
    "Organization.members": Operation(
        frozenset({"sk_org_settings_read", "sk_org_users_read"}),
        lambda w: f'{{ organization(organizationId: "{w.org_a}") {{ members {{ nodes {{ id }} }} }} }}',
    ),
    "Mutation.updateOrganization": Operation(
        frozenset({"sk_org_settings_manage"}),
        lambda w: (
            f'mutation {{ updateOrganization(input: {{organizationId: "{w.org_a}", name: "Matrix A"}}) '
            "{ __typename } }"
        ),
    ),
    "Mutation.changeMemberRole": Operation(
        frozenset({"sk_org_users_role_change"}),
        lambda w: (
            f'mutation {{ changeMemberRole(memberId: "{w.target_member}", role: "{w.guest_role}") {{ __typename }} }}'
        ),
    ),
    "Mutation.removeMember": Operation(
        frozenset({"sk_org_users_delete"}),
        lambda w: 'mutation { removeMember(memberId: "%s") { __typename } }' % fresh_member(w),  # noqa: UP031
    ),
    "Organization.invitations": Operation(
        frozenset({"sk_org_settings_read", "sk_org_users_read"}),
        lambda w: f'{{ organization(organizationId: "{w.org_a}") {{ invitations {{ nodes {{ id }} }} }} }}',
    ),
    "Mutation.inviteMembers": Operation(
        frozenset({"sk_org_users_invite"}),
        lambda w: (
            f'mutation {{ inviteMembers(organizationId: "{w.org_a}", emails: ["{unique_email("invitee")}"], role: "{w.guest_role}") {{ __typename }} }}'
        ),
    ),
    "Mutation.resendInvitation": Operation(
        frozenset({"sk_org_users_invite"}),
        lambda w: (
            f'mutation {{ resendInvitation(invitationId: "{make_invitation(w.org_a, unique_email("resend"), w.guest_role)}") {{ __typename }} }}'
        ),
    ),
    "Mutation.revokeInvitation": Operation(
        frozenset({"sk_org_users_invite"}),
        lambda w: (
            f'mutation {{ revokeInvitation(invitationId: "{make_invitation(w.org_a, unique_email("revoke"), w.guest_role)}") {{ __typename }} }}'
        ),
    ),
    "Query.organizations": Operation(INTEGRATOR, lambda w: "{ organizations(first: 1) { nodes { id } } }"),
    "Mutation.createOrganization": Operation(
        INTEGRATOR, lambda w: 'mutation { createOrganization(name: "Made By Matrix") { __typename } }'
    ),
    "Mutation.setOrganizationFeatures": Operation(
        INTEGRATOR,
        lambda w: (
            f'mutation {{ setOrganizationFeatures(organizationId: "{w.org_a}", features: [SSO, SCIM, DOMAIN_VERIFICATION, SESSION_POLICY]) {{ id }} }}'
        ),
    ),
    "Mutation.createPermission": Operation(
        INTEGRATOR,
        lambda w: f'mutation {{ createPermission(key: "coffee:{secrets.token_hex(3)}") {{ __typename }} }}',
    ),
    "Mutation.createRole": Operation(
        INTEGRATOR,
        lambda w: (
            f'mutation {{ createRole(key: "r_{secrets.token_hex(3)}", name: "R", permissions: []) {{ __typename }} }}'
        ),
    ),
    "Mutation.setRolePermissions": Operation(
        INTEGRATOR,
        lambda w: (
            f'mutation {{ setRolePermissions(role: "{throwaway_role()}", permissions: ["sk_org_users_read"]) {{ __typename }} }}'
        ),
    ),
    "Mutation.updateBranding": Operation(
        INTEGRATOR, lambda w: 'mutation { updateBranding(input: {primaryColor: "#4f46e5"}) { __typename } }'
    ),
    "Mutation.createApplication": Operation(
        INTEGRATOR,
        lambda w: (
            'mutation { createApplication(input: {name: "Matrix App", redirectUris: ["https://m.example.com/cb"]}) { __typename } }'
        ),
    ),
    "Mutation.createWidgetToken": Operation(
        INTEGRATOR,
        lambda w: (
            f'mutation {{ createWidgetToken(organizationId: "{w.org_a}", userId: "usr_not_a_member", '
            "widgets: [MEMBERS]) { __typename } }"
        ),
        allowed_problems=frozenset({"InvalidInput"}),  # minting for a real member: test_widget_tokens
    ),
    "Mutation.revokeSession": Operation(
        frozenset({PORTAL}), lambda w: 'mutation { revokeSession(sessionId: "ses_not_mine") }'
    ),
    "Mutation.revokeOtherSessions": Operation(
        frozenset({PORTAL}), lambda w: "mutation { revokeOtherSessions }"
    ),
    "Organization.sessionPolicy": Operation(
        frozenset({"sk_org_settings_read", "sk_org_session_policy_read"}),
        lambda w: f'{{ organization(organizationId: "{w.org_a}") {{ sessionPolicy {{ custom }} }} }}',
    ),
    "Mutation.updateSessionPolicy": Operation(
        frozenset({"sk_org_session_policy_manage"}),
        lambda w: (
            f'mutation {{ updateSessionPolicy(organizationId: "{w.org_a}", custom: false) {{ __typename }} }}'
        ),
    ),
    "Query.webhookEndpoints": Operation(INTEGRATOR, lambda w: "{ webhookEndpoints { nodes { id } } }"),
    "Query.webhookEndpoint": Operation(
        INTEGRATOR,
        lambda w: '{ webhookEndpoint(endpointId: "whe_none") { id } }',
        allowed_codes=frozenset({"NOT_FOUND"}),
    ),
    "Query.backgroundJobs": Operation(
        INTEGRATOR, lambda w: "{ backgroundJobs(first: 1) { nodes { id kind } } }"
    ),
    "Mutation.createWebhookEndpoint": Operation(
        INTEGRATOR,  # an invalid URL: the answer is a union member, and nothing is created
        lambda w: (
            'mutation { createWebhookEndpoint(input: {url: "ftp://matrix.example.com"}) { __typename } }'
        ),
        allowed_problems=frozenset({"InvalidInput"}),
    ),
    "Mutation.updateWebhookEndpoint": Operation(
        INTEGRATOR,
        lambda w: (
            'mutation { updateWebhookEndpoint(input: {endpointId: "whe_none", enabled: false}) { __typename } }'
        ),
        allowed_codes=frozenset({"NOT_FOUND"}),
    ),
    "Mutation.deleteWebhookEndpoint": Operation(
        INTEGRATOR,
        lambda w: 'mutation { deleteWebhookEndpoint(endpointId: "whe_none") }',
        allowed_codes=frozenset({"NOT_FOUND"}),
    ),
    "Mutation.rotateWebhookSecret": Operation(
        INTEGRATOR,
        lambda w: 'mutation { rotateWebhookSecret(endpointId: "whe_none") { secret } }',
        allowed_codes=frozenset({"NOT_FOUND"}),
    ),
    "Mutation.replayWebhookDelivery": Operation(
        INTEGRATOR,
        lambda w: 'mutation { replayWebhookDelivery(deliveryId: "whd_none") }',
        allowed_codes=frozenset({"NOT_FOUND"}),
    ),
    "Mutation.beginPasskeyRegistration": Operation(
        frozenset({PORTAL}), lambda w: "mutation { beginPasskeyRegistration { __typename } }"
    ),
    "Mutation.finishPasskeyRegistration": Operation(
        frozenset({PORTAL}),
        lambda w: (
            'mutation { finishPasskeyRegistration(flowId: "wch_none", credential: {}, name: "Matrix") '
            "{ __typename } }"
        ),
        allowed_problems=frozenset({"PasskeyRejected"}),
    ),
    "Mutation.renamePasskey": Operation(
        frozenset({PORTAL}),
        lambda w: 'mutation { renamePasskey(passkeyId: "pky_none", name: "") { __typename } }',
        allowed_problems=frozenset({"InvalidInput"}),
    ),
    "Mutation.deletePasskey": Operation(
        frozenset({PORTAL}),
        lambda w: 'mutation { deletePasskey(passkeyId: "pky_not_mine") { __typename } }',
        allowed_codes=frozenset({"NOT_FOUND"}),
    ),
    "Mutation.updateProfile": Operation(
        frozenset({SIGNED_IN}),
        lambda w: 'mutation { updateProfile(firstName: "Mat", lastName: "Rix") { __typename } }',
        refuses_widget_tokens=True,
    ),
    "Mutation.switchOrganization": Operation(
        frozenset({PORTAL}),
        lambda w: f'mutation {{ switchOrganization(organizationId: "{w.org_a}") {{ __typename }} }}',
        allowed_problems=frozenset({"InvalidInput"}),
    ),
    "Organization.domains": Operation(
        frozenset({"sk_org_settings_read"}),
        lambda w: (
            f'{{ organization(organizationId: "{w.org_a}") {{ domains {{ nodes {{ id status }} }} }} }}'
        ),
    ),
    "Mutation.addDomain": Operation(
        frozenset({"sk_org_settings_manage"}),
        lambda w: (
            f'mutation {{ addDomain(organizationId: "{w.org_a}", name: "{secrets.token_hex(4)}.example.com") '
            "{ __typename } }"
        ),
    ),
    "Mutation.verifyDomain": Operation(
        frozenset({"sk_org_settings_manage"}),
        lambda w: f'mutation {{ verifyDomain(domainId: "{fresh_domain(w.org_a)}") {{ status }} }}',
    ),
    "Mutation.removeDomain": Operation(
        frozenset({"sk_org_settings_manage"}),
        lambda w: f'mutation {{ removeDomain(domainId: "{fresh_domain(w.org_a)}") {{ domain {{ id }} }} }}',
    ),
    "Organization.connections": Operation(
        frozenset({"sk_org_settings_read", "sk_org_sso_read"}),
        lambda w: (
            f'{{ organization(organizationId: "{w.org_a}") {{ connections {{ nodes {{ id status }} }} }} }}'
        ),
    ),
    "Query.connection": Operation(
        frozenset({"sk_org_sso_read"}),
        lambda w: f'{{ connection(connectionId: "{fresh_connection(w.org_a)}") {{ id status }} }}',
    ),
    "Mutation.createConnection": Operation(
        frozenset({"sk_org_sso_manage"}),
        lambda w: (
            f'mutation {{ createConnection(organizationId: "{w.org_a}", '
            f'input: {{provider: OKTA, defaultRole: "{w.guest_role}"}}) {{ __typename }} }}'
        ),
        refuses_app_tokens=True,
    ),
    "Mutation.updateConnection": Operation(
        frozenset({"sk_org_sso_manage"}),
        lambda w: (
            f'mutation {{ updateConnection(connectionId: "{fresh_connection(w.org_a)}", '
            'input: {name: "Matrix IdP"}) { __typename } }'
        ),
        refuses_app_tokens=True,
    ),
    "Mutation.enableConnection": Operation(
        frozenset({"sk_org_sso_manage"}),
        lambda w: (
            f'mutation {{ enableConnection(connectionId: "{fresh_connection(w.org_a)}") {{ __typename }} }}'
        ),
        allowed_problems=frozenset({"NotTested"}),  # a fresh draft: the rule ran and said no
        refuses_app_tokens=True,
    ),
    "Mutation.disableConnection": Operation(
        frozenset({"sk_org_sso_manage"}),
        lambda w: (
            f'mutation {{ disableConnection(connectionId: "{fresh_connection(w.org_a)}") {{ __typename }} }}'
        ),
        refuses_app_tokens=True,
    ),
    "Mutation.rotateConnectionCertificate": Operation(
        frozenset({"sk_org_sso_manage"}),
        lambda w: (
            f'mutation {{ rotateConnectionCertificate(connectionId: "{fresh_connection(w.org_a, "okta")}") '
            "{ __typename } }"
        ),
        refuses_app_tokens=True,
    ),
    "Organization.ssoRequirement": Operation(
        frozenset({"sk_org_settings_read", "sk_org_sso_read"}),
        lambda w: f'{{ organization(organizationId: "{w.org_a}") {{ ssoRequirement {{ required }} }} }}',
    ),
    "Mutation.updateSsoRequirement": Operation(
        frozenset({"sk_org_sso_manage"}),
        lambda w: (
            f'mutation {{ updateSsoRequirement(organizationId: "{w.org_a}", breakGlassUserIds: []) '
            "{ __typename } }"
        ),
        refuses_app_tokens=True,
    ),
    "Mutation.deleteConnection": Operation(
        frozenset({"sk_org_sso_manage"}),
        lambda w: (
            f'mutation {{ deleteConnection(connectionId: "{fresh_connection(w.org_a)}") {{ __typename }} }}'
        ),
        refuses_app_tokens=True,
    ),
    "Organization.directories": Operation(
        frozenset({"sk_org_settings_read", "sk_org_scim_read"}),
        lambda w: (
            f'{{ organization(organizationId: "{w.org_a}") {{ directories {{ nodes {{ id userCount }} }} }} }}'
        ),
    ),
    "Query.directory": Operation(
        frozenset({"sk_org_scim_read"}),
        lambda w: f'{{ directory(directoryId: "{fresh_directory(w.org_a)}") {{ id hasToken groupCount }} }}',
    ),
    "Directory.users": Operation(
        frozenset({"sk_org_scim_read"}),
        lambda w: (
            f'{{ directory(directoryId: "{fresh_directory(w.org_a)}") {{ users {{ nodes {{ id }} }} }} }}'
        ),
    ),
    "Directory.groups": Operation(
        frozenset({"sk_org_scim_read"}),
        lambda w: (
            f'{{ directory(directoryId: "{fresh_directory(w.org_a)}") {{ groups {{ nodes {{ id }} }} }} }}'
        ),
    ),
    "Directory.provisioningLog": Operation(
        frozenset({"sk_org_scim_read"}),
        lambda w: (
            f'{{ directory(directoryId: "{fresh_directory(w.org_a)}") '
            "{ provisioningLog { nodes { id } } } }"
        ),
    ),
    "Mutation.createDirectory": Operation(
        frozenset({"sk_org_scim_manage"}),
        lambda w: (
            f'mutation {{ createDirectory(organizationId: "{w.org_a}", input: {{provider: OKTA}}) '
            "{ __typename ... on DirectoryWithToken { token } } }"
        ),
        # the directive passes; the resolver wants authority over every role (a directory acts on all)
        allowed_problems=frozenset({"RoleOutranksYou"}),
        refuses_app_tokens=True,
    ),
    "Mutation.updateDirectory": Operation(
        frozenset({"sk_org_scim_manage"}),
        lambda w: (
            f'mutation {{ updateDirectory(directoryId: "{fresh_directory(w.org_a)}", '
            'input: {name: "Matrix Directory"}) { __typename } }'
        ),
        # the directive passes; the resolver wants authority over every role (a directory acts on all)
        allowed_problems=frozenset({"RoleOutranksYou"}),
        refuses_app_tokens=True,
    ),
    "Mutation.rotateDirectoryToken": Operation(
        frozenset({"sk_org_scim_manage"}),
        lambda w: (
            f'mutation {{ rotateDirectoryToken(directoryId: "{fresh_directory(w.org_a)}") {{ __typename }} }}'
        ),
        # the directive passes; the resolver wants authority over every role (a directory acts on all)
        allowed_problems=frozenset({"RoleOutranksYou"}),
        refuses_app_tokens=True,
    ),
    "Mutation.revokeDirectoryToken": Operation(
        frozenset({"sk_org_scim_manage"}),
        lambda w: (
            f'mutation {{ revokeDirectoryToken(directoryId: "{fresh_directory(w.org_a)}") {{ __typename }} }}'
        ),
        refuses_app_tokens=True,
    ),
    "Mutation.deleteDirectory": Operation(
        frozenset({"sk_org_scim_manage"}),
        lambda w: (
            f'mutation {{ deleteDirectory(directoryId: "{fresh_directory(w.org_a)}") {{ __typename }} }}'
        ),
        refuses_app_tokens=True,
    ),
}

SINGLE = {f"only_{permission}": permission for permission in sorted(SYSTEM_PERMISSIONS)}
WIDGET_CEILING = WIDGET_PERMISSIONS[Widget.MEMBERS] | WIDGET_PERMISSIONS[Widget.SESSION_POLICY]
NOT_THE_PERSON = ("app_admin", "widget_admin")  # act as the person, but are not them in the portal
GRANTS: dict[str, frozenset[str]] = {
    "admin": ALL,
    "member": frozenset({"sk_org_settings_read", "sk_org_users_read"}),
    "auditor": frozenset({"sk_org_settings_read"}),
    "other_admin": frozenset(),  # all twelve, but in organization B
    "app_admin": ALL,  # the admin of A, through an app holding their access token
    # the admin of A, through a widget token for the Members and Session policy widgets
    "widget_admin": effective_permissions(list(WIDGET_CEILING)),
    "anonymous": frozenset(),
    **{name: effective_permissions([permission]) for name, permission in SINGLE.items()},
}
PEOPLE = ("admin", "member", "auditor", "other_admin", *SINGLE)
CALLERS = (
    "admin",
    "member",
    "auditor",
    *SINGLE,
    "other_admin",
    "anonymous",
    "integrator",
    *NOT_THE_PERSON,
)
PROBLEMS = frozenset(re.findall(r"^type (\w+) implements Problem", schema.as_str(), re.MULTILINE))


def fresh_member(world: World) -> str:
    user_id = make_member(unique_email("removable"), world.org_a, world.guest_role)
    return membership_id(user_id, world.org_a)


def fresh_connection(organization_id: str, provider: str = "generic_oidc") -> str:
    """A draft SSO connection of `organization_id` (OIDC unless asked: no certificate to make)."""
    from resolvers.principal import SystemPrincipal
    from resolvers.sso_connections import create_connection
    from tests.support.factories import run

    made = create_connection(
        SystemPrincipal("test"), organization_id, secret_key=SECRET_KEY, provider=provider
    )
    return run(made).id


def fresh_directory(organization_id: str) -> str:
    """A SCIM directory of `organization_id`, with a token."""
    from resolvers.directories import create_directory
    from resolvers.principal import SystemPrincipal
    from tests.support.factories import run

    return run(create_directory(SystemPrincipal("test"), organization_id, provider="generic")).directory.id


def fresh_domain(organization_id: str) -> str:
    """A pending domain of `organization_id` (no record published: a check finds it absent)."""
    from resolvers.domains import add_domain
    from resolvers.principal import SystemPrincipal
    from tests.support.factories import run

    added = run(add_domain(SystemPrincipal("test"), organization_id, f"{secrets.token_hex(4)}.example.com"))
    return added.id


def throwaway_role() -> str:
    key = f"throwaway_{secrets.token_hex(3)}"
    make_role(key, [])
    return key


def allowed(caller: str, operation: Operation) -> bool:
    if operation.refuses_app_tokens and caller in NOT_THE_PERSON:
        return False
    if operation.refuses_widget_tokens and caller == "widget_admin":
        return False
    if operation.requires == INTEGRATOR:
        return caller == "integrator"
    if PORTAL in operation.requires:
        return caller in PEOPLE
    if SIGNED_IN in operation.requires:
        return caller in (*PEOPLE, *NOT_THE_PERSON)
    if caller == "integrator":
        return True
    return operation.requires <= GRANTS[caller]


def gated_fields_in_sdl() -> set[str]:
    coordinates: set[str] = set()
    current = None
    arguments_of = None  # a field whose arguments print one per line, up to its `): Type @…` line
    for line in schema.as_str().splitlines():
        opened = re.match(r"^type (\w+)", line)
        if opened:
            current = opened.group(1)
        elif line.startswith("}"):
            current = None
        elif current and (many := re.match(r"^  (\w+)\($", line)):
            arguments_of = many.group(1)
        elif current and "@requires" in line:
            field = re.match(r"^  (\w+)", line)
            name = field.group(1) if field else arguments_of
            assert name, line
            coordinates.add(f"{current}.{name}")
    return coordinates


def test_the_matrix_covers_every_gated_field_in_the_sdl() -> None:
    assert gated_fields_in_sdl() == set(OPERATIONS)


@pytest.fixture(scope="module")
def world(migrated: object) -> World:
    """Committed once for the module (outside any test's transaction); each test's changes roll back."""
    with this_tiers_deployment(SECRET_KEY):
        return make_world()


def make_world() -> World:
    suffix = secrets.token_hex(3)
    org_a = make_organization("Matrix A", ALL_FEATURES)
    org_b = make_organization("Matrix B")
    make_role(f"auditor_{suffix}", ["sk_org_settings_read"])
    guest_role = f"guest_{suffix}"
    make_role(guest_role, [])
    emails = {name: unique_email(name.replace("_", "-")) for name in PEOPLE}
    make_member(emails["admin"], org_a, "admin")
    make_member(emails["member"], org_a, "member")
    make_member(emails["auditor"], org_a, f"auditor_{suffix}")
    make_member(emails["other_admin"], org_b, "admin")
    for name, permission in SINGLE.items():
        make_role(f"{name}_{suffix}", [permission])
        make_member(emails[name], org_a, f"{name}_{suffix}")
    target = membership_id(make_member(unique_email("target"), org_a, guest_role), org_a)
    people = {name: sign_in(emails[name]) for name in PEOPLE}
    callers = {name: person.portal() for name, person in people.items()}
    callers["integrator"] = integrator_caller(make_app(grant_types=["client_credentials"]).client_id)
    callers["app_admin"] = people["admin"].app()
    callers["widget_admin"] = widget_caller(people["admin"].user_id, org_a)
    callers["anonymous"] = anonymous_caller()
    return World(org_a, org_b, target, guest_role, callers)


def widget_caller(user_id: str, organization_id: str) -> InProcessCaller:
    """The person through a widget token, as host/graphql.py makes its principal."""

    async def principal() -> Principal | None:
        person = await user_principal(user_id, None, organization_id, ceiling=WIDGET_CEILING)
        return replace(person, widgets=frozenset({"members", "session_policy"}), via_application="app_matrix")

    return InProcessCaller(principal)


def leaves(value: object) -> Iterator[object]:
    """Every scalar in an answer (a list's items, a type's fields), to find a null among them."""
    if isinstance(value, dict):
        for item in value.values():
            yield from leaves(item)
    elif isinstance(value, list):
        for item in value:
            yield from leaves(item)
    else:
        yield value


def typenames(value: object) -> set[str]:
    if isinstance(value, dict):
        found = {str(value["__typename"])} if "__typename" in value else set()
        return found.union(*(typenames(item) for item in value.values()))
    if isinstance(value, list):
        return set().union(*(typenames(item) for item in value))
    return set()


def assert_real_data(body: dict[str, object], operation: Operation) -> None:
    """The resolver answered: data with no null in it, and no Problem the operation does not expect."""
    data = body.get("data")
    assert isinstance(data, dict) and data, body
    assert None not in list(leaves(data)), body
    assert typenames(data) & PROBLEMS <= operation.allowed_problems, body


@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize("coordinate", sorted(OPERATIONS))
def test_each_caller_is_allowed_or_denied_exactly_as_the_sdl_declares(
    world: World, coordinate: str, caller: str
) -> None:
    operation = OPERATIONS[coordinate]
    body = world.callers[caller](operation.document(world))
    codes = error_codes(body)
    if allowed(caller, operation):
        assert set(codes) <= operation.allowed_codes, body
        if not codes:
            assert_real_data(body, operation)
    else:
        assert codes, f"{caller} should be denied {coordinate}: {body}"
        assert set(codes) <= {"FORBIDDEN", "NOT_FOUND", "UNAUTHENTICATED"} - operation.allowed_codes, body


def test_a_denied_mutation_changes_nothing(world: World) -> None:
    rename = 'mutation($id: ID!) { updateOrganization(input: {organizationId: $id, name: "Hijacked"}) { __typename } }'
    denied = [name for name in CALLERS if not allowed(name, OPERATIONS["Mutation.updateOrganization"])]
    assert {"member", "auditor", "only_sk_org_settings_read", "other_admin", "anonymous"} <= set(denied)
    for caller in denied:
        codes = error_codes(world.callers[caller](rename, id=world.org_a))
        assert codes == ["FORBIDDEN"] or (caller == "anonymous" and codes == ["UNAUTHENTICATED"]), caller
    name = world.callers["admin"](f'{{ organization(organizationId: "{world.org_a}") {{ name }} }}')
    assert name["data"]["organization"]["name"] == "Matrix A"


def test_an_admin_of_another_organization_cannot_read_members_by_id(world: World) -> None:
    body = world.callers["other_admin"](
        f'mutation {{ changeMemberRole(memberId: "{world.target_member}", role: "admin") {{ __typename }} }}'
    )
    assert error_codes(body) == ["FORBIDDEN"] or error_codes(body) == ["NOT_FOUND"]
    role = world.callers["admin"](
        f'{{ organization(organizationId: "{world.org_a}") {{ members(first: 100) {{ nodes {{ id role }} }} }} }}'
    )
    roles = {node["id"]: node["role"] for node in role["data"]["organization"]["members"]["nodes"]}
    assert roles[world.target_member] == world.guest_role
