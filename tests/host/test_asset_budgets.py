"""Size budgets of the built frontend: what each page family downloads first, and each lazy page chunk.

Gzip sizes at level 9, as the host serves them (brotli is smaller still). Initial means the entry
and every module it imports statically, transitively, from Vite's manifest; a lazy chunk counts
with the static imports it brings that the initial download lacks.
"""

import gzip
import json
from pathlib import Path

import pytest

DIST = Path(__file__).resolve().parents[2] / "frontend" / "dist"
INITIAL_BUDGET = 60 * 1024
LAZY_BUDGET = 40 * 1024


def manifest() -> dict[str, dict[str, object]]:
    path = DIST / ".vite" / "manifest.json"
    if not path.exists():
        pytest.fail(f"{path} is missing: run ./run build-frontend")
    found: dict[str, dict[str, object]] = json.loads(path.read_text())
    return found


def closure(chunks: dict[str, dict[str, object]], keys: list[str], field: str = "imports") -> list[str]:
    seen: dict[str, None] = {}
    pending = list(keys)
    while pending:
        key = pending.pop()
        if key not in seen:
            seen[key] = None
            pending.extend(chunks[key].get(field, []))  # type: ignore[arg-type]
    return list(seen)


def gzip_size(chunks: dict[str, dict[str, object]], keys: list[str]) -> int:
    return sum(len(gzip.compress((DIST / str(chunks[key]["file"])).read_bytes(), 9)) for key in keys)


def families() -> list[tuple[str, list[str], dict[str, list[str]]]]:
    """(entry, its initial chunk keys, {lazy chunk: the keys it adds}) for each entry."""
    chunks = manifest()
    found = []
    for key, chunk in chunks.items():
        if not chunk.get("isEntry"):
            continue
        initial = closure(chunks, [key])
        lazy: dict[str, list[str]] = {}
        for loaded in initial + [k for k in chunks if k not in initial]:
            for dynamic in chunks[loaded].get("dynamicImports", []):  # type: ignore[attr-defined]
                lazy[dynamic] = [k for k in closure(chunks, [dynamic]) if k not in initial]
        found.append((key, initial, lazy))
    return found


def test_each_page_familys_initial_javascript_is_within_budget() -> None:
    chunks = manifest()
    sizes = {entry: gzip_size(chunks, initial) for entry, initial, _ in families()}
    print("initial gzip bytes:", sizes)
    assert set(sizes) == {"src/auth/main.ts", "src/portal/main.ts"}
    over = {entry: size for entry, size in sizes.items() if size > INITIAL_BUDGET}
    assert not over, f"initial JavaScript over {INITIAL_BUDGET} bytes gzip: {over}"


def test_each_lazily_loaded_page_chunk_is_within_budget() -> None:
    chunks = manifest()
    sizes = {
        str(chunks[chunk].get("name", chunk)): gzip_size(chunks, added)
        for _, _, lazy in families()
        for chunk, added in lazy.items()
    }
    print("lazy chunk gzip bytes:", sizes)
    assert {"tn-members", "tn-profile", "tn-sso-connections"} <= set(sizes), "the portal's pages load lazily"
    over = {name: size for name, size in sizes.items() if size > LAZY_BUDGET}
    assert not over, f"lazy chunks over {LAZY_BUDGET} bytes gzip: {over}"
