"""A Tenantry of its own for tests that break things: a server (SQLite file + Redis), its Redis
(started when the test says), its `tenantry worker`, and the `tenantry` CLI against them."""

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import SECRET_KEY
from tests.support.backend import Backend
from tests.support.server import ServerProcess, free_port, start_process, start_server, tenantry_env
from tests.support.smtp import MailSink


def redis_binary() -> str:
    found = shutil.which("redis-server")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("redis-server is missing")
        pytest.skip("redis-server is missing")
    return found


@dataclass
class Stack:
    """A server whose Redis is down until `start_redis`, and a worker once `start_worker`."""

    server: ServerProcess
    env: dict[str, str]
    workdir: Path
    redis_port: int
    redis: subprocess.Popen[bytes] | None = None
    worker: subprocess.Popen[bytes] | None = None

    def start_redis(self) -> None:
        self.redis = subprocess.Popen(
            [
                redis_binary(),
                "--port",
                str(self.redis_port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
        )

    def stop_redis(self) -> None:
        assert self.redis is not None
        self.redis.terminate()
        self.redis.wait(timeout=10)

    def start_worker(self) -> None:
        self.worker = start_process(["worker"], self.env, self.workdir / "worker.log")

    def cli(self, *args: str) -> dict[str, object]:
        done = subprocess.run(
            [str(Path(shutil.which("tenantry") or ".venv/bin/tenantry")), *args, "--json"],
            env=self.env,
            capture_output=True,
            check=True,
        )
        result: dict[str, object] = json.loads(done.stdout)
        return result

    def close(self) -> None:
        for process in (self.worker, self.redis):
            if process is not None and process.poll() is None:
                process.terminate()
                process.wait(timeout=10)
        self.server.stop()


def own_stack(backend: Backend, mail: MailSink, name: str) -> Iterator[Stack]:
    """Start it, hand it to the test, and stop every process afterwards (a generator for fixtures)."""
    redis_port = free_port()
    workdir = Path(backend.workdir) / f"{name}-{redis_port}"
    workdir.mkdir()
    env = {
        "TENANTRY_DATABASE_URL": f"sqlite:///{workdir}/{name}.sqlite3",
        "TENANTRY_SECRET_KEY": SECRET_KEY,
        "TENANTRY_SMTP_URL": mail.url,  # type: ignore[attr-defined]
        "TENANTRY_TRUSTED_PROXIES": "127.0.0.1",
        "TENANTRY_REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
    }
    server = start_server(env, str(workdir), name=f"{name}-server")
    built = Stack(server, tenantry_env({**env, "TENANTRY_PUBLIC_URL": server.url}), workdir, redis_port)
    yield built
    built.close()
