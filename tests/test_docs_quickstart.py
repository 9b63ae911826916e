"""The integrator quickstart, run exactly as written (parsed from docs/integrators.md) against the test server."""

import json
import re
import subprocess
from pathlib import Path

from tests.conftest import SECRET_KEY
from tests.support.backend import Backend
from tests.support.server import REPO, TENANTRY, ServerProcess, tenantry_env

MARKER = "<!-- quickstart:"


def quickstart_commands() -> str:
    """The first ```sh block after the quickstart marker in docs/integrators.md."""
    readme = (REPO / "docs" / "integrators.md").read_text()
    after = readme[readme.index(MARKER) :]
    block = re.search(r"```sh\n(.*?)```", after, re.DOTALL)
    assert block is not None, "docs/integrators.md has a quickstart block"
    return block.group(1)


def test_the_integrator_quickstart_gets_a_token_and_answers_a_graphql_query(
    backend: Backend, server: ServerProcess, tmp_path: Path
) -> None:
    commands = quickstart_commands()
    assert "http://localhost:8000" in commands and ".venv/bin/tenantry" in commands
    script = commands.replace("http://localhost:8000", server.url).replace(".venv/bin/tenantry", TENANTRY)
    env = tenantry_env({"TENANTRY_DATABASE_URL": backend.database_url, "TENANTRY_SECRET_KEY": SECRET_KEY})
    result = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    assert "errors" not in answer, answer
    assert isinstance(answer["data"]["organizations"]["nodes"], list), "the integrator-only field answered"
