"""The demo environment: the "Coffee Desk" application and "Acme Coffee" with an admin and a member."""

from dataclasses import dataclass

from db.environment import Application, EnvironmentSettings
from db.orgs import Membership, Organization
from db.transaction import transaction
from resolvers.adding_people import add_person
from resolvers.clock import now
from resolvers.crypto import hash_token, mac
from resolvers.deployment import Deployment
from resolvers.organizations import FEATURES, create_organization
from resolvers.principal import SystemPrincipal
from resolvers.seed import ENVIRONMENT_ID
from resolvers.users import find_user_by_email

DEMO_CLIENT_ID = "app_coffeedesk"
DEMO_ORGANIZATION_ID = "org_demo_acme_coffee"
DEMO_ORGANIZATION = "Acme Coffee"
DEMO_PEOPLE = (  # (stable user id, email, first name, last name, role)
    ("usr_demo_ada", "ada@acme-coffee.example.com", "Ada", "Admin", "admin"),
    ("usr_demo_max", "max@acme-coffee.example.com", "Max", "Member", "member"),
)


@dataclass(frozen=True, slots=True)
class DemoEnvironment:
    client_id: str
    client_secret: str
    organization_id: str
    people: tuple[tuple[str, str], ...]  # (email, role)


def demo_client_secret(deployment: Deployment) -> str:
    """Derived from the secret key, so the demo app needs no stored secret."""
    return "tns_demo_" + mac(deployment.secret_key, b"demo-client", DEMO_CLIENT_ID.encode())


async def seed_demo(deployment: Deployment) -> DemoEnvironment:
    """Seed once, by stable ids: what a person renamed, removed or rebranded since stays as they left it.

    The application goes in last and marks the seed complete; a seed cut short resumes where it
    stopped, each step skipping what its stable id already names.
    """
    secret = demo_client_secret(deployment)
    if not await Application.exists().where(Application.id == DEMO_CLIENT_ID):
        organization_id = await _seed_organization_and_people()
        await _seed_application(deployment, secret)
    else:
        organization_id = await _seeded_organization_id()
    return DemoEnvironment(
        client_id=DEMO_CLIENT_ID,
        client_secret=secret,
        organization_id=organization_id,
        people=tuple((email, role) for _, email, _, _, role in DEMO_PEOPLE),
    )


async def _seed_organization_and_people() -> str:
    principal = SystemPrincipal("demo")
    organization_id = await _seeded_organization_id() or await create_organization(
        principal, name=DEMO_ORGANIZATION, features=list(FEATURES), organization_id=DEMO_ORGANIZATION_ID
    )
    for user_id, email, first, last, role in DEMO_PEOPLE:
        if await _is_member(user_id, email, organization_id):
            continue  # a seed cut short resumes: whoever is already a member stays as they are
        await add_person(
            principal,
            organization_id=organization_id,
            email=email,
            role_key=role,
            first_name=first,
            last_name=last,
            source="demo",
            user_id=user_id,  # a new account gets the stable id; one who signed up first keeps theirs
        )
    return organization_id


async def _is_member(user_id: str, email: str, organization_id: str) -> bool:
    """Whether the demo person (by stable id, or by address if they signed up first) is a member."""
    found = await find_user_by_email(email)
    people = {user_id, found.id} if found else {user_id}
    return bool(
        await Membership.exists().where(
            Membership.user.is_in(list(people)) & (Membership.organization == organization_id)
        )
    )


async def _seeded_organization_id() -> str:
    """The demo organization: by its stable id, or (seeded before stable ids) through a demo membership."""
    if await Organization.exists().where(Organization.id == DEMO_ORGANIZATION_ID):
        return DEMO_ORGANIZATION_ID
    legacy = await Membership.select(Membership.organization).where(Membership.source == "demo").first()
    return str(legacy["organization"]) if legacy else ""


async def _seed_application(deployment: Deployment, secret: str) -> None:
    issuer = deployment.issuer
    async with transaction():
        await EnvironmentSettings.update({EnvironmentSettings.app_name: "Coffee Desk"}).where(
            EnvironmentSettings.id == ENVIRONMENT_ID
        )
        await Application.insert(
            Application(
                id=DEMO_CLIENT_ID,
                name="Coffee Desk",
                client_type="confidential",
                secret_hash=hash_token(secret),
                redirect_uris=[f"{issuer}/demo/callback"],
                post_logout_redirect_uris=[f"{issuer}/demo/signed-out"],
                initiate_login_uri=f"{issuer}/demo/login",
                grant_types=["authorization_code", "refresh_token"],
                created_at=now(),
            )
        )
