"""Names people give things (organizations, roles, people, passkeys, applications, descriptions)
are one line of printable text within a length limit.

A name travels into email subjects, page titles, tokens and logs: a line break in an organization
name once made every invitation email for it fail forever. Refusing it with a clear message beats
mangling it silently.
"""

import unicodedata

from resolvers.errors import InvalidInput

ORGANIZATION_NAME_MAX = 120
ROLE_NAME_MAX = 120
PERSON_NAME_MAX = 100
PASSKEY_NAME_MAX = 100
APPLICATION_NAME_MAX = 120
DESCRIPTION_MAX = 200

# Format characters that reorder or hide text (bidirectional overrides and isolates): a name
# that reads one way and sorts, logs or compares another. Joiners (ZWJ, ZWNJ) stay allowed:
# emoji sequences and several scripts need them.
HIDING_CHARACTERS = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F)}
REFUSED_CATEGORIES = {"Cc", "Cs", "Co", "Cn", "Zl", "Zp"}


def name_problem(value: str) -> str | None:
    """Why `value` cannot be a name, in words, or None."""
    for character in value:
        category = unicodedata.category(character)
        if character in "\r\n\u2028\u2029" or category in {"Zl", "Zp"}:
            return "a line break"
        if category in REFUSED_CATEGORIES or character in HIDING_CHARACTERS:
            return f"an invisible or control character (U+{ord(character):04X})"
    return None


def clean_name(value: str, *, field: str, what: str, max_length: int, required: bool = True) -> str:
    """`value` as one trimmed line (NFC, runs of spaces made one), or InvalidInput naming `field`.

    `what` names the thing in the message: "An organization name", "A passkey name".
    """
    if problem := name_problem(value):
        raise InvalidInput(f"{what} must be one line of text: it contains {problem}.", field=field)
    cleaned = " ".join(unicodedata.normalize("NFC", value).split())
    if required and not cleaned:
        raise InvalidInput(f"{what} cannot be empty.", field=field)
    if len(cleaned) > max_length:
        raise InvalidInput(f"{what} can be at most {max_length} characters.", field=field)
    return cleaned
