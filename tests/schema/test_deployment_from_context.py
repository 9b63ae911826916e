"""The deployment reaches fields through the GraphQL context and resolvers through their callers:
neither schema/ nor resolvers/ reads the module-global resolvers.deployment.current()."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEFINED_IN = ROOT / "resolvers" / "deployment.py"


def reads_of_current(path: Path) -> list[int]:
    """Lines of `path` that import `current` from resolvers.deployment or call `deployment.current`."""
    tree = ast.parse(path.read_text(), filename=str(path))
    imports = [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
        and node.module == "resolvers.deployment"
        and any(alias.name == "current" for alias in node.names)
    ]
    attributes = [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and node.attr == "current"
        and isinstance(node.value, ast.Name)
        and node.value.id == "deployment"
    ]
    return sorted(imports + attributes)


def test_schema_and_resolvers_take_the_deployment_as_given() -> None:
    paths = [*sorted((ROOT / "schema").rglob("*.py")), *sorted((ROOT / "resolvers").rglob("*.py"))]
    found = {
        str(path.relative_to(ROOT)): lines
        for path in paths
        if path != DEFINED_IN and (lines := reads_of_current(path))
    }
    assert found == {}, "read it with schema.context.deployment(info), or take it as an argument"
