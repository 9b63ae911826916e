"""Imports point down the layers ARCHITECTURE.md names; one that points up fails here, by module."""

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

# each layer, and what it may import of Tenantry's own packages (outside packages are free, except
# where FORBIDDEN_OUTSIDE says otherwise)
MAY_IMPORT: dict[str, set[str]] = {
    "db": {"db"},
    "resolvers": {"db", "resolvers"},
    "workers": {"db", "resolvers", "workers"},
    "schema": {"db", "resolvers", "schema"},
    "host": {"db", "resolvers", "workers", "schema", "host"},
}
FORBIDDEN_OUTSIDE: dict[str, set[str]] = {
    "db": {"litestar", "strawberry", "arq"},
    "resolvers": {"litestar", "strawberry", "arq"},
    "workers": {"litestar", "strawberry"},
    "schema": {"litestar", "arq"},
}


def imported_modules(path: Path) -> list[tuple[int, str]]:
    """Every module a file imports, at any depth (function-level imports count too)."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
    return found


def layer_files(layer: str) -> list[Path]:
    return sorted(path for path in (REPO / layer).rglob("*.py") if "migrations" not in path.parts)


@pytest.mark.parametrize("layer", sorted(MAY_IMPORT))
def test_no_module_imports_a_layer_above_its_own(layer: str) -> None:
    ours = set(MAY_IMPORT)
    upward = []
    for path in layer_files(layer):
        for line, module in imported_modules(path):
            top = module.split(".")[0]
            if top in ours and top not in MAY_IMPORT[layer]:
                upward.append(f"{path.relative_to(REPO)}:{line} imports {module}")
            if top in FORBIDDEN_OUTSIDE.get(layer, set()):
                upward.append(f"{path.relative_to(REPO)}:{line} imports {module}")
    assert not upward, "\n".join(upward)


def test_every_layer_is_checked() -> None:
    """A new top-level package gets a row above before anything may import it."""
    packages = {path.parent.name for path in REPO.glob("*/__init__.py")} - {"tests", "bench"}
    assert packages == set(MAY_IMPORT)
