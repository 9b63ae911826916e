"""Vite's manifest (frontend/dist/.vite/manifest.json): today's hashed file names for the HTML shells."""

import json
import logging
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any

from litestar import Response

from host.pages import message_page

log = logging.getLogger("tenantry")

MANIFEST = Path(".vite") / "manifest.json"
AUTH_ENTRY = "src/auth/main.ts"
PORTAL_ENTRY = "src/portal/main.ts"


class FrontendNotBuilt(Exception):
    """The shells cannot name their scripts: dist/ has no manifest, or it lacks the entry."""


@dataclass(frozen=True, slots=True)
class AssetManifest:
    chunks: dict[str, dict[str, Any]]
    files: frozenset[str]
    """Every file the manifest names; each carries a content hash in its name."""

    @classmethod
    def parse(cls, chunks: dict[str, dict[str, Any]]) -> "AssetManifest":
        named: set[str] = set()
        for chunk in chunks.values():
            named.add(chunk["file"])
            named.update(chunk.get("css", []))
            named.update(chunk.get("assets", []))
        return cls(chunks, frozenset(named))

    def head_tags(self, entry: str) -> str:
        """The entry's stylesheets, a modulepreload for each module it imports statically
        (so the browser fetches them in parallel, not one import at a time), and its script."""
        if entry not in self.chunks:
            raise FrontendNotBuilt(f"The frontend build has no entry {entry}: run ./run build-frontend.")
        imported = self._static_imports(entry)
        css = dict.fromkeys(sheet for key in [entry, *imported] for sheet in self.chunks[key].get("css", []))
        tags = [f'<link rel="stylesheet" href="/static/{escape(sheet)}">' for sheet in css]
        for key in imported:
            tags.append(f'<link rel="modulepreload" href="/static/{escape(self.chunks[key]["file"])}">')
        tags.append(f'<script type="module" src="/static/{escape(self.chunks[entry]["file"])}"></script>')
        return "\n".join(tags)

    def _static_imports(self, entry: str) -> list[str]:
        seen: dict[str, None] = {}
        pending = list(self.chunks[entry].get("imports", []))
        while pending:
            key = pending.pop(0)
            if key not in seen:
                seen[key] = None
                pending.extend(self.chunks[key].get("imports", []))
        return list(seen)


_loaded: dict[Path, tuple[int, AssetManifest]] = {}


def asset_manifest(dist: str) -> AssetManifest:
    """The manifest of the build in `dist`, read once (and again only when a new build replaced it)."""
    path = Path(dist) / MANIFEST
    try:
        modified = path.stat().st_mtime_ns
    except OSError:
        raise FrontendNotBuilt(
            f"The frontend is not built: {path} is missing. Run ./run build-frontend, then restart."
        ) from None
    cached = _loaded.get(path)
    if cached is None or cached[0] != modified:
        cached = (modified, AssetManifest.parse(json.loads(path.read_text(encoding="utf-8"))))
        _loaded[path] = cached
    return cached[1]


def read_at_start_up(dist: str) -> None:
    """Reads the manifest before the first request, and says plainly when the frontend is missing."""
    try:
        asset_manifest(dist)
    except FrontendNotBuilt as missing:
        log.warning("%s The sign-in pages and the portal answer 503 until then.", missing)


async def not_built_page(missing: FrontendNotBuilt) -> Response[Any]:
    """What a shell answers instead of a page whose scripts do not exist (the log has the path)."""
    log.error("%s", missing)
    return await message_page(
        title="This page is not available",
        message="This server's web pages are not built yet. Try again later; if it persists, "
        "tell whoever runs it to run ./run build-frontend and restart.",
        testid="frontend-not-built",
        status_code=503,
    )
