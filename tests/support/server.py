"""Runs the real `tenantry` command as a subprocess, as an operator would."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[2]
TENANTRY = str(Path(sys.executable).parent / "tenantry")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class ServerProcess:
    url: str
    process: subprocess.Popen[bytes]
    log_path: Path
    env: dict[str, str] = field(default_factory=dict)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def tenantry_env(extra: dict[str, str]) -> dict[str, str]:
    env = {
        k: v for k, v in os.environ.items() if not k.startswith("TENANTRY_") or k.startswith("TENANTRY_TEST_")
    }
    env.update(extra)
    return env


def start_process(args: list[str], env: dict[str, str], log_path: Path) -> subprocess.Popen[bytes]:
    with log_path.open("ab") as log:
        return subprocess.Popen([TENANTRY, *args], cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)


def start_server(
    env: dict[str, str], workdir: str, *, name: str = "server", command: str = "serve"
) -> ServerProcess:
    port = free_port()
    url = f"http://localhost:{port}"
    full_env = tenantry_env({**env, "TENANTRY_PUBLIC_URL": url})
    log_path = Path(workdir) / f"{name}.log"
    process = start_process([command, "--port", str(port), "--log-level", "warning"], full_env, log_path)
    server = ServerProcess(url=url, process=process, log_path=log_path, env=full_env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"tenantry {command} exited early:\n{server.log()}")
        try:
            if httpx.get(f"{url}/health/ready", timeout=2).status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    server.stop()
    raise RuntimeError(f"tenantry {command} did not become ready:\n{server.log()}")


def run_cli(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [TENANTRY, *args],
        cwd=REPO,
        env=tenantry_env(env),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def node_available() -> bool:
    return shutil.which("node") is not None
