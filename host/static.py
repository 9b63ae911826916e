"""Built frontend assets under /static/ (from `frontend/dist`): precompressed and cached by name.

Hashed files (the ones Vite's manifest names) never change, so browsers keep them a year
without asking; anything else is revalidated with its ETag. The build writes `.br` and `.gz`
siblings, and the request's Accept-Encoding picks one (RFC 9110 §12.5.3).
"""

import mimetypes
import re
import stat
from email.utils import formatdate, parsedate_to_datetime
from pathlib import Path

import anyio
from litestar.handlers import ASGIRouteHandler, asgi
from litestar.types import HTTPResponseBodyEvent, HTTPResponseStartEvent, Receive, Scope, Send

from host.asset_manifest import FrontendNotBuilt, asset_manifest, read_at_start_up

IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
GRAPHIQL = "public, max-age=60"  # a development page with unhashed names: briefly cached
SUFFIXES = {"br": ".br", "gzip": ".gz"}
QVALUE = re.compile(r"0(\.\d{0,3})?|1(\.0{0,3})?")  # RFC 9110 §12.4.2; anything else counts as 0
CONTENT_TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
    ".map": "application/json",
    ".svg": "image/svg+xml",
    ".ttf": "font/ttf",
    ".woff2": "font/woff2",
}


def asset_file(root: Path, url_path: str) -> Path | None:
    """The regular file `url_path` names under `root`, or None. Refused: dot segments and
    hidden names (`..`, `.vite/`), NUL, backslashes, and a symlink anywhere on the way."""
    if "\x00" in url_path or "\\" in url_path:
        return None
    parts = url_path.strip("/").split("/")
    if any(not part or part.startswith(".") for part in parts):
        return None
    current = root
    mode = 0
    for part in parts:
        current = current / part
        try:
            mode = current.lstat().st_mode
        except (OSError, ValueError):
            return None
        if stat.S_ISLNK(mode):
            return None
    return current if stat.S_ISREG(mode) else None


def accepted_codings(header: str) -> dict[str, float]:
    """Accept-Encoding as {coding: q}, e.g. "br;q=1.0, gzip;q=0.8, *;q=0"."""
    weights: dict[str, float] = {}
    for item in header.split(","):
        name, *params = (piece.strip() for piece in item.split(";"))
        if not name:
            continue
        weight = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                weight = float(value) if QVALUE.fullmatch(value.strip()) else 0.0
        weights[name.lower()] = weight
    return weights


def choose_coding(header: str | None, available: set[str]) -> str | None:
    """The coding to send (br, gzip or identity) by the client's weights; None when it refuses
    all it could get (identity;q=0 and no acceptable sibling). Ties favour the smaller coding,
    and identity, acceptable unless excluded (RFC 9110 §12.5.3), loses to any coding asked for."""
    if header is None:
        return "identity"
    weights = accepted_codings(header)
    default = weights.get("*")

    def weight(coding: str) -> float:
        if coding in weights:
            return weights[coding]
        if default is not None:
            return default
        return 0.001 if coding == "identity" else 0.0

    candidates = [coding for coding in ("br", "gzip") if coding in available] + ["identity"]
    best = max(candidates, key=weight)  # max keeps the first of equals: br, then gzip
    return best if weight(best) > 0 else None


class StaticFiles:
    """An ASGI app serving `root` with the cache policy and encodings above; GET and HEAD only."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()

    def cache_control(self, name: str) -> str:
        if name.startswith("graphiql/"):
            return GRAPHIQL
        if name.startswith(("embed/chunks/", "embed/assets/")):
            return IMMUTABLE  # hashed by vite.embed.config.ts; embed/embed.js keeps its name

        try:
            hashed = name in asset_manifest(str(self.root)).files
        except FrontendNotBuilt:
            hashed = False
        return IMMUTABLE if hashed else REVALIDATE

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        method = scope.get("method", "GET")
        if method not in ("GET", "HEAD"):
            await _answer(send, 405, [(b"allow", b"GET, HEAD")], b"Method not allowed.")
            return
        name = str(scope["path"]).lstrip("/")
        source = asset_file(self.root, name)
        if source is None:
            await _answer(send, 404, [], b"Not found.")
            return
        headers = {key.decode("latin-1").lower(): value.decode("latin-1") for key, value in scope["headers"]}
        siblings = {coding for coding, suffix in SUFFIXES.items() if _regular(source, suffix)}
        coding = choose_coding(headers.get("accept-encoding"), siblings)
        common = [
            (b"vary", b"Accept-Encoding"),
            (b"cache-control", self.cache_control(name).encode()),
            # public files, sent without credentials: apps' pages load embed/embed.js and its
            # chunks as module scripts, which browsers fetch in CORS mode
            (b"access-control-allow-origin", b"*"),
        ]
        if coding is None:
            await _answer(send, 406, common, b"Only br, gzip or identity can be served.")
            return
        found = source.stat()
        etag = f'"{found.st_size:x}-{found.st_mtime_ns:x}-{coding}"'
        modified = formatdate(found.st_mtime, usegmt=True)
        common += [(b"etag", etag.encode()), (b"last-modified", modified.encode())]
        if _not_modified(headers, etag, found.st_mtime):
            await _respond(send, 304, common, b"")
            return
        chosen = anyio.Path(f"{source}{SUFFIXES[coding]}" if coding in SUFFIXES else source)
        body = await chosen.read_bytes() if method == "GET" else b""
        length = len(body) if method == "GET" else (await chosen.stat()).st_size
        common.append((b"content-type", _content_type(source).encode()))
        common.append((b"content-length", str(length).encode()))
        if coding != "identity":
            common.append((b"content-encoding", coding.encode()))
        await _respond(send, 200, common, body)


def _content_type(source: Path) -> str:
    """By extension; a `.br` or `.gz` asked for by its own name is opaque bytes, not JavaScript."""
    guessed, coding = mimetypes.guess_type(source.name)
    if source.suffix in CONTENT_TYPES:
        return CONTENT_TYPES[source.suffix]
    return guessed if guessed and coding is None else "application/octet-stream"


def _regular(source: Path, suffix: str) -> bool:
    try:
        return stat.S_ISREG(Path(f"{source}{suffix}").lstat().st_mode)
    except OSError:
        return False


def _not_modified(headers: dict[str, str], etag: str, modified: float) -> bool:
    """If-None-Match decides when present (weak comparison); else If-Modified-Since."""
    if "if-none-match" in headers:
        tags = {tag.strip().removeprefix("W/") for tag in headers["if-none-match"].split(",")}
        return "*" in tags or etag in tags
    if since := headers.get("if-modified-since"):
        try:
            return int(modified) <= parsedate_to_datetime(since).timestamp()
        except (TypeError, ValueError):
            return False
    return False


async def _answer(send: Send, status: int, headers: list[tuple[bytes, bytes]], body: bytes) -> None:
    length = str(len(body)).encode()
    plain = [*headers, (b"content-type", b"text/plain; charset=utf-8"), (b"content-length", length)]
    await _respond(send, status, plain, body)


async def _respond(send: Send, status: int, headers: list[tuple[bytes, bytes]], body: bytes) -> None:
    start: HTTPResponseStartEvent = {"type": "http.response.start", "status": status, "headers": headers}
    await send(start)
    end: HTTPResponseBodyEvent = {"type": "http.response.body", "body": body, "more_body": False}
    await send(end)


def static_router(dist: str) -> ASGIRouteHandler:
    folder = Path(dist)
    folder.mkdir(parents=True, exist_ok=True)
    read_at_start_up(dist)
    files = StaticFiles(folder)

    @asgi("/static", name="static", is_static=True, copy_scope=True)
    async def static(scope: Scope, receive: Receive, send: Send) -> None:
        await files(scope, receive, send)

    return static
