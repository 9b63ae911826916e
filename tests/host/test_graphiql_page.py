"""GraphiQL's page when the frontend was never built: it says how to build it, not "Loading..."."""

from pathlib import Path

import httpx

from tests.conftest import SECRET_KEY
from tests.support.server import start_server


def test_graphiql_without_its_built_bundle_says_to_build_the_frontend(tmp_path: Path) -> None:
    empty_dist = tmp_path / "dist"
    empty_dist.mkdir()
    server = start_server(
        {
            "TENANTRY_DATABASE_URL": f"sqlite:///{tmp_path}/graphiql.sqlite3",
            "TENANTRY_SECRET_KEY": SECRET_KEY,
            "TENANTRY_DEMO": "1",
            "TENANTRY_FRONTEND_DIST": str(empty_dist),
        },
        str(tmp_path),
    )
    try:
        page = httpx.get(f"{server.url}/graphql", headers={"Accept": "text/html"})
    finally:
        server.stop()
    assert page.status_code == 503
    assert "./run build-frontend" in page.text
    assert "/static/graphiql/graphiql.js" not in page.text
