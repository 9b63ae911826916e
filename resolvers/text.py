"""What text Tenantry accepts at all: no NUL (PostgreSQL refuses it), no lone surrogates (neither
engine can encode them), no control characters but tab, LF and CR."""

import re

# C0 controls but tab, LF and CR (a textarea sends those); DEL and C1 controls; lone surrogates.
FORBIDDEN_CHARACTER = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def text_problem(value: str) -> str | None:
    """Why `value` cannot be accepted as text, in words, or None when it can."""
    found = FORBIDDEN_CHARACTER.search(value)
    if found is None:
        return None
    return describe_character(found.group())


def describe_character(character: str) -> str:
    if character == "\x00":
        return "a NUL byte"
    if "\ud800" <= character <= "\udfff":
        return "broken Unicode (a lone surrogate)"
    return f"a control character (U+{ord(character):04X})"


def printable(value: str) -> str:
    """Text someone else's system sent (an IdP's attributes), made storable rather than refused:
    forbidden characters dropped, runs of whitespace (tabs, newlines) one space."""
    return " ".join(FORBIDDEN_CHARACTER.sub("", value).split())
