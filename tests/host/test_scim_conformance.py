"""scim2-tester, an independent SCIM checker from PyPI, run against the live server over HTTP:
discovery, then create, read, replace, patch and delete of Users and Groups. Every check passes."""

from collections.abc import Iterator

import httpx2
import pytest
from scim2_client.engines.httpx2 import SyncSCIMClient
from scim2_tester import Status, check_server

from tests.support.factories import make_organization
from tests.support.scim import SCIM_JSON, Directory, make_directory
from tests.support.server import ServerProcess


@pytest.fixture
def directory(server: ServerProcess) -> Directory:
    # scim2-tester makes up its people's addresses: this directory accepts any domain
    return make_directory(make_organization("Checked Co", ["scim"]), require_verified_domain=False)


@pytest.fixture
def client(server: ServerProcess, directory: Directory) -> Iterator[SyncSCIMClient]:
    http = httpx2.Client(
        base_url=f"{server.url}/scim/v2/{directory.id}",
        headers={"Authorization": f"Bearer {directory.token}", "Accept": SCIM_JSON},
        timeout=30,
    )
    yield SyncSCIMClient(http)
    http.close()


def test_scim2_tester_passes_every_check(client: SyncSCIMClient) -> None:
    results = check_server(client, raise_exceptions=False)
    ran = [result for result in results if result.status != Status.SKIPPED]
    failed = [
        f"{result.title}: {result.status.name} {result.reason}"
        for result in ran
        if result.status not in (Status.SUCCESS,)
    ]
    assert ran, "scim2-tester ran no check"
    assert not failed, "\n".join(failed)
    titles = {result.title for result in ran}
    print(len(ran), "checks passed")
    assert len(titles) > 5
