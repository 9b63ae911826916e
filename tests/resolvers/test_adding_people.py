"""Adding a person by address (CLI, integrators' tools, demo seed, factories): one account per
address, and nothing left behind when the membership cannot be made."""

import pytest

from db.users import User
from resolvers.adding_people import add_person
from resolvers.errors import NotFound
from resolvers.principal import SystemPrincipal
from tests.support.factories import make_organization, run
from tests.support.people import unique_email

OPERATOR = SystemPrincipal("test")
pytestmark = pytest.mark.usefixtures("server")  # the session server migrated the database


def accounts_at(email: str) -> int:
    return int(run(User.count().where(User.email == email).run()))


def test_an_unknown_role_refuses_and_leaves_no_account_behind() -> None:
    organization = make_organization("Half Written Co")
    email = unique_email("orphan")

    with pytest.raises(NotFound):
        run(add_person(OPERATOR, organization_id=organization, email=email, role_key="no-such-role"))

    assert accounts_at(email) == 0


def test_an_address_with_an_account_joins_as_that_account_in_each_organization() -> None:
    first, second = make_organization("First Co"), make_organization("Second Co")
    email = unique_email("twice")

    joined = run(add_person(OPERATOR, organization_id=first, email=email, role_key="member"))
    again = run(add_person(OPERATOR, organization_id=second, email=email.upper(), role_key="admin"))

    assert again.user_id == joined.user_id
    assert again.membership_id != joined.membership_id
    assert accounts_at(email) == 1
