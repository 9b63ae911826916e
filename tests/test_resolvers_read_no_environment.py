"""Resolvers take what they need from their caller: only entry points read the environment."""

import ast
from pathlib import Path

RESOLVERS = Path(__file__).resolve().parents[1] / "resolvers"


def environment_reads(path: Path) -> list[int]:
    """Lines of `path` that touch `os.environ` or `os.getenv`."""
    tree = ast.parse(path.read_text(), filename=str(path))
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and node.attr in {"environ", "getenv", "environb"}
        and isinstance(node.value, ast.Name)
        and node.value.id == "os"
    ]


def test_no_resolver_reads_the_environment() -> None:
    found = {
        str(path.relative_to(RESOLVERS.parent)): lines
        for path in sorted(RESOLVERS.rglob("*.py"))
        if (lines := environment_reads(path))
    }
    assert found == {}, "pass the value in from the entry point's settings instead"
