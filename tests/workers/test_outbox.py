"""A Redis outage delays background work and loses none: jobs wait in the database outbox."""

import os
import shutil
import subprocess
import time
from pathlib import Path

import httpx
import pytest

from tests.conftest import SECRET_KEY
from tests.support.backend import Backend
from tests.support.people import Person, unique_email
from tests.support.server import free_port, start_process, start_server, tenantry_env
from tests.support.smtp import MailSink


def test_sign_in_email_written_while_redis_is_down_is_sent_once_redis_and_a_worker_return(
    backend: Backend, mail: MailSink
) -> None:
    redis_server = shutil.which("redis-server")
    if redis_server is None:
        if os.environ.get("CI"):
            pytest.fail("redis-server is missing")
        pytest.skip("redis-server is missing")
    redis_port = free_port()
    workdir = Path(backend.workdir) / f"outbox-{redis_port}"
    workdir.mkdir()
    env = {
        "TENANTRY_DATABASE_URL": f"sqlite:///{workdir}/outbox.sqlite3",
        "TENANTRY_SECRET_KEY": SECRET_KEY,
        "TENANTRY_SMTP_URL": mail.url,  # type: ignore[attr-defined]
        "TENANTRY_TRUSTED_PROXIES": "127.0.0.1",
        "TENANTRY_REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
    }
    server = start_server(env, str(workdir), name="outbox-server")
    redis = worker = None
    try:
        email = unique_email("outbox")
        person = Person.at(server.url, mail)
        started = person.start(email, intent="signup", first_name="Out", last_name="Box")
        person.http.close()
        assert started.status_code == 200, "a Redis outage never fails the request"
        time.sleep(2)
        assert mail.count(email) == 0, "nothing can be delivered while Redis is down"

        redis = subprocess.Popen(
            [
                redis_server,
                "--port",
                str(redis_port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
        )
        worker_env = tenantry_env({**env, "TENANTRY_PUBLIC_URL": server.url})
        worker = start_process(["worker"], worker_env, workdir / "worker.log")
        message = mail.wait_for(email, timeout=30)
        assert len(message.code) == 6
        assert httpx.get(f"{server.url}/health/ready").status_code == 200
    finally:
        for process in (worker, redis):
            if process is not None:
                process.terminate()
                process.wait(timeout=10)
        server.stop()
