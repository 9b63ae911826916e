"""Hypothesis strategies for input a careless or hostile client sends: any Unicode (lone surrogates
included), control characters, raw bytes, and JSON of any shape."""

import json
from typing import Any
from urllib.parse import quote

from hypothesis import strategies as st

NASTY_TEXTS = [
    "",
    "\x00",
    "a\x00b",
    "\ud800",
    "x\udfff",
    "\r\n",
    "Acme\r\nBcc: all@example.com",
    "\x1b[31m",
    "\u202egnp.exe",
    "é",
    "👩\u200d💻",
    "a" * 5000,
    "%00",
    "' OR 1=1 --",
    "../../etc/passwd",
    "//evil.example.com",
    "null",
    "[]",
]

any_character = st.characters(exclude_categories=())  # surrogates too: Hypothesis leaves them out by default
texts = st.one_of(st.text(any_character, max_size=30), st.sampled_from(NASTY_TEXTS))
json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False),
    texts,
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(texts, inner, max_size=4)),
    max_leaves=12,
)


def json_bytes(value: Any, *, ascii_only: bool) -> bytes:
    """JSON text of `value`: escaped (lone surrogates as \\ud800) or raw UTF-8 (then invalid)."""
    return json.dumps(value, ensure_ascii=ascii_only).encode("utf-8", "surrogatepass")


def urlencoded(fields: dict[str, str]) -> str:
    """A query string or form body as a client that never validates builds it."""
    return "&".join(
        f"{quote(k.encode('utf-8', 'surrogatepass'), safe='')}={quote(v.encode('utf-8', 'surrogatepass'), safe='')}"
        for k, v in fields.items()
    )


def fields_for(names: list[str], values: st.SearchStrategy[str]) -> st.SearchStrategy[dict[str, str]]:
    """Form or query fields: mostly the endpoint's own names, sometimes others."""
    return st.dictionaries(st.one_of(st.sampled_from(names or ["x"]), texts), values, max_size=6)


def json_bodies(names: list[str], values: st.SearchStrategy[Any]) -> st.SearchStrategy[bytes]:
    """A JSON endpoint's body: an object of its own fields, any JSON, or raw bytes."""
    objects = st.dictionaries(st.one_of(st.sampled_from(names or ["x"]), texts), values, max_size=6)
    documents = st.one_of(objects, json_values)
    return st.one_of(
        st.builds(json_bytes, documents, ascii_only=st.booleans()),
        st.binary(max_size=120),
    )
