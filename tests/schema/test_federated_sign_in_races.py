"""Single use and one-of-each hold when answers race (PostgreSQL with `TENANTRY_TEST_BACKEND=postgres`):
first sign-ins of one person, two uses of one attempt, two uses of one assertion."""

import asyncio
from typing import Any

import pytest

from db.federation import SSOIdentity
from db.orgs import Membership
from db.users import User
from resolvers.assertion_replay import remember_assertion
from resolvers.federated_identity import FederatedIdentity, FederationRefused
from resolvers.federated_sign_in import sign_in_person
from resolvers.sso_attempts import claim_attempt, start_attempt
from tests.support.factories import make_organization, run
from tests.support.sso import make_connection, make_verified_domain, unique_domain

RACERS = 6
pytestmark = pytest.mark.usefixtures("server")  # the server prepares the database


async def outcomes(*coroutines: Any) -> list[Any]:
    return list(await asyncio.gather(*coroutines, return_exceptions=True))


def test_racing_first_sign_ins_make_one_user_one_link_and_one_membership() -> None:
    org = make_organization("Racing SSO", ["sso"])
    domain = unique_domain()
    make_verified_domain(org, domain)
    connection = make_connection(org)
    for round_ in range(3):
        email = f"racer{round_}@{domain}"
        identity = FederatedIdentity(
            subject=f"sub-{round_}", email=email, first_name="R", last_name="R", groups=()
        )
        results = run(outcomes(*(sign_in_person(connection, identity) for _ in range(RACERS))))
        assert all(isinstance(result, str) for result in results), results
        assert len(set(results)) == 1
        assert run(User.count().where(User.email == email).run()) == 1
        assert run(SSOIdentity.count().where(SSOIdentity.user == results[0]).run()) == 1
        assert (
            run(
                Membership.count()
                .where((Membership.user == results[0]) & (Membership.organization == org))
                .run()
            )
            == 1
        )


def test_an_attempt_answered_twice_at_once_is_used_once() -> None:
    org = make_organization("Racing attempts", ["sso"])
    connection = make_connection(org)
    for _ in range(3):
        started = run(start_attempt(connection_id=connection.id, purpose="sign_in", settings_version=1))
        results = run(
            outcomes(
                *(
                    claim_attempt(started.attempt.id, connection.id, started.browser_secret)
                    for _ in range(RACERS)
                )
            )
        )
        won = [result for result in results if not isinstance(result, BaseException)]
        lost = [result for result in results if isinstance(result, FederationRefused)]
        assert len(won) == 1 and len(lost) == RACERS - 1, results
        assert {refusal.reason for refusal in lost} == {"replayed"}


def test_an_assertion_used_twice_at_once_is_accepted_once() -> None:
    for round_ in range(3):
        results = run(outcomes(*(remember_assertion("con_race", f"_a{round_}", None) for _ in range(RACERS))))
        assert results.count(None) == 1, results
        assert all(isinstance(result, FederationRefused) for result in results if result is not None)
