"""Token endpoint throughput and latency for one server process pinned to one core.

Prints client-credentials and refresh-token grants per second with p50/p99 latency, measured
with wrk (Debian's package; `apt-get install wrk`) on the other core. Refresh requests rotate a
pool of real refresh tokens, each response feeding its successor back into the pool.

Usage: python bench/token_endpoint.py [--seconds 10] [--connections 16] [--database-url URL]
"""

import argparse
import asyncio
import base64
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
SECRET_KEY = "bench-secret-key-0123456789abcdefghijklmnop"
POOL = 64

CLIENT_CREDENTIALS_LUA = """
wrk.method = "POST"
wrk.body = "grant_type=client_credentials"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Authorization"] = "Basic {auth}"
"""

REFRESH_LUA = """
local tokens = {{}}
for line in io.lines("{tokens}") do table.insert(tokens, line) end
request = function()
  local token = table.remove(tokens, 1) or "exhausted"
  return wrk.format("POST", nil, {{["Content-Type"] = "application/x-www-form-urlencoded",
    ["Authorization"] = "Basic {auth}"}}, "grant_type=refresh_token&refresh_token=" .. token)
end
response = function(status, headers, body)
  local token = body:match('"refresh_token":"([^"]+)"')
  if token then table.insert(tokens, token) end
end
"""


def _pin(core: int) -> list[str]:
    return ["taskset", "-c", str(core)] if shutil.which("taskset") and (os.cpu_count() or 1) > 1 else []


def _wrk(name: str, script: Path, url: str, seconds: float, connections: int) -> None:
    command = [
        *_pin(1),
        "wrk",
        "-t1",
        f"-c{connections}",
        f"-d{int(seconds)}s",
        "--latency",
        "-s",
        str(script),
        url,
    ]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout  # noqa: S603
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    p50 = re.search(r"50%\s+([\d.]+\w+)", output)
    p99 = re.search(r"99%\s+([\d.]+\w+)", output)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    print(
        f"{name:<20} {float(rate.group(1)) if rate else 0:8.0f} req/s   p50 {p50.group(1) if p50 else '?':>8}"
        f"   p99 {p99.group(1) if p99 else '?':>8}   errors {errors.group(1) if errors else 0}"
        f"   ({connections} connections, {seconds:.0f} s)",
        flush=True,
    )


async def _prepare(url: str, workdir: Path) -> tuple[str, Path]:
    """A confidential client and a pool of refresh tokens, made through the real resolvers."""
    from db.transaction import transaction
    from resolvers.applications import create_application
    from resolvers.deployment import Deployment
    from resolvers.principal import SystemPrincipal
    from resolvers.refresh_tokens import issue_refresh_token
    from resolvers.sessions import create_session
    from resolvers.users import create_verified_user

    deployment = Deployment(public_url=url, secret_key=SECRET_KEY)
    app = await create_application(
        SystemPrincipal("bench"),
        name="Bench",
        redirect_uris=["https://bench.example.com/cb"],
        grant_types=["authorization_code", "refresh_token", "client_credentials"],
        private_networks=deployment.allows_private_networks,
    )
    auth = base64.b64encode(f"{app.client.id}:{app.client_secret}".encode()).decode()
    async with transaction():
        user_id = await create_verified_user("bench@example.com", "Bench", "User")
    session = await create_session(user_id=user_id, organization_id=None, amr=["otp"], ip="", user_agent="b")
    tokens = []
    for _ in range(POOL):
        token, _ = await issue_refresh_token(
            family=None,
            application_id=app.client.id,
            user_id=user_id,
            session_id=session.id,
            organization_id=None,
            scope="openid profile email",
            lifetime_days=1,
        )
        tokens.append(token)
    token_file = workdir / "tokens.txt"
    token_file.write_text("\n".join(tokens) + "\n")
    return auth, token_file


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--database-url", default=None, help="default: a fresh SQLite file")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("bench needs wrk: apt-get install wrk")
    workdir = Path(tempfile.mkdtemp(prefix="tenantry-bench-"))
    database_url = args.database_url or f"sqlite:///{workdir}/bench.sqlite3"
    os.environ["TENANTRY_DATABASE_URL"] = database_url
    from db.connection import bind

    bind(database_url)  # set-up through the resolvers, a connection per query, beside the server
    port = 18765
    url = f"http://localhost:{port}"
    env = {
        **os.environ,
        "TENANTRY_PUBLIC_URL": url,
        "TENANTRY_SECRET_KEY": SECRET_KEY,
    }
    tenantry = str(Path(sys.executable).parent / "tenantry")
    command = [*_pin(0), tenantry, "serve", "--port", str(port), "--log-level", "warning"]
    server = subprocess.Popen(command, env=env, cwd=REPO)  # noqa: S603
    try:
        for _ in range(300):
            try:
                if httpx.get(f"{url}/health/ready", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        auth, token_file = asyncio.run(_prepare(url, workdir))
        cc_script = workdir / "client_credentials.lua"
        cc_script.write_text(CLIENT_CREDENTIALS_LUA.format(auth=auth))
        refresh_script = workdir / "refresh.lua"
        refresh_script.write_text(REFRESH_LUA.format(auth=auth, tokens=token_file))
        engine = database_url.split(":")[0]
        print(f"Tenantry token endpoint: one server process on one core, {engine}; wrk on the other core")
        _wrk("warm-up", cc_script, f"{url}/oauth/token", 2, args.connections)
        _wrk("client_credentials", cc_script, f"{url}/oauth/token", args.seconds, args.connections)
        _wrk("refresh_token", refresh_script, f"{url}/oauth/token", args.seconds, args.connections)
    finally:
        server.terminate()
        server.wait()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
