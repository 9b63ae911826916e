"""Request parameters as RFC 6749 §3.1 defines them.

"Parameters sent without a value MUST be treated as if they were omitted from the request" and
"request and response parameters MUST NOT be included more than once".
"""

from typing import Any


def single_valued(source: Any) -> tuple[dict[str, str], set[str]]:
    """(parameters without empty ones, names that were repeated)."""
    params: dict[str, str] = {}
    repeated: set[str] = set()
    for key in source:
        values = [str(value) for value in source.getall(key) if str(value) != ""]
        if len(values) > 1:
            repeated.add(key)
        if values:
            params[key] = values[0]
    return params, repeated
