"""The in-process job runner on a broken database: one traceback, then fewer and fewer lines."""

import re
import sqlite3
import time
from pathlib import Path

from tests.conftest import SECRET_KEY
from tests.support.server import start_server

NEXT_TRY = re.compile(r"The database is unreachable .*; next try in (\d+) s")


def test_the_embedded_runner_backs_off_from_a_failing_database_instead_of_a_traceback_a_second(
    tmp_path: Path,
) -> None:
    database = tmp_path / "embedded.sqlite3"
    server = start_server(
        {"TENANTRY_DATABASE_URL": f"sqlite:///{database}", "TENANTRY_SECRET_KEY": SECRET_KEY}, str(tmp_path)
    )
    try:
        with sqlite3.connect(database) as connection:
            connection.execute("DROP TABLE job")  # every poll for due jobs now fails
        time.sleep(7)
        log = server.log()
        waits = [int(wait) for wait in NEXT_TRY.findall(log)]
        assert waits[:3] == [1, 2, 4], log
        assert len(waits) <= 4, log  # tries at 0, 1, 3 and 7 s, not every second
        assert log.count("Traceback") == 1, log
    finally:
        server.stop()
