"""host/static.py's rules on a folder of its own: what it refuses to serve, and how it picks a coding."""

import gzip
from pathlib import Path

import pytest

from host.static import asset_file, choose_coding


@pytest.fixture
def dist(tmp_path: Path) -> Path:
    root = tmp_path / "dist"
    (root / "chunks").mkdir(parents=True)
    (root / "chunks" / "page-AbCd1234.js").write_text("export {};")
    (tmp_path / "secret.txt").write_text("outside")
    return root


def test_a_regular_file_inside_the_build_is_found(dist: Path) -> None:
    assert asset_file(dist, "chunks/page-AbCd1234.js") == dist / "chunks" / "page-AbCd1234.js"


@pytest.mark.parametrize(
    "path",
    [
        "../secret.txt",
        "chunks/../../secret.txt",
        "./chunks/page-AbCd1234.js",
        ".vite/manifest.json",
        "chunks\\..\\..\\secret.txt",
        "chunks/page-AbCd1234.js\x00.png",
        "chunks",
        "",
        "missing.js",
    ],
)
def test_dot_segments_hidden_names_nul_folders_and_missing_files_are_refused(dist: Path, path: str) -> None:
    assert asset_file(dist, path) is None


def test_a_symlink_to_a_file_outside_is_refused(dist: Path) -> None:
    (dist / "leak.js").symlink_to(dist.parent / "secret.txt")
    assert asset_file(dist, "leak.js") is None


def test_a_symlinked_folder_is_refused_even_when_it_points_inside(dist: Path) -> None:
    (dist / "alias").symlink_to(dist / "chunks", target_is_directory=True)
    assert asset_file(dist, "alias/page-AbCd1234.js") is None


@pytest.mark.parametrize(
    ("header", "available", "coding"),
    [
        (None, {"br", "gzip"}, "identity"),
        ("gzip, br", {"br", "gzip"}, "br"),
        ("gzip, br", {"gzip"}, "gzip"),
        ("gzip, br", set(), "identity"),
        ("br;q=0.2, gzip;q=0.8", {"br", "gzip"}, "gzip"),
        ("br;q=bad, gzip", {"br", "gzip"}, "gzip"),
        ("br;q=nan, gzip;q=0.5", {"br", "gzip"}, "gzip"),
        ("br;q=2, gzip;q=0.5", {"br", "gzip"}, "gzip"),
        ("identity;q=0, gzip", {"br", "gzip"}, "gzip"),
        ("identity;q=0, br", {"gzip"}, None),
        ("*;q=0", set(), None),
        ("*;q=0, identity", {"br"}, "identity"),
        ("gzip;q=0, identity;q=0.5, *", {"gzip"}, "identity"),
    ],
)
def test_the_coding_is_the_clients_favourite_among_the_siblings(
    header: str | None, available: set[str], coding: str | None
) -> None:
    assert choose_coding(header, available) == coding


def test_the_builds_gzip_siblings_decode_to_their_file() -> None:
    dist = Path(__file__).resolve().parents[2] / "frontend" / "dist"
    siblings = sorted(dist.rglob("*.js.gz"))
    assert siblings, "frontend/dist has precompressed siblings"
    for sibling in siblings[:20]:
        assert gzip.decompress(sibling.read_bytes()) == sibling.with_suffix("").read_bytes(), sibling
