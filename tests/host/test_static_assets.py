"""/static/: the shells name today's hashed files, which are cached a year, precompressed and safe to serve."""

import gzip
import http.client
import json
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlparse

import httpx
import pytest

from host.static import IMMUTABLE
from tests.conftest import SECRET_KEY
from tests.support.factories import make_member, make_organization
from tests.support.people import Person, unique_email
from tests.support.server import ServerProcess, start_server

DIST = Path(__file__).resolve().parents[2] / "frontend" / "dist"
MANIFEST = json.loads((DIST / ".vite" / "manifest.json").read_text())
PORTAL = MANIFEST["src/portal/main.ts"]
AUTH = MANIFEST["src/auth/main.ts"]


def static_urls(page: str) -> list[str]:
    return re.findall(r'(?:src|href)="(/static/[^"]+)"', page)


def raw_get(server: ServerProcess, path: str, **headers: str) -> httpx.Response:
    """A GET whose body stays as sent: httpx neither asks for nor undoes any coding but these."""
    with httpx.Client(base_url=server.url) as client, client.stream("GET", path, headers=headers) as answer:
        answer.extensions["raw"] = b"".join(answer.iter_raw())
    return answer


def brotli_decompressed(data: bytes) -> bytes:
    """Node's zlib (the build's own) undoes brotli: the Python environment has no brotli module."""
    node = shutil.which("node")
    assert node, "node builds the frontend, and decodes brotli here"
    script = "process.stdout.write(require('zlib').brotliDecompressSync(require('fs').readFileSync(0)))"
    return subprocess.run([node, "-e", script], input=data, capture_output=True, check=True).stdout


def test_the_portal_shell_names_the_hashed_entry_and_preloads_its_imports(person: Person) -> None:
    make_member(email := unique_email("assets"), make_organization("Assets Co"), "member")
    person.sign_in(email)
    page = person.http.get("/ui/profile")
    assert page.headers["cache-control"] == "no-store", "the shell carries a CSRF token"
    assert "script-src 'self';" in page.headers["content-security-policy"]
    assert f'<script type="module" src="/static/{PORTAL["file"]}"></script>' in page.text
    assert re.fullmatch(r"portal-[\w-]{8}\.js", PORTAL["file"])
    for imported in PORTAL["imports"]:
        assert f'<link rel="modulepreload" href="/static/{MANIFEST[imported]["file"]}">' in page.text
    urls = static_urls(page.text)
    assert len(urls) == 1 + len(PORTAL["imports"])
    for url in urls:
        answer = person.http.get(url)
        assert answer.status_code == 200, url
        assert answer.headers["cache-control"] == IMMUTABLE


def test_the_sign_in_shell_names_the_hashed_auth_entry(person: Person) -> None:
    page = person.http.get("/a/auth/login")
    assert page.headers["cache-control"] == "no-store"
    assert f'<script type="module" src="/static/{AUTH["file"]}"></script>' in page.text
    assert "/static/auth.js" not in page.text
    for url in static_urls(page.text):
        assert person.http.get(url).status_code == 200, url


@pytest.mark.parametrize(
    ("accept_encoding", "coding"),
    [
        ("br", "br"),
        ("gzip, deflate, br, zstd", "br"),
        ("gzip", "gzip"),
        ("br;q=0, gzip", "gzip"),
        ("gzip;q=0.9, br;q=0.5", "gzip"),
        ("BR;Q=1", "br"),
        ("identity", "identity"),
        ("br;q=0, gzip;q=0", "identity"),
        ("", "identity"),
        ("*", "br"),
        ("*;q=0, gzip", "gzip"),
    ],
)
def test_the_coding_follows_accept_encoding_and_decodes_to_the_built_file(
    server: ServerProcess, accept_encoding: str, coding: str
) -> None:
    original = (DIST / PORTAL["file"]).read_bytes()
    answer = raw_get(server, f"/static/{PORTAL['file']}", **{"Accept-Encoding": accept_encoding})
    body: bytes = answer.extensions["raw"]
    assert answer.status_code == 200
    assert answer.headers["vary"] == "Accept-Encoding"
    assert answer.headers["content-type"] == "text/javascript; charset=utf-8"
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert int(answer.headers["content-length"]) == len(body)
    assert answer.headers.get("content-encoding", "identity") == coding
    decoders: dict[str, Callable[[bytes], bytes]] = {
        "br": brotli_decompressed,
        "gzip": gzip.decompress,
        "identity": bytes,
    }
    decoded = decoders[coding](body)
    assert decoded == original
    if coding != "identity":
        assert len(body) < len(original) / 2


def test_a_client_that_refuses_every_coding_it_could_get_is_told_so(server: ServerProcess) -> None:
    answer = raw_get(server, f"/static/{PORTAL['file']}", **{"Accept-Encoding": "identity;q=0, deflate"})
    assert answer.status_code == 406
    assert answer.headers["vary"] == "Accept-Encoding"


def test_a_cached_copy_is_confirmed_with_304_per_coding(server: ServerProcess) -> None:
    path = f"/static/{PORTAL['file']}"
    first = raw_get(server, path, **{"Accept-Encoding": "br"})
    etag = first.headers["etag"]
    again = raw_get(server, path, **{"Accept-Encoding": "br", "If-None-Match": etag})
    assert again.status_code == 304
    assert again.extensions["raw"] == b""
    assert again.headers["etag"] == etag
    assert again.headers["cache-control"] == IMMUTABLE
    other = raw_get(server, path, **{"Accept-Encoding": "gzip", "If-None-Match": etag})
    assert other.status_code == 200, "the gzip representation has its own ETag"
    assert other.headers["etag"] != etag
    since = raw_get(server, path, **{"If-Modified-Since": first.headers["last-modified"]})
    assert since.status_code == 304


def test_head_answers_the_headers_of_get_without_a_body(server: ServerProcess) -> None:
    path = f"/static/{PORTAL['file']}"
    get = raw_get(server, path, **{"Accept-Encoding": "gzip"})
    head = httpx.head(f"{server.url}{path}", headers={"Accept-Encoding": "gzip"})
    assert head.status_code == 200
    assert head.content == b""
    for name in ("content-length", "content-encoding", "content-type", "etag", "cache-control", "vary"):
        assert head.headers[name] == get.headers[name], name


def test_a_range_request_gets_the_whole_file_and_other_methods_are_refused(server: ServerProcess) -> None:
    path = f"/static/{PORTAL['file']}"
    ranged = raw_get(server, path, **{"Accept-Encoding": "gzip", "Range": "bytes=0-9"})
    assert ranged.status_code == 200
    assert gzip.decompress(ranged.extensions["raw"]) == (DIST / PORTAL["file"]).read_bytes()
    posted = httpx.post(f"{server.url}{path}")
    assert posted.status_code == 405
    assert posted.headers["allow"] == "GET, HEAD"


def test_graphiql_is_compressed_and_briefly_cached_with_an_etag(server: ServerProcess) -> None:
    answer = raw_get(server, "/static/graphiql/graphiql.js", **{"Accept-Encoding": "gzip"})
    assert answer.status_code == 200
    assert answer.headers["content-encoding"] == "gzip"
    assert answer.headers["cache-control"] == "public, max-age=60"
    assert gzip.decompress(answer.extensions["raw"]) == (DIST / "graphiql" / "graphiql.js").read_bytes()
    stylesheet = raw_get(server, "/static/graphiql/graphiql.css", **{"Accept-Encoding": "br"})
    assert stylesheet.headers["content-type"] == "text/css; charset=utf-8"
    assert stylesheet.headers["content-encoding"] == "br"
    revalidated = raw_get(
        server,
        "/static/graphiql/graphiql.js",
        **{"Accept-Encoding": "gzip", "If-None-Match": answer.headers["etag"]},
    )
    assert revalidated.status_code == 304


def test_a_file_the_manifest_does_not_name_is_revalidated_each_time(server: ServerProcess) -> None:
    sibling = f"/static/{PORTAL['file']}.gz"  # served as itself, never as a coding of something else
    answer = raw_get(server, sibling, **{"Accept-Encoding": "identity"})
    assert answer.status_code == 200
    assert answer.headers["cache-control"] == "no-cache"
    assert answer.headers["etag"]
    assert answer.headers["content-type"] == "application/octet-stream"
    assert "content-encoding" not in answer.headers
    revalidated = raw_get(server, sibling, **{"If-None-Match": answer.headers["etag"]})
    assert revalidated.status_code == 304


@pytest.mark.parametrize(
    "path",
    [
        "/static/../pyproject.toml",
        "/static/%2e%2e/pyproject.toml",
        "/static/%2E%2E/%2E%2E/pyproject.toml",
        "/static/chunks/..%2f..%2f..%2fpyproject.toml",
        "/static/..%5c..%5cpyproject.toml",
        "/static/chunks/%00.js",
        "/static/.vite/manifest.json",
        "/static/./.vite/manifest.json",
        "/static//etc/passwd",
    ],
)
def test_paths_outside_the_build_or_hidden_in_it_are_refused(server: ServerProcess, path: str) -> None:
    """Sent as written: httpx would resolve dot segments before they reach the server."""
    address = urlparse(server.url)
    connection = http.client.HTTPConnection(address.hostname or "", address.port)
    try:
        connection.putrequest("GET", path, skip_host=True)
        connection.putheader("Host", address.netloc)
        connection.endheaders()
        answer = connection.getresponse()
        body = answer.read()
    finally:
        connection.close()
    assert answer.status in (400, 404), (path, answer.status)
    assert b"[project]" not in body
    assert b'"isEntry"' not in body
    assert b"root:" not in body


def test_without_a_built_frontend_the_shells_say_so_instead_of_naming_missing_scripts(tmp_path: Path) -> None:
    empty_dist = tmp_path / "dist"
    empty_dist.mkdir()
    lone = start_server(
        {
            "TENANTRY_DATABASE_URL": f"sqlite:///{tmp_path}/unbuilt.sqlite3",
            "TENANTRY_SECRET_KEY": SECRET_KEY,
            "TENANTRY_FRONTEND_DIST": str(empty_dist),
        },
        str(tmp_path),
    )
    try:
        page = httpx.get(f"{lone.url}/a/auth/login")
        missing = httpx.get(f"{lone.url}/static/{AUTH['file']}")
    finally:
        lone.stop()
    assert page.status_code == 503
    assert 'data-testid="frontend-not-built"' in page.text
    assert "build-frontend" in page.text
    assert str(tmp_path) not in page.text, "the server's paths stay in its log"
    assert "<script" not in page.text
    assert missing.status_code == 404
    assert "manifest.json is missing" in lone.log()


def test_the_embed_script_keeps_its_name_and_loads_from_any_origin_with_hashed_chunks(
    server: ServerProcess,
) -> None:
    """Apps load /static/embed/embed.js as a cross-origin module script: CORS (no credentials),
    revalidated by name; the chunks it imports by relative address are hashed and immutable."""
    script = raw_get(
        server, "/static/embed/embed.js", **{"Accept-Encoding": "identity", "Origin": "https://app.example"}
    )
    assert script.status_code == 200
    assert script.headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-credentials" not in script.headers
    assert script.headers["cache-control"] == "no-cache"
    chunk = next(name for name in re.findall(r'"\./chunks/([^"]+\.js)"', script.extensions["raw"].decode()))
    loaded = raw_get(server, f"/static/embed/chunks/{chunk}", **{"Accept-Encoding": "identity"})
    assert loaded.status_code == 200
    assert loaded.headers["cache-control"] == IMMUTABLE
    assert loaded.headers["access-control-allow-origin"] == "*"
