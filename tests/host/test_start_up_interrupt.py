"""Ctrl+C while `tenantry serve` is still starting stops it within seconds, with one line."""

import os
import signal
import socket
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.server import REPO, TENANTRY, free_port, tenantry_env

PROMPTLY_SECONDS = 5.0

pytestmark = pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="reads open files from /proc")


@pytest.fixture
def locked_sqlite(tmp_path: Path) -> Iterator[Path]:
    """A database another process is writing to (RESERVED lock): migrating waits up to 30 s on it."""
    path = tmp_path / "locked.sqlite3"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("PRAGMA journal_mode=WAL")
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("CREATE TABLE somebody_elses_write (x INTEGER)")
    yield path
    holder.close()


@pytest.fixture
def black_hole() -> Iterator[socket.socket]:
    """A port that accepts TCP connections and never answers, like a firewalled database."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    yield listener
    listener.close()


def test_ctrl_c_while_start_up_waits_on_a_locked_database_stops_serve_within_seconds(
    locked_sqlite: Path,
) -> None:
    serve = _serve(f"sqlite:///{locked_sqlite}")
    try:
        _wait_until_held_open(serve, locked_sqlite, for_seconds=1.5)  # past the check, waiting in start-up
        _assert_ctrl_c_stops_it_promptly(serve)
    finally:
        _kill(serve)


def test_ctrl_c_while_connecting_to_a_silent_database_stops_serve_with_one_line_not_a_traceback(
    black_hole: socket.socket,
) -> None:
    port = black_hole.getsockname()[1]
    serve = _serve(f"postgresql://postgres@127.0.0.1:{port}/tenantry")
    try:
        black_hole.settimeout(60)
        connection, _ = black_hole.accept()  # serve is now waiting for the database's first answer
        time.sleep(0.5)
        _assert_ctrl_c_stops_it_promptly(serve)
        connection.close()
    finally:
        _kill(serve)


def _serve(database_url: str) -> subprocess.Popen[str]:
    env = tenantry_env({"TENANTRY_DATABASE_URL": database_url})
    return subprocess.Popen(
        [TENANTRY, "serve", "--port", str(free_port())],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _assert_ctrl_c_stops_it_promptly(serve: subprocess.Popen[str]) -> None:
    assert serve.poll() is None, serve.communicate()
    interrupted = time.monotonic()
    serve.send_signal(signal.SIGINT)
    try:
        _, stderr = serve.communicate(timeout=PROMPTLY_SECONDS)
    except subprocess.TimeoutExpired:
        pytest.fail(f"serve ignored Ctrl+C for {PROMPTLY_SECONDS} s during start-up")
    assert time.monotonic() - interrupted < PROMPTLY_SECONDS
    assert serve.returncode == 128 + signal.SIGINT, stderr
    assert "Traceback" not in stderr, stderr
    assert stderr.strip().splitlines()[-1] == "Tenantry stopped: interrupted before start-up finished."


def _wait_until_held_open(serve: subprocess.Popen[str], path: Path, *, for_seconds: float) -> None:
    """Until serve has kept the file open for a while: the start-up check only opens it briefly."""
    deadline = time.monotonic() + 60
    held_since: float | None = None
    while time.monotonic() < deadline:
        if _holds_open(serve.pid, path):
            held_since = held_since or time.monotonic()
            if time.monotonic() - held_since >= for_seconds:
                return
        else:
            held_since = None
        time.sleep(0.05)
    pytest.fail(f"serve never kept {path} open")


def _holds_open(pid: int, path: Path) -> bool:
    try:
        return any(
            os.readlink(f"/proc/{pid}/fd/{fd}").startswith(str(path)) for fd in os.listdir(f"/proc/{pid}/fd")
        )
    except OSError:
        return False


def _kill(serve: subprocess.Popen[str]) -> None:
    if serve.poll() is None:
        serve.kill()
        serve.communicate()
