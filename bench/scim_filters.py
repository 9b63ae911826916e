"""SCIM searches through resolvers/scim_filters.py on one directory of --n users (and a second,
smaller one next to it): p50/p95 of `userName eq` and `emails co` pages, and the query plan of eq.

Inserts the rows in bulk (one tenantry_user, directory_user and email per SCIM user), then runs
--queries searches of each kind as the storage does: the page (`startIndex=1&count=100`, by id)
and its total. Target: `userName eq` p95 ≤ 20 ms, through an index (unique_name's).

Usage: python bench/scim_filters.py [--n 100000] [--queries 200] [--database-url URL]
"""

import argparse
import asyncio
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.fresh_database import fresh_database  # noqa: E402 - after the path is set

CHUNK = 1000  # rows per INSERT: within SQLite's and asyncpg's limits on bound parameters
PAGE = 100


def user_name(index: int) -> str:
    return f"Person.{index:06d}@Bench.example"


async def insert_directory(name: str, n: int) -> str:
    """An organization with one directory of n users, each with one work email."""
    from db.directories import Directory, DirectoryUser, DirectoryUserEmail
    from db.ids import new_id
    from db.orgs import Organization
    from db.users import User
    from resolvers.scim_resources import folded

    now = dt.datetime.now(dt.UTC)
    organization_id, directory_id = new_id("org"), new_id("dir")
    await Organization.insert(Organization(id=organization_id, name=name, created_at=now, updated_at=now))
    await Directory.insert(
        Directory(
            id=directory_id,
            organization=organization_id,
            name=name,
            provider="generic",
            created_at=now,
            updated_at=now,
        )
    )
    for start in range(0, n, CHUNK):
        people, users, emails = [], [], []
        for index in range(start, min(n, start + CHUNK)):
            person, user_id = new_id("usr"), new_id("dus")
            name_key = folded(user_name(index)) or ""
            address = f"{directory_id}.{index}@mail.example".lower()
            people.append(User(id=person, email=address, created_at=now, updated_at=now))
            users.append(
                DirectoryUser(
                    id=user_id,
                    directory=directory_id,
                    user=person,
                    link_key=f"{organization_id}:{person}",
                    user_name=user_name(index),
                    user_name_key=name_key,
                    unique_name=f"{directory_id}:{name_key}",
                    display_name=f"Person {index}",
                    display_name_key=f"person {index}",
                    email=address,
                    resource={"userName": user_name(index)},
                    created_at=now,
                    updated_at=now,
                )
            )
            emails.append(
                DirectoryUserEmail(
                    id=new_id("dem"),
                    directory_user=user_id,
                    value=address,
                    value_key=address,
                    type="work",
                    primary=True,
                )
            )
        await User.insert(*people)
        await DirectoryUser.insert(*users)
        await DirectoryUserEmail.insert(*emails)
    return directory_id


async def settle_statistics() -> None:
    """PostgreSQL's autovacuum analyzes a table after a bulk insert; do it now, so plans are the
    steady state's. SQLite gathers no statistics unless told, and Tenantry never tells it."""
    from piccolo.engine.postgres import PostgresEngine

    from db.directories import DirectoryUser

    if isinstance(DirectoryUser._meta.db, PostgresEngine):
        await DirectoryUser.raw("ANALYZE")


async def search(directory_id: str, filter_text: str) -> tuple[float, int, int]:
    """One page and its total, as the storage asks for them: milliseconds, rows, total."""
    from scim2_models import ScimFilter

    from db.directories import DirectoryUser
    from resolvers.scim_filters import users_order, users_where
    from resolvers.scim_resources import USER_MODEL

    started = time.perf_counter()
    where = users_where(directory_id, ScimFilter[USER_MODEL](filter_text).ast)
    order = users_order(None)
    rows = await (
        DirectoryUser.select(DirectoryUser.id)
        .where(where)
        .order_by(*order.columns, ascending=order.ascending)
        .limit(PAGE)
    )
    total = await DirectoryUser.count().where(where)
    return (time.perf_counter() - started) * 1000, len(rows), total


async def plan(directory_id: str, filter_text: str) -> str:
    """The engine's plan for the page query."""
    from piccolo.engine.postgres import PostgresEngine
    from scim2_models import ScimFilter

    from db.directories import DirectoryUser
    from resolvers.scim_filters import users_where
    from resolvers.scim_resources import USER_MODEL

    where = users_where(directory_id, ScimFilter[USER_MODEL](filter_text).ast)
    query = DirectoryUser.select(DirectoryUser.id).where(where).limit(PAGE)
    explain = "EXPLAIN" if isinstance(DirectoryUser._meta.db, PostgresEngine) else "EXPLAIN QUERY PLAN"
    rows: list[dict[str, Any]] = await DirectoryUser.raw(f"{explain} {{}}", query.querystrings[0])
    return "\n".join(str(row.get("QUERY PLAN") or row.get("detail")) for row in rows)


def summary(label: str, timings: list[float]) -> str:
    ordered = sorted(timings)
    p95 = ordered[int(len(ordered) * 0.95) - 1]
    median = statistics.median(ordered)
    return f"{label:<28} p50 {median:7.2f} ms   p95 {p95:7.2f} ms   ({len(ordered)} queries)"


async def run(n: int, queries: int) -> None:
    async with fresh_database():
        started = time.perf_counter()
        directory_id = await insert_directory("Bench SCIM", n)
        await insert_directory("Bench neighbour", min(n, 1000))
        print(f"inserted {n} directory users (+1000 in a neighbour) in {time.perf_counter() - started:.1f} s")
        await settle_statistics()
        picks = random.Random(7)
        eq_times, co_times = [], []
        for _ in range(queries):
            index = picks.randrange(n)
            elapsed, rows, total = await search(directory_id, f'userName eq "{user_name(index).upper()}"')
            assert rows == total == 1, (rows, total)
            eq_times.append(elapsed)
        for _ in range(queries):
            elapsed, rows, total = await search(directory_id, f'emails co ".{picks.randrange(n)}@"')
            assert rows == total == 1, (rows, total)
            co_times.append(elapsed)
        print(summary("userName eq (page + count)", eq_times))
        print(summary("emails co (page + count)", co_times))
        eq_plan = await plan(directory_id, 'userName eq "person.000001@bench.example"')
        print("plan of userName eq:\n  " + eq_plan.replace("\n", "\n  "))
        # unique_name is "<directory id>:<user_name_key>": eq is one probe of its unique index
        indexed = "unique_name" in eq_plan or "user_name_key" in eq_plan
        print("eq probes an index on the userName key:", indexed)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    os.environ["TENANTRY_DATABASE_URL"] = args.database_url or f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
    asyncio.run(run(args.n, args.queries))


if __name__ == "__main__":
    main()
